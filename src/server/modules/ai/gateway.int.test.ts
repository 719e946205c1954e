import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ProviderConfig } from './ai.types.js';
import { testDatabases } from '../../test/databases.js';
import {
  registerAdmin,
  registerUser,
  startTestApp,
  testConfig,
  type TestApp,
  type TestUser,
} from '../../test/harness.js';
import { FakeLlmServer } from '../../test/llm-fakes/fake-llm-server.js';
import { AiFailedError, AiUnavailableError } from './gateway.js';

const ASK = '/api/ai/ask';

function provider(fake: FakeLlmServer, overrides: Partial<ProviderConfig> = {}): ProviderConfig {
  return {
    id: 'cloud',
    kind: 'openai-compatible',
    baseUrl: fake.openaiBaseUrl,
    apiKey: 'sk-test-secret',
    models: ['fake-model'],
    // $1 per million input tokens, $2 per million output tokens: a call of 10 in / 5 out costs 20 micro-dollars.
    inputPricePerMTokUsd: 1,
    outputPricePerMTokUsd: 2,
    languages: [],
    priority: 10,
    ...overrides,
  };
}

describe.each(testDatabases())('the AI gateway on $name', (kind) => {
  let fake: FakeLlmServer;
  let backup: FakeLlmServer;
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    fake = await FakeLlmServer.start();
    backup = await FakeLlmServer.start();
    const router = testConfig().ai.router;
    t = await startTestApp(kind, {
      ai: {
        providers: [
          provider(fake),
          provider(backup, { id: 'backup', priority: 20, kind: 'anthropic', baseUrl: backup.anthropicBaseUrl }),
        ],
        router,
      },
    });
    admin = await registerAdmin(t.app);
  });
  afterEach(() => {
    fake.reset();
    backup.reset();
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
    await backup.close();
  });

  const ledger = (userId: string) =>
    t.database.db.selectFrom('ai_usage').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();

  async function setBudget(user: TestUser, body: Record<string, unknown>) {
    const res = await admin.request('PUT', `/api/admin/budgets/users/${user.id}`, { period: 'monthly', ...body });
    expect(res.statusCode, res.body).toBe(200);
  }

  it('answers through the first provider and records one ledger row with the vendor’s usage and its cost', async () => {
    const user = await registerUser(t.app);
    fake.enqueue({ text: 'Se dice «la mesa».', usage: { inputTokens: 10, outputTokens: 5 } });
    const res = await user.request('POST', ASK, { question: 'How do I say table?', language: 'es' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      answer: 'Se dice «la mesa».',
      providerId: 'cloud',
      model: 'fake-model',
      cached: false,
      budgetWarnings: [],
    });
    const [row, ...rest] = await ledger(user.id);
    expect(rest).toEqual([]);
    expect(row).toMatchObject({
      purpose: 'other',
      provider_id: 'cloud',
      input_tokens: 10,
      output_tokens: 5,
      tokens_estimated: 0,
      outcome: 'ok',
      fallback: 0,
      cached: 0,
      request_id: res.headers['x-request-id'],
    });
    expect(Number(row!.cost_micros)).toBe(20);
  });

  it('sends the system prompt and the question to the model', async () => {
    const user = await registerUser(t.app);
    await user.request('POST', ASK, { question: 'What is «sobremesa»?', language: 'es' });
    const sent = fake.requests.at(-1)!.body as { messages: { role: string; content: string }[] };
    expect(sent.messages[0]).toMatchObject({ role: 'system' });
    expect(sent.messages[0]!.content).toContain('Spanish');
    expect(sent.messages.at(-1)).toEqual({ role: 'user', content: 'What is «sobremesa»?' });
  });

  it('fails over to the next provider on a 500 and records both attempts, the second as a fallback', async () => {
    const user = await registerUser(t.app);
    fake.enqueue({ status: 500 });
    backup.enqueue({ text: 'From the backup', usage: { inputTokens: 4, outputTokens: 3 } });
    const res = await user.request('POST', ASK, { question: 'Hello?' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ answer: 'From the backup', providerId: 'backup' });
    const rows = await ledger(user.id);
    expect(rows.map((r) => [r.provider_id, r.outcome, r.fallback])).toEqual([
      ['cloud', 'server_error', 0],
      ['backup', 'ok', 1],
    ]);
    expect(Number(rows[0]!.cost_micros)).toBe(0);
  });

  it('estimates tokens when the vendor reports no usage, and says so', async () => {
    const user = await registerUser(t.app);
    fake.enqueue({ text: 'twelve chars', usage: null });
    expect((await user.request('POST', ASK, { question: 'Hi' })).statusCode).toBe(200);
    const [row] = await ledger(user.id);
    expect(row).toMatchObject({ tokens_estimated: 1, output_tokens: 3 });
    expect(row!.input_tokens).toBeGreaterThan(0);
  });

  it('answers 502 ai_failed when every provider fails, with every attempt in the ledger', async () => {
    const user = await registerUser(t.app);
    fake.enqueue({ status: 503 });
    backup.enqueue({ status: 500 });
    const res = await user.request('POST', ASK, { question: 'Hello?' });
    expect(res.statusCode).toBe(502);
    expect(res.json().error.code).toBe('ai_failed');
    expect((await ledger(user.id)).map((r) => r.outcome)).toEqual(['server_error', 'server_error']);
  });

  it('refuses with 402 and says when the period resets once a block budget is spent', async () => {
    const user = await registerUser(t.app);
    await setBudget(user, { limitUsd: 0.00002, mode: 'block' });
    fake.enqueue({ usage: { inputTokens: 10, outputTokens: 5 } });
    expect((await user.request('POST', ASK, { question: 'One' })).statusCode).toBe(200);
    const res = await user.request('POST', ASK, { question: 'Two' });
    expect(res.statusCode).toBe(402);
    expect(res.json().error.code).toBe('budget_exhausted');
    expect(res.json().error.message).toMatch(/reset/i);
    expect(await ledger(user.id)).toHaveLength(1);
  });

  it('counts what the period already spent when a budget is set mid-period', async () => {
    const user = await registerUser(t.app);
    fake.enqueue({ usage: { inputTokens: 10, outputTokens: 5 } });
    expect((await user.request('POST', ASK, { question: 'Before any budget' })).statusCode).toBe(200);
    t.clock.advance(1000);
    await setBudget(user, { limitUsd: 0.00002, mode: 'block' });
    const status = (await user.request('GET', '/api/budget/status')).json();
    expect(status.user).toMatchObject({ spentUsd: 0.00002, percentUsed: 100 });
    expect((await user.request('POST', ASK, { question: 'After' })).statusCode).toBe(402);
  });

  it('carries a warning when a warn budget is spent, and still answers', async () => {
    const user = await registerUser(t.app);
    await setBudget(user, { limitUsd: 0.00001, mode: 'warn' });
    fake.enqueue({ usage: { inputTokens: 10, outputTokens: 5 } });
    await user.request('POST', ASK, { question: 'One' });
    const res = await user.request('POST', ASK, { question: 'Two' });
    expect(res.statusCode).toBe(200);
    expect(res.json().budgetWarnings).toEqual([expect.objectContaining({ scope: 'user', alertLevel: '100' })]);
  });

  it('in fallback mode with the budget spent uses only free providers, and none here means offline (503)', async () => {
    const user = await registerUser(t.app);
    await setBudget(user, { limitUsd: 0.00001, mode: 'fallback' });
    fake.enqueue({ usage: { inputTokens: 10, outputTokens: 5 } });
    expect((await user.request('POST', ASK, { question: 'One' })).statusCode).toBe(200);
    const res = await user.request('POST', ASK, { question: 'Two' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toMatchObject({ code: 'ai_unavailable' });
    expect(res.json().error.message).toMatch(/budget/);
  });

  it('reuses a deterministic translation from the cache at no cost, saying it was cached', async () => {
    const user = await registerUser(t.app);
    const call = {
      userId: user.id,
      purpose: 'translation' as const,
      requestId: 'r1',
      system: 'Translate the word in its sentence.',
      messages: [{ role: 'user' as const, content: `cuenta in «La cuenta, por favor» ${user.id}` }],
      maxTokens: 50,
      temperature: 0,
    };
    fake.enqueue({ text: 'bill' });
    const first = await t.app.services.ai.complete(call);
    const second = await t.app.services.ai.complete({ ...call, requestId: 'r2' });
    expect([first.cached, second.cached]).toEqual([false, true]);
    expect(second.text).toBe('bill');
    expect(fake.requests.filter((r) => r.protocol === 'openai')).toHaveLength(1);
    const rows = await ledger(user.id);
    expect(rows.map((r) => r.cached)).toEqual([0, 1]);
    expect(Number(rows[0]!.cost_micros)).toBeGreaterThan(0);
    expect(Number(rows[1]!.cost_micros)).toBe(0);
  });

  it('never caches a conversation turn, even at temperature 0', async () => {
    const user = await registerUser(t.app);
    const call = {
      userId: user.id,
      purpose: 'conversation' as const,
      requestId: 'r',
      system: null,
      messages: [{ role: 'user' as const, content: `Hola ${user.id}` }],
      maxTokens: 50,
      temperature: 0,
    };
    await t.app.services.ai.complete(call);
    expect((await t.app.services.ai.complete(call)).cached).toBe(false);
  });

  it('parses structured output, and fails over when a provider answers JSON of the wrong shape', async () => {
    const user = await registerUser(t.app);
    const output = { name: 'feedback', schema: z.object({ corrections: z.array(z.string()) }) };
    fake.enqueue({ text: '{"wrong": true}' });
    backup.enqueue({ text: '{"corrections": ["tengo hambre"]}' });
    const answer = await t.app.services.ai.complete({
      userId: user.id,
      purpose: 'correction',
      requestId: 'r',
      system: 'Correct it.',
      messages: [{ role: 'user', content: 'Yo es hambre' }],
      maxTokens: 200,
      output,
    });
    expect(answer.data).toEqual({ corrections: ['tengo hambre'] });
    expect(answer.providerId).toBe('backup');
    expect((await ledger(user.id)).map((r) => r.outcome)).toEqual(['malformed_output', 'ok']);
  });

  it('ends a stream that breaks after text reached the caller with an explicit error, never re-run elsewhere', async () => {
    const user = await registerUser(t.app);
    fake.enqueue({ text: 'uno dos tres cuatro', dropAfterTokens: 2 });
    const seen: string[] = [];
    const run = async () => {
      for await (const event of t.app.services.ai.stream({
        userId: user.id,
        purpose: 'conversation',
        requestId: 'r',
        system: null,
        messages: [{ role: 'user', content: 'Cuenta' }],
        maxTokens: 50,
      })) {
        if (event.type === 'token') seen.push(event.text);
      }
    };
    const error = await run().then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(AiFailedError);
    expect(error).toMatchObject({ failure: 'stream_interrupted', interrupted: true });
    expect(seen.join('')).toBe('uno dos ');
    expect(backup.requests).toHaveLength(0);
    const [row, ...rest] = await ledger(user.id);
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ outcome: 'stream_interrupted', tokens_estimated: 1 });
  });

  it('records the usage of a stream the caller abandons midway', async () => {
    const user = await registerUser(t.app);
    fake.enqueue({ text: 'uno dos tres cuatro', stallAfterTokens: 1 });
    const controller = new AbortController();
    const stream = t.app.services.ai.stream(
      {
        userId: user.id,
        purpose: 'conversation',
        requestId: 'r',
        system: null,
        messages: [{ role: 'user', content: 'Cuenta' }],
        maxTokens: 50,
      },
      controller.signal,
    );
    const first = await stream.next();
    expect(first.value).toEqual({ type: 'token', text: 'uno ' });
    controller.abort();
    await stream.return(undefined);
    const [row] = await ledger(user.id);
    expect(row).toMatchObject({ outcome: 'aborted', tokens_estimated: 1 });
    expect(Number(row!.cost_micros)).toBeGreaterThan(0);
  });
});

describe.each(testDatabases())('the AI gateway with no provider, on $name', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 503 ai_unavailable, so callers use the offline tutor', async () => {
    const user = await registerUser(t.app);
    const res = await user.request('POST', ASK, { question: 'Hello?' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('ai_unavailable');
    expect(t.app.services.ai.configured).toBe(false);
    await expect(
      t.app.services.ai.complete({
        userId: user.id,
        purpose: 'other',
        requestId: 'r',
        system: null,
        messages: [],
        maxTokens: 1,
      }),
    ).rejects.toBeInstanceOf(AiUnavailableError);
  });

  it('refuses an empty question naming the field', async () => {
    const user = await registerUser(t.app);
    const res = await user.request('POST', ASK, { question: '  ' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('question');
  });
});
