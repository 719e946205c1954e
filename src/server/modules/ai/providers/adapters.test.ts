import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeLlmServer } from '../../../test/llm-fakes/fake-llm-server.js';
import { ManualClock } from '../../../lib/clock.js';
import type { AdapterEvent, ChatRequest, ProviderConfig, ProviderKind } from '../ai.types.js';
import { ProviderError } from '../ai.types.js';
import { OPENING_USER_TURN } from './anthropic.js';
import { createAdapter, type ProbeableAdapter } from './index.js';
import { tokenLimit } from './openai-compatible.js';

const KEY = 'sk-test-0123456789-secret';

let fake: FakeLlmServer;
beforeAll(async () => {
  fake = await FakeLlmServer.start();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

const request = (overrides: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'tutor-model',
  system: 'You are a patient Spanish tutor.',
  messages: [
    { role: 'user', content: 'Hola, ¿cómo estás?' },
    { role: 'assistant', content: '¡Muy bien! ¿Y tú?' },
    { role: 'user', content: 'Bien, gracias.' },
  ],
  maxTokens: 200,
  temperature: 0.3,
  jsonSchema: null,
  ...overrides,
});

async function collect(stream: AsyncIterable<AdapterEvent>) {
  const events: AdapterEvent[] = [];
  try {
    for await (const e of stream) events.push(e);
    return { events, error: null };
  } catch (error) {
    return { events, error: error as ProviderError };
  }
}

const tokensOf = (events: AdapterEvent[]) => events.flatMap((e) => (e.type === 'token' ? [e.text] : [])).join('');

function adapterFor(kind: ProviderKind, overrides: Partial<ProviderConfig> = {}): ProbeableAdapter {
  return createAdapter(
    {
      id: kind === 'anthropic' ? 'claude' : 'gpt',
      kind,
      baseUrl: kind === 'anthropic' ? fake.anthropicBaseUrl : fake.openaiBaseUrl,
      apiKey: KEY,
      models: ['tutor-model'],
      inputPricePerMTokUsd: 1,
      outputPricePerMTokUsd: 2,
      languages: [],
      priority: 1,
      ...overrides,
    },
    new ManualClock('2026-01-05T09:00:00Z'),
  );
}

const signal = () => new AbortController().signal;

describe.each(['openai-compatible', 'anthropic'] as const)('the %s adapter against its protocol fake', (kind) => {
  const isOpenAi = kind === 'openai-compatible';

  it('streams open, the tokens and one end with the usage the vendor reported', async () => {
    fake.enqueue({ tokens: ['Hola', ', ', 'amigo'], usage: { inputTokens: 42, outputTokens: 3 } });
    const { events, error } = await collect(adapterFor(kind).stream(request(), signal()));
    expect(error).toBeNull();
    expect(events).toEqual([
      { type: 'open' },
      { type: 'token', text: 'Hola' },
      { type: 'token', text: ', ' },
      { type: 'token', text: 'amigo' },
      { type: 'end', usage: { inputTokens: 42, outputTokens: 3 }, model: 'tutor-model' },
    ]);
  });

  it('sends the system prompt and the whole history, the token limit and the key', async () => {
    await collect(adapterFor(kind).stream(request(), signal()));
    const [sent] = fake.completions;
    const body = sent!.body!;
    expect(sent!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(body.model).toBe('tutor-model');
    expect(body.stream).toBe(true);
    const history = [
      { role: 'user', content: 'Hola, ¿cómo estás?' },
      { role: 'assistant', content: '¡Muy bien! ¿Y tú?' },
      { role: 'user', content: 'Bien, gracias.' },
    ];
    if (isOpenAi) {
      expect(body.messages).toEqual([{ role: 'system', content: 'You are a patient Spanish tutor.' }, ...history]);
      expect(body.stream_options).toEqual({ include_usage: true });
      expect(body.max_tokens).toBe(200);
      expect(body.temperature).toBe(0.3);
    } else {
      expect(body.system).toBe('You are a patient Spanish tutor.');
      expect(body.messages).toEqual(history);
      expect(body.max_tokens).toBe(200);
    }
  });

  it('answers a whole completion without streaming', async () => {
    fake.enqueue({ text: 'Muy bien.', usage: { inputTokens: 10, outputTokens: 2 } });
    const result = await adapterFor(kind).complete(request(), signal());
    expect(result).toEqual({ text: 'Muy bien.', usage: { inputTokens: 10, outputTokens: 2 }, model: 'tutor-model' });
    expect(fake.completions[0]!.body!.stream).toBe(false);
  });

  it('reports null usage when the vendor sends none, streamed or not', async () => {
    fake.enqueue({ usage: null }, { usage: null });
    const { events } = await collect(adapterFor(kind).stream(request({ system: null }), signal()));
    expect(events.at(-1)).toEqual({ type: 'end', usage: null, model: 'tutor-model' });
    expect((await adapterFor(kind).complete(request(), signal())).usage).toBeNull();
  });

  it('leaves out the system prompt when there is none', async () => {
    await collect(adapterFor(kind).stream(request({ system: null }), signal()));
    const body = fake.completions[0]!.body!;
    if (isOpenAi) expect((body.messages as { role: string }[])[0]!.role).toBe('user');
    else expect(body).not.toHaveProperty('system');
  });

  it('asks for structured output the vendor way and returns the JSON text', async () => {
    const jsonSchema = {
      name: 'correction result',
      schema: { type: 'object', properties: { fixed: { type: 'string' } }, required: ['fixed'] },
    };
    fake.enqueue({ tokens: ['{"fixed":', '"Estoy bien"}'] }, { text: '{"fixed":"Estoy bien"}' });
    const { events } = await collect(adapterFor(kind).stream(request({ jsonSchema }), signal()));
    expect(tokensOf(events)).toBe('{"fixed":"Estoy bien"}');
    const whole = await adapterFor(kind).complete(request({ jsonSchema }), signal());
    expect(JSON.parse(whole.text)).toEqual({ fixed: 'Estoy bien' });
    const body = fake.completions[0]!.body!;
    if (isOpenAi) {
      expect(body.response_format).toEqual({
        type: 'json_schema',
        json_schema: { name: 'correction_result', schema: jsonSchema.schema, strict: false },
      });
    } else {
      expect(body.tools).toEqual([
        expect.objectContaining({ name: 'correction_result', input_schema: jsonSchema.schema }),
      ]);
      expect(body.tool_choice).toEqual({ type: 'tool', name: 'correction_result' });
    }
  });

  it('classifies a 429 as rate_limited with the Retry-After in milliseconds', async () => {
    fake.enqueue({ status: 429, retryAfter: '7' });
    const { error } = await collect(adapterFor(kind).stream(request(), signal()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ failure: 'rate_limited', details: { status: 429, retryAfterMs: 7000 } });
  });

  it('reads a Retry-After given as an HTTP date against the clock', async () => {
    fake.enqueue({ status: 429, retryAfter: 'Mon, 05 Jan 2026 09:00:30 GMT' });
    const { error } = await collect(adapterFor(kind).stream(request(), signal()));
    expect(error!.details.retryAfterMs).toBe(30_000);
  });

  it.each([
    [500, 'server_error'],
    [503, 'server_error'],
    [401, 'auth_error'],
    [403, 'auth_error'],
    [400, 'client_error'],
    [404, 'client_error'],
  ] as const)('classifies HTTP %i as %s, streamed or not', async (status, failure) => {
    fake.enqueue({ status }, { status });
    const { error } = await collect(adapterFor(kind).stream(request(), signal()));
    expect(error).toMatchObject({ failure, details: { status } });
    expect(error!.message).toMatch(new RegExp(`^(gpt|claude): HTTP ${status}`));
    await expect(adapterFor(kind).complete(request(), signal())).rejects.toMatchObject({ failure });
  });

  it('never puts the key in an error message, even when the vendor echoes it', async () => {
    fake.enqueue({ status: 401, errorMessage: `Incorrect API key provided: ${KEY}` });
    const { error } = await collect(adapterFor(kind).stream(request(), signal()));
    expect(error!.failure).toBe('auth_error');
    expect(error!.message).not.toContain(KEY);
    expect(error!.message).toContain('[key]');
  });

  it('classifies a connection dropped mid-stream as connection_error, after the tokens it delivered', async () => {
    fake.enqueue({ tokens: ['Uno ', 'dos ', 'tres'], dropAfterTokens: 2 });
    const { events, error } = await collect(adapterFor(kind).stream(request(), signal()));
    expect(tokensOf(events)).toBe('Uno dos ');
    expect(error).toMatchObject({ failure: 'connection_error' });
  });

  it('classifies a server that is not there as connection_error', async () => {
    const dead = adapterFor(kind, { baseUrl: isOpenAi ? 'http://127.0.0.1:59999/v1' : 'http://127.0.0.1:59999' });
    const { events, error } = await collect(dead.stream(request(), signal()));
    expect(events).toEqual([]);
    expect(error).toMatchObject({ failure: 'connection_error' });
  });

  it('classifies a stream that ends before any text as empty_stream, streamed or not', async () => {
    fake.enqueue({ tokens: [] }, { text: '' });
    const { events, error } = await collect(adapterFor(kind).stream(request(), signal()));
    expect(events).toEqual([{ type: 'open' }]);
    expect(error).toMatchObject({ failure: 'empty_stream' });
    await expect(adapterFor(kind).complete(request(), signal())).rejects.toMatchObject({ failure: 'empty_stream' });
  });

  it('classifies a garbage body as server_error, streamed or not', async () => {
    fake.enqueue({ garbage: true }, { garbage: true });
    expect((await collect(adapterFor(kind).stream(request(), signal()))).error).toMatchObject({
      failure: 'server_error',
    });
    await expect(adapterFor(kind).complete(request(), signal())).rejects.toMatchObject({ failure: 'server_error' });
  });

  it('classifies an error event inside the stream by its type', async () => {
    fake.enqueue(
      { tokens: ['a ', 'b'], errorEventAfterTokens: 1, errorEventType: 'overloaded_error' },
      { tokens: ['a ', 'b'], errorEventAfterTokens: 0, errorEventType: 'rate_limit_error' },
    );
    const first = await collect(adapterFor(kind).stream(request(), signal()));
    expect(tokensOf(first.events)).toBe('a ');
    expect(first.error).toMatchObject({ failure: 'server_error' });
    expect((await collect(adapterFor(kind).stream(request(), signal()))).error).toMatchObject({
      failure: 'rate_limited',
    });
  });

  it('stops the HTTP request at once when the signal aborts midway, and says aborted', async () => {
    fake.enqueue({ stallBeforeFirstToken: true });
    const controller = new AbortController();
    const events: AdapterEvent[] = [];
    let caught: unknown = null;
    try {
      for await (const e of adapterFor(kind).stream(request(), controller.signal)) {
        events.push(e);
        if (e.type === 'open') controller.abort();
      }
    } catch (err) {
      caught = err;
    }
    expect(events).toEqual([{ type: 'open' }]);
    expect(caught).toMatchObject({ failure: 'aborted' });
    await expect.poll(() => fake.completions[0]!.clientClosed).toBe(true);
  });

  it('keeps the abort reason when it is a ProviderError (the router says why it aborted)', async () => {
    fake.enqueue({ stallBeforeHeaders: true });
    const controller = new AbortController();
    const pending = collect(adapterFor(kind).stream(request(), controller.signal));
    await fake.waitForRequests(1);
    controller.abort(new ProviderError('connect_timeout', 'too slow'));
    expect((await pending).error).toMatchObject({ failure: 'connect_timeout', message: 'too slow' });
  });

  it('probes the provider with a model list, and reports a failing one by class', async () => {
    await expect(adapterFor(kind).probe(signal())).resolves.toBeUndefined();
    expect(fake.requests.at(-1)).toMatchObject({ protocol: 'models', method: 'GET' });
    const dead = adapterFor(kind, { baseUrl: isOpenAi ? 'http://127.0.0.1:59999/v1' : 'http://127.0.0.1:59999' });
    await expect(dead.probe(signal())).rejects.toMatchObject({ failure: 'connection_error' });
  });
});

describe('the openai-compatible adapter', () => {
  it('sends no Authorization header for a local server without a key', async () => {
    await collect(adapterFor('openai-compatible', { apiKey: null }).stream(request(), signal()));
    expect(fake.completions[0]!.headers).not.toHaveProperty('authorization');
  });

  it("uses max_completion_tokens on OpenAI's own API and max_tokens elsewhere", () => {
    expect(tokenLimit('https://api.openai.com/v1', 50)).toEqual({ max_completion_tokens: 50 });
    expect(tokenLimit('http://127.0.0.1:11434/v1', 50)).toEqual({ max_tokens: 50 });
  });
});

describe('the anthropic adapter', () => {
  it('takes the usage from the final message_delta when message_start carries none', async () => {
    fake.enqueue({ usage: { inputTokens: 12, outputTokens: 3 }, usageOnlyAtEnd: true });
    const { events } = await collect(adapterFor('anthropic').stream(request(), signal()));
    expect(events.at(-1)).toEqual({ type: 'end', usage: { inputTokens: 12, outputTokens: 3 }, model: 'tutor-model' });
  });

  it('puts a neutral user turn first when the history opens with the tutor', async () => {
    const messages = [
      { role: 'assistant' as const, content: '¡Bienvenido al restaurante!' },
      { role: 'user' as const, content: 'Una mesa para dos.' },
    ];
    await collect(adapterFor('anthropic').stream(request({ messages }), signal()));
    expect(fake.completions[0]!.body!.messages).toEqual([{ role: 'user', content: OPENING_USER_TURN }, ...messages]);
  });

  it('answers a forced tool ignored by the model as its prose (the router will find it malformed)', async () => {
    const jsonSchema = { name: 'x', schema: { type: 'object' } };
    fake.enqueue({ text: 'not json at all' });
    const result = await adapterFor('anthropic').complete(request({ jsonSchema }), signal());
    expect(result.text).toBe('not json at all');
  });

  it('refuses to be built without a key', () => {
    expect(() => adapterFor('anthropic', { apiKey: null })).toThrow(/needs an API key/);
  });
});
