import type { TimerClock } from '../../lib/clock.js';
import {
  type AdapterEvent,
  type ChatRequest,
  type FailureClass,
  type ProviderAdapter,
  type ProviderConfig,
  ProviderError,
  type TokenUsage,
} from './ai.types.js';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.js';
import { DEFAULT_HEALTH_OPTIONS, type HealthStats, ProviderHealth } from './provider-health.js';
import { type AdapterFactory, canProbe, createAdapter } from './providers/index.js';

export interface RouterOptions {
  /** No `open` (response headers) within this long: connect_timeout, next candidate. */
  connectTimeoutMs: number;
  /** No first token this long after `open`: first_token_timeout, next candidate. */
  firstTokenTimeoutMs: number;
  /** The whole call, every attempt and wait included. */
  deadlineMs: number;
  /** The longest Retry-After the router waits out before retrying a rate-limited last candidate. */
  maxRetryAfterMs: number;
  /** Consecutive failures that open a provider's circuit. */
  breakerFailureThreshold: number;
  /** How long an open circuit stays open before one probe call. */
  breakerCooldownMs: number;
  /** The window of the health statistics. */
  healthWindowMs: number;
}

export const DEFAULT_ROUTER_OPTIONS: RouterOptions = {
  connectTimeoutMs: 10_000,
  firstTokenTimeoutMs: 30_000,
  deadlineMs: 60_000,
  maxRetryAfterMs: 5_000,
  breakerFailureThreshold: 5,
  breakerCooldownMs: 30_000,
  healthWindowMs: 5 * 60_000,
};

/** A 429 without Retry-After on the last candidate waits this long (capped by maxRetryAfterMs) before the retry. */
const DEFAULT_RETRY_AFTER_MS = 1_000;

/** What the router needs of a call: everything of a `ChatRequest` but the model, which each candidate brings. */
export interface RouterRequest {
  system: string | null;
  messages: ChatRequest['messages'];
  maxTokens: number;
  temperature: number;
  jsonSchema: ChatRequest['jsonSchema'];
  /**
   * Runs on the full text of an answer (e.g. zod over the parsed JSON); a throw makes the attempt
   * `malformed_output` of that provider and the router fails over. With a validator the text is held back until it
   * passed, then delivered as one token: text that reached the caller could not be taken back.
   */
  validate?: ((text: string) => unknown) | null;
}

export interface CandidateQuery {
  /** The target language, to rank providers that serve it well first. */
  language?: string | null;
  /** The user's preferred provider: first when configured (and allowed). */
  preferredProviderId?: string | null;
  /** Only providers whose prices are both 0 (budget in fallback mode). */
  zeroCostOnly?: boolean;
}

/** One attempt, as the ledger records it. */
export interface AttemptRecord {
  providerId: string;
  model: string;
  /** The vendor's usage; null when it reported none (or the attempt ended before it could). */
  usage: TokenUsage | null;
  /** The text this attempt produced, whole or partial (to estimate tokens when usage is null). */
  outputText: string;
  ttftMs: number | null;
  totalMs: number;
  outcome: 'ok' | FailureClass;
  /** True for every attempt after the first of the call. */
  fallback: boolean;
}

export type RouterEvent =
  | { type: 'attempt'; providerId: string; model: string; fallback: boolean }
  | { type: 'token'; text: string }
  | { type: 'done'; providerId: string; model: string; text: string; usage: TokenUsage | null; fallback: boolean };

export interface RunOptions {
  /** Aborting ends the call at once: the current attempt is recorded as `aborted`. */
  signal?: AbortSignal;
  /** Called exactly once per attempt, whatever its outcome (including `aborted`). */
  onAttempt?: (record: AttemptRecord) => void;
}

/** A candidate as `run` takes it: a configured provider (its first model is used). */
export type Candidate = Pick<ProviderConfig, 'id'> & { models: readonly string[] };

export interface FailedAttempt {
  providerId: string;
  model: string;
  failure: FailureClass;
}

/** No candidate answered. `failure` is `deadline_exceeded` when time ran out, else the last attempt's class. */
export class AllProvidersFailedError extends ProviderError {
  constructor(
    readonly attempts: FailedAttempt[],
    failure: FailureClass,
    message: string,
  ) {
    super(failure, message);
    this.name = 'AllProvidersFailedError';
  }
}

export interface ProviderStatus {
  provider: ProviderConfig;
  circuit: { state: CircuitState; consecutiveFailures: number; retryAt: string | null };
  health: HealthStats;
}

export interface ProbeResult {
  reachable: boolean;
  latencyMs: number;
  failure: FailureClass | null;
  message: string | null;
}

/** Failures that say something about the provider's availability: they count towards opening its circuit. */
const BREAKER_FAILURES: ReadonlySet<FailureClass> = new Set([
  'connect_timeout',
  'first_token_timeout',
  'rate_limited',
  'server_error',
  'connection_error',
  'empty_stream',
  'auth_error',
]);

/** Failures after which the next candidate is not tried. */
const FINAL_FAILURES: ReadonlySet<FailureClass> = new Set([
  'client_error',
  'aborted',
  'stream_interrupted',
  'deadline_exceeded',
]);

type AttemptResult = { ok: true } | { ok: false; error: ProviderError };

interface RunState {
  /** Aborted by the deadline or the caller, with a ProviderError as the reason. */
  signal: AbortSignal;
  deadlineAt: number;
  attempts: number;
  failed: FailedAttempt[];
  onAttempt: ((record: AttemptRecord) => void) | undefined;
}

/**
 * Chooses and calls providers for one request: orders the candidates, streams from the first, fails over to the
 * next on any failure that is the provider's (timeouts, 429, 5xx, connection errors, an empty stream, malformed
 * structured output, a bad key) within one overall deadline, and keeps a circuit breaker and health statistics per
 * provider. Once text reached the caller a failure ends the call (`stream_interrupted`): it is never re-run
 * elsewhere, so nobody sees an answer that starts twice.
 *
 * A 429: when another candidate remains the router moves on at once (waiting would only add latency); on the last
 * candidate it waits out Retry-After (default 1 s) when that is at most `maxRetryAfterMs` and fits in the deadline,
 * then tries the same provider once more.
 */
export class AiRouter {
  readonly providers: readonly ProviderConfig[];
  private readonly options: RouterOptions;
  private readonly clock: TimerClock;
  private readonly adapters = new Map<string, ProviderAdapter>();
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly health: ProviderHealth;

  constructor(deps: {
    providers: readonly ProviderConfig[];
    clock: TimerClock;
    options?: Partial<RouterOptions>;
    /** Builds the adapter of a provider; default: the vendor SDK adapter of its kind. */
    createAdapter?: AdapterFactory;
  }) {
    this.providers = deps.providers;
    this.clock = deps.clock;
    this.options = { ...DEFAULT_ROUTER_OPTIONS, ...deps.options };
    this.health = new ProviderHealth(deps.clock, { ...DEFAULT_HEALTH_OPTIONS, windowMs: this.options.healthWindowMs });
    const factory = deps.createAdapter ?? ((config: ProviderConfig) => createAdapter(config, deps.clock));
    const breakerOptions = {
      failureThreshold: this.options.breakerFailureThreshold,
      cooldownMs: this.options.breakerCooldownMs,
    };
    for (const provider of deps.providers) {
      if (this.adapters.has(provider.id)) throw new Error(`provider id ${provider.id} is configured twice`);
      this.adapters.set(provider.id, factory(provider));
      this.breakers.set(provider.id, new CircuitBreaker(deps.clock, breakerOptions));
    }
  }

  /**
   * The providers to try for a call, best first: the preferred one, then healthy before unhealthy (recent error
   * rate, or a circuit not fully closed), then those that list the language before those serving any language
   * before those listing only others, then by priority (lower first), then by id. Providers whose circuit is open
   * are left out; a half-open one stays in until its single probe call is under way.
   */
  candidates(query: CandidateQuery = {}): ProviderConfig[] {
    const language = query.language?.toLowerCase() ?? null;
    const ranked = this.providers
      .filter((p) => !query.zeroCostOnly || (p.inputPricePerMTokUsd === 0 && p.outputPricePerMTokUsd === 0))
      .filter((p) => this.breaker(p.id).available)
      .map((p) => ({
        provider: p,
        key: [
          p.id === query.preferredProviderId ? 0 : 1,
          this.breaker(p.id).state === 'closed' && this.health.isHealthy(p.id) ? 0 : 1,
          languageRank(p.languages, language),
          p.priority,
        ],
      }));
    ranked.sort((a, b) => compareKeys(a.key, b.key) || a.provider.id.localeCompare(b.provider.id));
    return ranked.map((r) => r.provider);
  }

  /**
   * Streams one call through the candidates in order. Yields `attempt` before each attempt, `token`s as text
   * arrives, and `done` once; throws a `ProviderError`: `AllProvidersFailedError` when every candidate failed or
   * the deadline passed, the attempt's own error for `client_error` (our request is wrong everywhere) and
   * `aborted`, and `stream_interrupted` when an attempt broke after text reached the caller. Stopping the
   * iteration early aborts the attempt under way (recorded as `aborted`).
   */
  async *run(
    request: RouterRequest,
    candidates: readonly Candidate[],
    options: RunOptions = {},
  ): AsyncGenerator<RouterEvent, void, undefined> {
    const started = this.clock.now().getTime();
    const controller = new AbortController();
    const cancelDeadline = this.clock.setTimer(this.options.deadlineMs, () =>
      controller.abort(new ProviderError('deadline_exceeded', `no answer within ${this.options.deadlineMs} ms`)),
    );
    const onCallerAbort = () => controller.abort(new ProviderError('aborted', 'the caller cancelled the call'));
    if (options.signal?.aborted) onCallerAbort();
    else options.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const run: RunState = {
      signal: controller.signal,
      deadlineAt: started + this.options.deadlineMs,
      attempts: 0,
      failed: [],
      onAttempt: options.onAttempt,
    };
    try {
      for (const [index, candidate] of candidates.entries()) {
        const isLast = index === candidates.length - 1;
        const model = candidate.models[0];
        const adapter = this.adapters.get(candidate.id);
        if (!adapter || model === undefined) throw new Error(`run: ${candidate.id} is not a configured provider`);
        for (let retried = false; ; retried = true) {
          if (run.signal.aborted) throw this.stopped(run);
          if (!this.breaker(candidate.id).tryAcquire()) {
            run.failed.push({ providerId: candidate.id, model, failure: 'circuit_open' });
            break;
          }
          const result = yield* this.attempt(adapter, model, request, run);
          if (result.ok) return;
          const { error } = result;
          if (FINAL_FAILURES.has(error.failure)) {
            throw error.failure === 'deadline_exceeded' ? this.stopped(run) : error;
          }
          const wait = this.retryWait(error, retried, isLast, run);
          if (wait === null) break;
          if (wait > 0) {
            try {
              await this.clock.sleep(wait, run.signal);
            } catch {
              throw this.stopped(run);
            }
          }
        }
      }
      throw run.signal.aborted ? this.stopped(run) : this.exhausted(run, run.failed.at(-1)?.failure ?? 'circuit_open');
    } finally {
      cancelDeadline();
      options.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /** Circuit state and recent statistics of every provider (for the admin page). */
  statuses(): ProviderStatus[] {
    return this.providers.map((provider) => {
      const breaker = this.breaker(provider.id);
      return {
        provider,
        circuit: {
          state: breaker.state,
          consecutiveFailures: breaker.consecutiveFailures,
          retryAt: breaker.retryAt?.toISOString() ?? null,
        },
        health: this.health.stats(provider.id),
      };
    });
  }

  /** Checks, without spending tokens, that a provider answers and accepts its key (bounded by connectTimeoutMs). */
  async probe(providerId: string): Promise<ProbeResult> {
    const adapter = this.adapters.get(providerId);
    if (!adapter) throw new Error(`probe: ${providerId} is not a configured provider`);
    const started = this.clock.now().getTime();
    const controller = new AbortController();
    const cancel = this.clock.setTimer(this.options.connectTimeoutMs, () =>
      controller.abort(
        new ProviderError('connect_timeout', `${providerId}: no answer within ${this.options.connectTimeoutMs} ms`),
      ),
    );
    const latency = () => this.clock.now().getTime() - started;
    try {
      if (!canProbe(adapter)) return { reachable: true, latencyMs: 0, failure: null, message: 'not probed' };
      await raceAbort(adapter.probe(controller.signal), controller.signal);
      return { reachable: true, latencyMs: latency(), failure: null, message: null };
    } catch (err) {
      const error = asProviderError(err, controller.signal, providerId);
      return { reachable: false, latencyMs: latency(), failure: error.failure, message: error.message };
    } finally {
      cancel();
    }
  }

  private breaker(providerId: string): CircuitBreaker {
    return this.breakers.get(providerId)!;
  }

  /** How long to wait before retrying the same provider, or null to move on. */
  private retryWait(error: ProviderError, retried: boolean, isLast: boolean, run: RunState): number | null {
    if (error.failure !== 'rate_limited' || retried || !isLast) return null;
    const wait = error.details.retryAfterMs ?? Math.min(DEFAULT_RETRY_AFTER_MS, this.options.maxRetryAfterMs);
    const fits = this.clock.now().getTime() + wait < run.deadlineAt;
    return wait <= this.options.maxRetryAfterMs && fits ? wait : null;
  }

  /** The error for a call the deadline or the caller stopped between attempts. */
  private stopped(run: RunState): ProviderError {
    const reason = run.signal.reason as ProviderError;
    return reason.failure === 'deadline_exceeded' ? this.exhausted(run, 'deadline_exceeded') : reason;
  }

  private exhausted(run: RunState, failure: FailureClass): AllProvidersFailedError {
    const list = run.failed.map((f) => `${f.providerId} ${f.failure}`).join(', ');
    const message =
      failure === 'deadline_exceeded'
        ? `no provider answered within ${this.options.deadlineMs} ms (${list})`
        : run.failed.length === 0
          ? 'no provider can take this call'
          : `every provider failed (${list})`;
    return new AllProvidersFailedError([...run.failed], failure, message);
  }

  /** One attempt at one provider; yields its events and reports how it ended (success ends the call). */
  private async *attempt(
    adapter: ProviderAdapter,
    model: string,
    request: RouterRequest,
    run: RunState,
  ): AsyncGenerator<RouterEvent, AttemptResult, undefined> {
    const providerId = adapter.config.id;
    const fallback = run.attempts > 0;
    run.attempts += 1;
    const breaker = this.breaker(providerId);
    const controller = new AbortController();
    // Only the first reason counts: aborting an aborted controller does nothing.
    const abortWith = (reason: unknown) => controller.abort(reason);
    const onRunAbort = () => abortWith(run.signal.reason);
    const started = this.clock.now().getTime();
    let cancelTimer = this.clock.setTimer(this.options.connectTimeoutMs, () =>
      abortWith(
        new ProviderError('connect_timeout', `${providerId}: no answer within ${this.options.connectTimeoutMs} ms`),
      ),
    );
    let ttftMs: number | null = null;
    let text = '';
    let delivered = false;
    let settled = false;
    let iterator: AsyncIterator<AdapterEvent> | null = null;
    let steps: AbortableSteps<AdapterEvent> | null = null;

    const settle = (outcome: 'ok' | FailureClass, usage: TokenUsage | null, cause: 'ok' | FailureClass) => {
      settled = true;
      cancelTimer();
      if (cause === 'ok') breaker.onSuccess();
      else if (BREAKER_FAILURES.has(cause)) breaker.onFailure();
      else breaker.release();
      const totalMs = this.clock.now().getTime() - started;
      this.health.record(providerId, { outcome, ttftMs, totalMs });
      if (outcome !== 'ok') run.failed.push({ providerId, model, failure: outcome });
      run.onAttempt?.({ providerId, model, usage, outputText: text, ttftMs, totalMs, outcome, fallback });
    };

    try {
      yield { type: 'attempt', providerId, model, fallback };
      if (run.signal.aborted) onRunAbort();
      else run.signal.addEventListener('abort', onRunAbort, { once: true });
      iterator = adapter.stream({ ...request, model }, controller.signal)[Symbol.asyncIterator]();
      steps = new AbortableSteps(iterator, controller.signal);
      for (;;) {
        const step = await steps.next();
        if (step.done) throw new ProviderError('empty_stream', `${providerId}: the stream ended without an end`);
        const event = step.value;
        if (event.type === 'open') {
          cancelTimer();
          cancelTimer = this.clock.setTimer(this.options.firstTokenTimeoutMs, () =>
            abortWith(
              new ProviderError(
                'first_token_timeout',
                `${providerId}: no text within ${this.options.firstTokenTimeoutMs} ms of the answer starting`,
              ),
            ),
          );
        } else if (event.type === 'token') {
          if (ttftMs === null) {
            cancelTimer();
            ttftMs = this.clock.now().getTime() - started;
          }
          text += event.text;
          if (!request.validate) {
            delivered = true;
            yield { type: 'token', text: event.text };
          }
        } else {
          if (!text) throw new ProviderError('empty_stream', `${providerId}: the stream ended without any text`);
          if (request.validate) validateWith(request.validate, text, providerId);
          settle('ok', event.usage, 'ok');
          if (request.validate) yield { type: 'token', text };
          yield { type: 'done', providerId, model, text, usage: event.usage, fallback };
          return { ok: true };
        }
      }
    } catch (err) {
      const error = asProviderError(err, controller.signal, providerId);
      if (!delivered) {
        settle(error.failure, null, error.failure);
        return { ok: false, error };
      }
      // Text already reached the caller: the answer cannot be completed elsewhere.
      const outcome = error.failure === 'aborted' ? 'aborted' : 'stream_interrupted';
      settle(outcome, null, error.failure);
      if (outcome === 'aborted') return { ok: false, error };
      return {
        ok: false,
        error: new ProviderError(
          'stream_interrupted',
          `${providerId}: the answer broke off midway (${error.failure}: ${error.message})`,
          { cause: error },
        ),
      };
    } finally {
      run.signal.removeEventListener('abort', onRunAbort);
      steps?.dispose();
      if (!settled) {
        // The caller stopped iterating while this attempt was under way.
        abortWith(new ProviderError('aborted', 'the caller stopped reading the answer'));
        settle('aborted', null, 'aborted');
      }
      cancelTimer();
      if (iterator?.return) iterator.return().catch(() => undefined);
    }
  }
}

function validateWith(validate: (text: string) => unknown, text: string, providerId: string): void {
  try {
    validate(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new ProviderError('malformed_output', `${providerId}: the answer is not of the expected shape (${reason})`, {
      cause: err,
    });
  }
}

/** Whatever ended an attempt, as a ProviderError; an abort of the attempt's signal wins (it says why). */
function asProviderError(err: unknown, signal: AbortSignal, providerId: string): ProviderError {
  if (signal.aborted && signal.reason instanceof ProviderError) return signal.reason;
  if (err instanceof ProviderError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ProviderError('server_error', `${providerId}: the adapter failed (${message})`, { cause: err });
}

/**
 * An iterator's steps, each of which fails with the signal's reason as soon as it aborts — a stuck adapter cannot
 * hold the call. One abort listener for the whole attempt rather than one per step (per token).
 */
class AbortableSteps<T> {
  private rejectStep: ((reason: unknown) => void) | null = null;
  private readonly onAbort = () => this.rejectStep?.(this.signal.reason);

  constructor(
    private readonly iterator: AsyncIterator<T>,
    private readonly signal: AbortSignal,
  ) {
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.signal.aborted) return Promise.reject(this.signal.reason as Error);
    const step = this.iterator.next();
    return new Promise<IteratorResult<T>>((resolve, reject) => {
      this.rejectStep = reject;
      // Its late failure, after the abort won, is handled here too: never an unhandled rejection.
      step.then(resolve, reject);
    });
  }

  dispose(): void {
    this.signal.removeEventListener('abort', this.onAbort);
    this.rejectStep = null;
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => undefined); // its late failure, after the abort won, is not unhandled
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err as Error);
      },
    );
  });
}

/** 0: lists the language; 1: serves any (empty list) or no language asked; 2: lists only others. */
function languageRank(languages: readonly string[], language: string | null): number {
  if (languages.length === 0 || language === null) return 1;
  const base = language.split('-')[0]!;
  return languages.some((l) => {
    const lower = l.toLowerCase();
    return lower === language || lower === base;
  })
    ? 0
    : 2;
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}
