import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../lib/clock.js';
import { type FakeReply, FakeLlmServer } from '../../test/llm-fakes/fake-llm-server.js';
import type { AdapterEvent, ProviderAdapter, ProviderConfig } from './ai.types.js';
import { ProviderError } from './ai.types.js';
import type { RouterPort } from './gateway.js';
import { createAdapter } from './providers/index.js';
import {
  AiRouter,
  AllProvidersFailedError,
  type AttemptRecord,
  type RouterEvent,
  type RouterOptions,
  type RouterRequest,
} from './router.js';

const IDS = ['a', 'b', 'c'] as const;
type Id = (typeof IDS)[number];

const fakes = {} as Record<Id, FakeLlmServer>;
beforeAll(async () => {
  for (const id of IDS) fakes[id] = await FakeLlmServer.start();
});
afterAll(async () => {
  for (const id of IDS) await fakes[id].close();
});
beforeEach(() => {
  for (const id of IDS) fakes[id].reset();
});

const OPTIONS: Partial<RouterOptions> = {
  connectTimeoutMs: 1_000,
  firstTokenTimeoutMs: 2_000,
  deadlineMs: 10_000,
  maxRetryAfterMs: 3_000,
  breakerFailureThreshold: 3,
  breakerCooldownMs: 30_000,
};

function provider(id: Id, overrides: Partial<ProviderConfig> = {}): ProviderConfig {
  const kind = overrides.kind ?? (id === 'b' ? 'anthropic' : 'openai-compatible');
  return {
    id,
    kind,
    baseUrl: kind === 'anthropic' ? fakes[id].anthropicBaseUrl : fakes[id].openaiBaseUrl,
    apiKey: `key-${id}`,
    models: [`model-${id}`],
    inputPricePerMTokUsd: 1,
    outputPricePerMTokUsd: 2,
    languages: [],
    priority: 10,
    ...overrides,
  };
}

/**
 * A router over the given providers with a hand-moved clock. `passed` lists `<id>:<event>` once the router has
 * taken an adapter event and asked for the next one — so the timers that event arms are set.
 */
function setup(providers: ProviderConfig[], options: Partial<RouterOptions> = {}) {
  const clock = new ManualClock();
  const passed: string[] = [];
  const router = new AiRouter({
    providers,
    clock,
    options: { ...OPTIONS, ...options },
    createAdapter: (config) => {
      const inner = createAdapter(config, clock);
      return {
        config,
        complete: (request, signal) => inner.complete(request, signal),
        probe: (signal: AbortSignal) => inner.probe(signal),
        async *stream(request, signal) {
          for await (const event of inner.stream(request, signal)) {
            yield event;
            passed.push(`${config.id}:${event.type}`);
          }
        },
      };
    },
  });
  const records: AttemptRecord[] = [];
  const run = (candidates: readonly ProviderConfig[], request: Partial<RouterRequest> = {}, signal?: AbortSignal) =>
    drain(
      router.run({ ...REQUEST, ...request }, candidates, {
        onAttempt: (r) => records.push(r),
        ...(signal ? { signal } : {}),
      }),
    );
  return { clock, router, records, passed, run };
}

const REQUEST: RouterRequest = {
  system: 'You are a patient Spanish tutor.',
  messages: [
    { role: 'user', content: 'Hola' },
    { role: 'assistant', content: '¡Hola! ¿Qué tal?' },
    { role: 'user', content: 'Bien.' },
  ],
  maxTokens: 100,
  temperature: 0.7,
  jsonSchema: null,
};

async function drain(iterable: AsyncIterable<RouterEvent>) {
  const events: RouterEvent[] = [];
  try {
    for await (const e of iterable) events.push(e);
    return { events, error: null };
  } catch (error) {
    return { events, error: error as ProviderError };
  }
}

const text = (events: RouterEvent[]) => events.flatMap((e) => (e.type === 'token' ? [e.text] : [])).join('');
const done = (events: RouterEvent[]) => events.find((e) => e.type === 'done');
const attempts = (events: RouterEvent[]) =>
  events.flatMap((e) => (e.type === 'attempt' ? [`${e.providerId}${e.fallback ? '*' : ''}`] : []));

/** Fails `id` once through a run of its own. */
async function failOnce(t: ReturnType<typeof setup>, p: ProviderConfig, reply: FakeReply = { status: 500 }) {
  fakes[p.id as Id].enqueue(reply);
  await t.run([p]);
}

describe('candidate order', () => {
  it('puts providers listing the language first, then those serving any, then by priority', () => {
    const a = provider('a', { languages: ['es'], priority: 50 });
    const b = provider('b', { languages: [], priority: 10 });
    const c = provider('c', { languages: ['fr', 'pt'], priority: 1 });
    const { router } = setup([a, b, c]);
    expect(router.candidates({ language: 'es' }).map((p) => p.id)).toEqual(['a', 'b', 'c']);
    expect(router.candidates({ language: 'FR' }).map((p) => p.id)).toEqual(['c', 'b', 'a']);
    expect(router.candidates({ language: 'pt-BR' }).map((p) => p.id)).toEqual(['c', 'b', 'a']);
    expect(router.candidates({}).map((p) => p.id)).toEqual(['c', 'b', 'a']);
  });

  it('breaks ties by id', () => {
    const { router } = setup([provider('b'), provider('a')]);
    expect(router.candidates().map((p) => p.id)).toEqual(['a', 'b']);
  });

  it("puts the user's preferred provider first when it is configured", () => {
    const { router } = setup([provider('a', { priority: 1 }), provider('b', { priority: 2 })]);
    expect(router.candidates({ preferredProviderId: 'b' }).map((p) => p.id)).toEqual(['b', 'a']);
    expect(router.candidates({ preferredProviderId: 'nope' }).map((p) => p.id)).toEqual(['a', 'b']);
  });

  it('keeps only free providers when the budget allows only those — the preferred one included', () => {
    const free = provider('c', { inputPricePerMTokUsd: 0, outputPricePerMTokUsd: 0, priority: 99 });
    const halfFree = provider('b', { inputPricePerMTokUsd: 0, outputPricePerMTokUsd: 1 });
    const { router } = setup([provider('a'), halfFree, free]);
    expect(router.candidates({ zeroCostOnly: true, preferredProviderId: 'a' }).map((p) => p.id)).toEqual(['c']);
  });

  it('ranks a provider that keeps failing after healthy ones, whatever its priority', async () => {
    const a = provider('a', { priority: 1 });
    const t = setup([a, provider('c', { priority: 2 })], { breakerFailureThreshold: 10 });
    for (let i = 0; i < 3; i++) await failOnce(t, a);
    expect(t.router.candidates().map((p) => p.id)).toEqual(['c', 'a']);
    expect(t.router.candidates({ preferredProviderId: 'a' }).map((p) => p.id)).toEqual(['a', 'c']);
  });
});

describe('a call', () => {
  it('streams the attempt, the tokens and done, and records the attempt with the usage', async () => {
    const t = setup([provider('a')]);
    fakes.a.enqueue({ tokens: ['¡Qué ', 'bien!'], usage: { inputTokens: 30, outputTokens: 2 } });
    const { events, error } = await t.run([provider('a')]);
    expect(error).toBeNull();
    expect(events).toEqual([
      { type: 'attempt', providerId: 'a', model: 'model-a', fallback: false },
      { type: 'token', text: '¡Qué ' },
      { type: 'token', text: 'bien!' },
      {
        type: 'done',
        providerId: 'a',
        model: 'model-a',
        text: '¡Qué bien!',
        usage: { inputTokens: 30, outputTokens: 2 },
        fallback: false,
      },
    ]);
    expect(t.records).toEqual([
      {
        providerId: 'a',
        model: 'model-a',
        usage: { inputTokens: 30, outputTokens: 2 },
        outputText: '¡Qué bien!',
        ttftMs: 0,
        totalMs: 0,
        outcome: 'ok',
        fallback: false,
      },
    ]);
  });

  it('hands the system prompt and the whole history to the provider', async () => {
    const t = setup([provider('b')]);
    await t.run([provider('b')]);
    expect(fakes.b.completions[0]!.body).toMatchObject({
      model: 'model-b',
      system: REQUEST.system,
      messages: REQUEST.messages,
      max_tokens: 100,
    });
  });

  it('measures the time to first token and the total time on the clock', async () => {
    const t = setup([provider('a')]);
    fakes.a.enqueue({ stallBeforeFirstToken: true });
    const pending = t.run([provider('a')]);
    await vi.waitFor(() => expect(t.passed).toContain('a:open'));
    t.clock.advance(1_500);
    fakes.a.resume();
    const { error } = await pending;
    expect(error).toBeNull();
    expect(t.records[0]).toMatchObject({ outcome: 'ok', ttftMs: 1_500, totalMs: 1_500 });
  });
});

describe('failover', () => {
  it.each<[string, FakeReply, string]>([
    ['a 5xx', { status: 503 }, 'server_error'],
    ['a 429 while another candidate remains (no waiting)', { status: 429, retryAfter: '2' }, 'rate_limited'],
    ['a bad key', { status: 401 }, 'auth_error'],
    ['a connection reset before any text', { dropAfterTokens: 0 }, 'connection_error'],
    ['a stream that ends before its first token', { tokens: [] }, 'empty_stream'],
    ['a body that is not the protocol', { garbage: true }, 'server_error'],
  ])('moves on after %s', async (_what, reply, failure) => {
    const t = setup([provider('a'), provider('b')]);
    fakes.a.enqueue(reply);
    fakes.b.enqueue({ text: 'Desde b' });
    const { events, error } = await t.run([provider('a'), provider('b')]);
    expect(error).toBeNull();
    expect(attempts(events)).toEqual(['a', 'b*']);
    expect(done(events)).toMatchObject({ providerId: 'b', text: 'Desde b', fallback: true });
    expect(t.records.map((r) => [r.providerId, r.outcome, r.fallback])).toEqual([
      ['a', failure, false],
      ['b', 'ok', true],
    ]);
    expect(fakes.a.completions).toHaveLength(1);
  });

  it('moves on when the provider sends no headers within the connect timeout, and hangs up on it', async () => {
    const t = setup([provider('a'), provider('b')]);
    fakes.a.enqueue({ stallBeforeHeaders: true });
    const pending = t.run([provider('a'), provider('b')]);
    await fakes.a.waitForRequests(1);
    t.clock.advance(999);
    expect(fakes.b.completions).toHaveLength(0);
    t.clock.advance(1);
    const { events, error } = await pending;
    expect(error).toBeNull();
    expect(done(events)).toMatchObject({ providerId: 'b' });
    expect(t.records[0]).toMatchObject({ providerId: 'a', outcome: 'connect_timeout', ttftMs: null, totalMs: 1_000 });
    await vi.waitFor(() => expect(fakes.a.completions[0]!.clientClosed).toBe(true));
  });

  it('moves on when no token follows the headers within the first-token timeout', async () => {
    const t = setup([provider('b'), provider('a')]);
    fakes.b.enqueue({ stallBeforeFirstToken: true });
    const pending = t.run([provider('b'), provider('a')]);
    await vi.waitFor(() => expect(t.passed).toContain('b:open'));
    t.clock.advance(1_999);
    expect(fakes.a.completions).toHaveLength(0);
    t.clock.advance(1);
    const { events, error } = await pending;
    expect(error).toBeNull();
    expect(done(events)).toMatchObject({ providerId: 'a', fallback: true });
    expect(t.records[0]).toMatchObject({ providerId: 'b', outcome: 'first_token_timeout' });
  });

  it('holds structured output back until it validates, and moves on when it does not', async () => {
    const t = setup([provider('a'), provider('b')]);
    fakes.a.enqueue({ tokens: ['{"fixed":', ' 3}'] });
    fakes.b.enqueue({ tokens: ['{"fixed":', '"Estoy bien"}'] });
    const validate = (s: string) => {
      const parsed = JSON.parse(s) as { fixed: unknown };
      if (typeof parsed.fixed !== 'string') throw new Error('fixed: expected string');
      return parsed;
    };
    const jsonSchema = { name: 'fix', schema: { type: 'object' } };
    const { events, error } = await t.run([provider('a'), provider('b')], { validate, jsonSchema });
    expect(error).toBeNull();
    expect(events.map((e) => e.type)).toEqual(['attempt', 'attempt', 'token', 'done']);
    expect(text(events)).toBe('{"fixed":"Estoy bien"}');
    expect(t.records.map((r) => [r.providerId, r.outcome, r.outputText])).toEqual([
      ['a', 'malformed_output', '{"fixed": 3}'],
      ['b', 'ok', '{"fixed":"Estoy bien"}'],
    ]);
  });

  it('does not fail over on a client error: the request is wrong everywhere', async () => {
    const t = setup([provider('a'), provider('b')]);
    fakes.a.enqueue({ status: 400, errorMessage: 'max_tokens too large' });
    const { error } = await t.run([provider('a'), provider('b')]);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).not.toBeInstanceOf(AllProvidersFailedError);
    expect(error).toMatchObject({ failure: 'client_error' });
    expect(error!.message).toContain('max_tokens too large');
    expect(fakes.b.completions).toHaveLength(0);
  });

  it('fails with every attempt listed when no candidate answers', async () => {
    const t = setup([provider('a'), provider('b')]);
    fakes.a.enqueue({ status: 500 });
    fakes.b.enqueue({ status: 401 });
    const { error } = await t.run([provider('a'), provider('b')]);
    expect(error).toBeInstanceOf(AllProvidersFailedError);
    expect(error).toMatchObject({
      failure: 'auth_error',
      attempts: [
        { providerId: 'a', model: 'model-a', failure: 'server_error' },
        { providerId: 'b', model: 'model-b', failure: 'auth_error' },
      ],
    });
    expect(error!.message).toBe('every provider failed (a server_error, b auth_error)');
  });

  it('fails at once with no candidates', async () => {
    const t = setup([]);
    const { error } = await t.run([]);
    expect(error).toBeInstanceOf(AllProvidersFailedError);
    expect(error!.message).toBe('no provider can take this call');
  });

  it('refuses a candidate that is not configured', async () => {
    const t = setup([provider('a')]);
    const { error } = await t.run([provider('b')]);
    expect((error as Error).message).toMatch(/b is not a configured provider/);
  });
});

describe('rate limits on the last candidate', () => {
  it('waits out Retry-After and tries the same provider once more', async () => {
    const t = setup([provider('a')]);
    fakes.a.enqueue({ status: 429, retryAfter: '2' }, { text: 'Ahora sí' });
    const pending = t.run([provider('a')]);
    await vi.waitFor(() => expect(t.records).toHaveLength(1));
    await vi.waitFor(() => expect(t.clock.pendingTimers).toBe(2)); // the deadline and the wait
    t.clock.advance(1_999);
    expect(fakes.a.completions).toHaveLength(1);
    t.clock.advance(1);
    const { events, error } = await pending;
    expect(error).toBeNull();
    expect(attempts(events)).toEqual(['a', 'a*']);
    expect(done(events)).toMatchObject({ text: 'Ahora sí', fallback: true });
    expect(t.records.map((r) => r.outcome)).toEqual(['rate_limited', 'ok']);
  });

  it('waits one second when the 429 gives no Retry-After', async () => {
    const t = setup([provider('a')]);
    fakes.a.enqueue({ status: 429 });
    const pending = t.run([provider('a')]);
    await vi.waitFor(() => expect(t.records).toHaveLength(1));
    await vi.waitFor(() => expect(t.clock.pendingTimers).toBe(2));
    t.clock.advance(1_000);
    expect((await pending).error).toBeNull();
  });

  it('gives up at once when Retry-After is longer than the bound', async () => {
    const t = setup([provider('a')]);
    fakes.a.enqueue({ status: 429, retryAfter: '4' });
    const { error } = await t.run([provider('a')]);
    expect(error).toMatchObject({ failure: 'rate_limited', attempts: [{ providerId: 'a', failure: 'rate_limited' }] });
    expect(fakes.a.completions).toHaveLength(1);
  });

  it('tries only once more', async () => {
    const t = setup([provider('a')]);
    fakes.a.enqueue({ status: 429, retryAfter: '0' }, { status: 429, retryAfter: '0' });
    const { error } = await t.run([provider('a')]);
    expect(error).toMatchObject({ failure: 'rate_limited' });
    expect(fakes.a.completions).toHaveLength(2);
  });
});

describe('the overall deadline', () => {
  it('ends the call when it passes, whatever the per-attempt timeouts', async () => {
    const t = setup([provider('a'), provider('b')], { connectTimeoutMs: 60_000 });
    fakes.a.enqueue({ stallBeforeHeaders: true });
    const pending = t.run([provider('a'), provider('b')]);
    await fakes.a.waitForRequests(1);
    t.clock.advance(10_000);
    const { error } = await pending;
    expect(error).toBeInstanceOf(AllProvidersFailedError);
    expect(error).toMatchObject({ failure: 'deadline_exceeded' });
    expect(error!.message).toBe('no provider answered within 10000 ms (a deadline_exceeded)');
    expect(t.records).toMatchObject([{ providerId: 'a', outcome: 'deadline_exceeded', totalMs: 10_000 }]);
    expect(fakes.b.completions).toHaveLength(0);
  });

  it('reports the deadline when it passed during the last attempt, whatever ended that attempt', async () => {
    const t = setup([provider('a')], { connectTimeoutMs: 9_999 });
    fakes.a.enqueue({ stallBeforeHeaders: true });
    const pending = t.run([provider('a')]);
    await fakes.a.waitForRequests(1);
    t.clock.advance(10_000); // the connect timeout and the deadline, in that order
    const { error } = await pending;
    expect(error).toMatchObject({ failure: 'deadline_exceeded', attempts: [{ failure: 'connect_timeout' }] });
  });

  it('counts the failovers against it: no Retry-After wait that would end past it', async () => {
    const t = setup([provider('a'), provider('b')], { deadlineMs: 1_800 });
    fakes.a.enqueue({ stallBeforeHeaders: true });
    fakes.b.enqueue({ status: 429, retryAfter: '1' });
    const pending = t.run([provider('a'), provider('b')]);
    await fakes.a.waitForRequests(1);
    t.clock.advance(1_000); // a: connect timeout; b answers 429 at once
    const { error } = await pending;
    expect(error).toMatchObject({ failure: 'rate_limited' });
    expect(error!.message).toBe('every provider failed (a connect_timeout, b rate_limited)');
    expect(fakes.b.completions).toHaveLength(1);
  });
});

describe('after text reached the caller', () => {
  it('ends a broken stream with stream_interrupted and never re-runs it elsewhere', async () => {
    const t = setup([provider('a'), provider('b')]);
    fakes.a.enqueue({ tokens: ['Uno ', 'dos ', 'tres'], dropAfterTokens: 2 });
    const { events, error } = await t.run([provider('a'), provider('b')]);
    expect(text(events)).toBe('Uno dos ');
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ failure: 'stream_interrupted' });
    expect(error!.message).toMatch(/^a: the answer broke off midway \(connection_error/);
    expect(fakes.b.completions).toHaveLength(0);
    expect(t.records).toMatchObject([{ providerId: 'a', outcome: 'stream_interrupted', outputText: 'Uno dos ' }]);
  });

  it('ends with stream_interrupted when the deadline passes mid-stream', async () => {
    const t = setup([provider('a')]);
    fakes.a.enqueue({ tokens: ['Uno ', 'dos'], stallAfterTokens: 1 });
    const pending = t.run([provider('a')]);
    await vi.waitFor(() => expect(t.passed).toContain('a:token'));
    t.clock.advance(10_000);
    const { error } = await pending;
    expect(error).toMatchObject({ failure: 'stream_interrupted' });
    expect(error!.message).toMatch(/deadline_exceeded/);
  });
});

describe('a caller that goes away', () => {
  it('aborts the attempt at once and records it as aborted with the text so far', async () => {
    const t = setup([provider('a'), provider('b')]);
    fakes.a.enqueue({ tokens: ['Uno ', 'dos'], stallAfterTokens: 1 });
    const controller = new AbortController();
    const events: RouterEvent[] = [];
    let caught: unknown = null;
    try {
      const stream = t.router.run(REQUEST, [provider('a'), provider('b')], {
        signal: controller.signal,
        onAttempt: (r) => t.records.push(r),
      });
      for await (const e of stream) {
        events.push(e);
        if (e.type === 'token') controller.abort();
      }
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ failure: 'aborted' });
    expect(t.records).toEqual([expect.objectContaining({ outcome: 'aborted', outputText: 'Uno ', usage: null })]);
    expect(fakes.b.completions).toHaveLength(0);
    await vi.waitFor(() => expect(fakes.a.completions[0]!.clientClosed).toBe(true));
  });

  it('records an aborted attempt when the caller stops reading, and hangs up', async () => {
    const t = setup([provider('a')]);
    fakes.a.enqueue({ tokens: ['Uno ', 'dos'], stallAfterTokens: 1 });
    for await (const e of t.router.run(REQUEST, [provider('a')], { onAttempt: (r) => t.records.push(r) })) {
      if (e.type === 'token') break;
    }
    expect(t.records).toEqual([expect.objectContaining({ outcome: 'aborted', outputText: 'Uno ' })]);
    await vi.waitFor(() => expect(fakes.a.completions[0]!.clientClosed).toBe(true));
    expect(t.clock.pendingTimers).toBe(0);
  });

  it('aborts before any attempt when the signal already aborted', async () => {
    const t = setup([provider('a')]);
    const controller = new AbortController();
    controller.abort();
    const { events, error } = await t.run([provider('a')], {}, controller.signal);
    expect(events).toEqual([]);
    expect(error).toMatchObject({ failure: 'aborted' });
    expect(fakes.a.completions).toHaveLength(0);
  });

  it('aborts between attempts, during a Retry-After wait', async () => {
    const t = setup([provider('a')]);
    fakes.a.enqueue({ status: 429, retryAfter: '2' });
    const controller = new AbortController();
    const pending = t.run([provider('a')], {}, controller.signal);
    await vi.waitFor(() => expect(t.records).toHaveLength(1));
    await vi.waitFor(() => expect(t.clock.pendingTimers).toBe(2));
    controller.abort();
    expect((await pending).error).toMatchObject({ failure: 'aborted' });
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures: the provider leaves the candidates and is skipped', async () => {
    const a = provider('a', { priority: 1 });
    const b = provider('b', { priority: 2 });
    const t = setup([a, b]);
    for (let i = 0; i < 3; i++) await failOnce(t, a);
    expect(t.router.candidates().map((p) => p.id)).toEqual(['b']);
    const { events } = await t.run([a, b]);
    expect(attempts(events)).toEqual(['b']);
    expect(fakes.a.completions).toHaveLength(3);
    const { error } = await t.run([a]);
    expect(error).toMatchObject({ failure: 'circuit_open', attempts: [{ providerId: 'a', failure: 'circuit_open' }] });
  });

  it('lets one probe through after the cool-down; its success closes the circuit', async () => {
    const a = provider('a');
    const t = setup([a, provider('b')]);
    for (let i = 0; i < 3; i++) await failOnce(t, a);
    t.clock.advance(30_000);
    expect(t.router.candidates().map((p) => p.id)).toEqual(['b', 'a']); // half-open ranks as unhealthy
    fakes.a.enqueue({ stallBeforeFirstToken: true });
    const probe = t.run([a]);
    await fakes.a.waitForRequests(4);
    expect(t.router.candidates().map((p) => p.id)).toEqual(['b']); // the probe is under way
    const second = await t.run([a, provider('b')]);
    expect(attempts(second.events)).toEqual(['b']);
    fakes.a.resume();
    expect((await probe).error).toBeNull();
    expect(t.router.statuses()[0]!.circuit).toEqual({ state: 'closed', consecutiveFailures: 0, retryAt: null });
  });

  it('reopens when the probe fails', async () => {
    const a = provider('a');
    const t = setup([a]);
    for (let i = 0; i < 3; i++) await failOnce(t, a);
    t.clock.advance(30_000);
    await failOnce(t, a, { status: 502 });
    expect(t.router.statuses()[0]!.circuit).toMatchObject({ state: 'open', consecutiveFailures: 4 });
    expect(t.router.candidates()).toEqual([]);
  });

  it('does not count malformed output, client errors or aborts against the provider', async () => {
    const a = provider('a');
    const t = setup([a]);
    const validate = () => {
      throw new Error('nope');
    };
    for (let i = 0; i < 3; i++) {
      fakes.a.enqueue({});
      await t.run([a], { validate });
    }
    for (let i = 0; i < 3; i++) await failOnce(t, a, { status: 422 });
    expect(t.router.statuses()[0]!.circuit.state).toBe('closed');
  });
});

describe('health and probes', () => {
  it('reports circuit state and the recent error rate and latency per provider', async () => {
    const a = provider('a');
    const t = setup([a, provider('b')]);
    await failOnce(t, a);
    await t.run([a]);
    const [status, other] = t.router.statuses();
    expect(status).toMatchObject({
      provider: { id: 'a' },
      circuit: { state: 'closed', consecutiveFailures: 0, retryAt: null },
      health: { attempts: 2, failures: 1, errorRate: 0.5, lastError: { failure: 'server_error' }, healthy: true },
    });
    expect(other!.health.attempts).toBe(0);
  });

  it('shows when an open circuit will let a probe through', async () => {
    const a = provider('a');
    const t = setup([a]);
    for (let i = 0; i < 3; i++) await failOnce(t, a);
    expect(t.router.statuses()[0]!.circuit).toMatchObject({
      state: 'open',
      retryAt: new Date(t.clock.now().getTime() + 30_000).toISOString(),
    });
  });

  it('probes a provider without spending tokens', async () => {
    const t = setup([provider('a'), provider('b')]);
    await expect(t.router.probe('a')).resolves.toEqual({ reachable: true, latencyMs: 0, failure: null, message: null });
    fakes.b.models.status = 401;
    await expect(t.router.probe('b')).resolves.toMatchObject({ reachable: false, failure: 'auth_error' });
    expect(fakes.a.completions).toHaveLength(0);
  });

  it('gives up a probe after the connect timeout', async () => {
    const t = setup([provider('a')]);
    fakes.a.models.stall = true;
    const pending = t.router.probe('a');
    await fakes.a.waitForRequests(1);
    t.clock.advance(1_000);
    await expect(pending).resolves.toMatchObject({ reachable: false, latencyMs: 1_000, failure: 'connect_timeout' });
  });

  it('refuses to probe a provider that is not configured', async () => {
    await expect(setup([]).router.probe('x')).rejects.toThrow(/not a configured provider/);
  });
});

describe('construction', () => {
  it('builds the vendor adapters itself by default', async () => {
    const router = new AiRouter({ providers: [provider('a'), provider('b')], clock: new ManualClock() });
    const { error, events } = await drain(router.run(REQUEST, [provider('b')]));
    expect(error).toBeNull();
    expect(done(events)).toMatchObject({ providerId: 'b' });
  });

  it('refuses two providers with one id', () => {
    expect(() => new AiRouter({ providers: [provider('a'), provider('a')], clock: new ManualClock() })).toThrow(
      /provider id a is configured twice/,
    );
  });

  it('ends the attempt at once when the deadline passed while the caller held the attempt event', async () => {
    const t = setup([provider('a')], { connectTimeoutMs: 60_000 });
    const iterator = t.router.run(REQUEST, [provider('a')], { onAttempt: (r) => t.records.push(r) });
    expect((await iterator.next()).value).toMatchObject({ type: 'attempt' });
    t.clock.advance(10_000);
    await expect(iterator.next()).rejects.toMatchObject({ failure: 'deadline_exceeded' });
    expect(t.records).toMatchObject([{ outcome: 'deadline_exceeded' }]);
    expect(fakes.a.completions).toHaveLength(0);
  });
});

describe('adapters that misbehave', () => {
  function routerWith(stream: (signal: AbortSignal) => AsyncIterable<AdapterEvent>) {
    const clock = new ManualClock();
    const config = provider('a');
    const adapter: ProviderAdapter = {
      config,
      complete: () => Promise.reject(new Error('unused')),
      stream: (_request, signal) => stream(signal),
    };
    const router = new AiRouter({ providers: [config], clock, options: OPTIONS, createAdapter: () => adapter });
    return { clock, router, config };
  }

  it('treats a stream that stops without an end as empty', async () => {
    const { router, config } = routerWith(async function* () {
      yield { type: 'open' } as const;
    });
    const { error } = await drain(router.run(REQUEST, [config]));
    expect(error).toMatchObject({ attempts: [{ failure: 'empty_stream' }] });
  });

  it('treats an end without text as empty', async () => {
    const { router, config } = routerWith(async function* () {
      yield { type: 'end', usage: null, model: 'm' } as const;
    });
    const { error } = await drain(router.run(REQUEST, [config]));
    expect(error).toMatchObject({ attempts: [{ failure: 'empty_stream' }] });
  });

  it.each([new TypeError('boom'), 'a thrown string'])(
    'treats an unexpected throw (%s) as a server error of that provider',
    async (thrown) => {
      const { router, config } = routerWith(async function* () {
        yield* [];
        throw thrown;
      });
      const { error } = await drain(router.run(REQUEST, [config]));
      expect(error).toMatchObject({ attempts: [{ failure: 'server_error' }] });
      expect(error!.message).toBe('every provider failed (a server_error)');
    },
  );

  it('copes with a bare iterator that cannot be returned', async () => {
    const { router, config } = routerWith(() => ({
      [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true as const, value: undefined }) }),
    }));
    const { error } = await drain(router.run(REQUEST, [config]));
    expect(error).toMatchObject({ attempts: [{ failure: 'empty_stream' }] });
  });

  it('reports a validator that throws something other than an Error as malformed output', async () => {
    const { router, config } = routerWith(async function* () {
      yield { type: 'open' } as const;
      yield { type: 'token', text: '{}' } as const;
      yield { type: 'end', usage: null, model: 'm' } as const;
    });
    const validate = () => {
      throw 'not the shape';
    };
    const { error } = await drain(router.run({ ...REQUEST, validate }, [config]));
    expect(error).toMatchObject({ attempts: [{ failure: 'malformed_output' }] });
  });

  it('reports a provider whose adapter cannot probe as not probed', async () => {
    const { router } = routerWith(async function* () {});
    await expect(router.probe('a')).resolves.toEqual({
      reachable: true,
      latencyMs: 0,
      failure: null,
      message: 'not probed',
    });
  });

  it('does not wait for an adapter that ignores its abort signal', async () => {
    const { clock, router, config } = routerWith(async function* () {
      await new Promise(() => undefined);
      yield { type: 'open' } as const;
    });
    const pending = drain(router.run(REQUEST, [config]));
    await vi.waitFor(() => expect(clock.pendingTimers).toBe(2));
    clock.advance(1_000);
    expect((await pending).error).toMatchObject({ attempts: [{ failure: 'connect_timeout' }] });
  });
});

describe('contract with the gateway', () => {
  it('is the router the gateway expects', () => {
    const port: RouterPort = setup([provider('a')]).router;
    expect(port.providers.map((p) => p.id)).toEqual(['a']);
  });
});
