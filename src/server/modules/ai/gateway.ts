import { z } from 'zod';
import { DomainError } from '../../http/errors.js';
import type { Clock } from '../../lib/clock.js';
import type { AiPurpose, ChatMessage, FailureClass, ProviderConfig, TokenUsage } from './ai.types.js';
import { ProviderError } from './ai.types.js';
import type { BudgetWarning } from '../../../shared/budget.js';
import type { UsageAttempt } from '../budget/budget.service.js';
import { costMicros, estimateTokens } from '../budget/cost.js';
import { CACHEABLE_PURPOSES, ResponseCache } from './response-cache.js';

/** No model can answer (none configured, or the budget allows only free ones and there are none): go offline. */
export class AiUnavailableError extends DomainError {
  constructor(message: string) {
    super('ai_unavailable', message);
  }
}

/** Every candidate failed, or a stream broke after text reached the caller. */
export class AiFailedError extends DomainError {
  constructor(
    message: string,
    readonly failure: FailureClass,
    /** True when text had already reached the caller: the answer is incomplete and must be shown as such. */
    readonly interrupted = false,
  ) {
    super('ai_failed', message);
  }
}

/** What the router reports for each attempt it made. */
export interface AttemptReport {
  providerId: string;
  model: string;
  usage: TokenUsage | null;
  /** The text the attempt produced (to estimate output tokens when the vendor gave no usage). */
  outputText: string;
  ttftMs: number | null;
  totalMs: number;
  outcome: 'ok' | FailureClass;
  fallback: boolean;
}

export type RouterEvent =
  | { type: 'attempt'; providerId: string; model: string }
  | { type: 'token'; text: string }
  | { type: 'done'; providerId: string; model: string; text: string; fallback: boolean };

export interface RoutedRequest {
  system: string | null;
  messages: ChatMessage[];
  maxTokens: number;
  temperature: number;
  jsonSchema: { name: string; schema: Record<string, unknown> } | null;
  /** Throws when the full text is not an acceptable answer (malformed structured output). */
  validate: ((text: string) => void) | null;
}

/** The part of the router the gateway needs. */
export interface RouterPort {
  readonly providers: readonly ProviderConfig[];
  candidates(query: {
    language: string | null;
    preferredProviderId: string | null;
    zeroCostOnly: boolean;
  }): ProviderConfig[];
  run(
    request: RoutedRequest,
    candidates: ProviderConfig[],
    options: { signal?: AbortSignal | undefined; onAttempt: (attempt: AttemptReport) => void },
  ): AsyncIterable<RouterEvent>;
}

/** The part of the budget module the gateway needs. */
export interface BudgetPort {
  reserve(input: {
    userId: string;
    maxCostMicros: number;
    requestId: string;
  }): Promise<{ reservationId: string; zeroCostOnly: boolean; warnings: BudgetWarning[] }>;
  settle(reservationId: string, attempts: UsageAttempt[]): Promise<void>;
  recordUnreserved(attempts: UsageAttempt[]): Promise<void>;
}

export interface GatewayCall<T = unknown> {
  userId: string;
  purpose: AiPurpose;
  requestId: string;
  /** The target language, to prefer providers that serve it well. */
  language?: string | null;
  preferredProviderId?: string | null;
  system: string | null;
  messages: ChatMessage[];
  maxTokens: number;
  /** Default 0.7; 0 makes a call of a cacheable purpose deterministic (and cached). */
  temperature?: number;
  /** Structured output: the answer must be JSON matching this schema. */
  output?: { name: string; schema: z.ZodType<T> };
}

export interface GatewayAnswer<T = unknown> {
  text: string;
  /** The parsed structured output, when `output` was asked for. */
  data: T | undefined;
  providerId: string;
  model: string;
  cached: boolean;
  /** True when the answer came from a provider other than the first candidate. */
  fallback: boolean;
  budgetWarnings: BudgetWarning[];
}

export type GatewayEvent<T> = { type: 'token'; text: string } | { type: 'done'; answer: GatewayAnswer<T> };

/** Outcomes where the vendor received the prompt and may bill for it. */
const BILLED_OUTCOMES = new Set<AttemptReport['outcome']>(['ok', 'stream_interrupted', 'aborted', 'malformed_output']);

export interface AiGatewayDeps {
  router: RouterPort;
  budget: BudgetPort;
  cache: ResponseCache;
  clock: Clock;
}

/**
 * The one way the app calls a language model: budget admission (reserve the call's maximum cost, or use only free
 * providers, or refuse), the deterministic-answer cache, routing with failover, and the usage ledger (one row per
 * attempt, settled against the reservation even when the caller goes away mid-stream).
 */
export class AiGateway {
  constructor(private readonly deps: AiGatewayDeps) {}

  /** Whether any provider is configured at all (when not, callers go straight to the offline tutor). */
  get configured(): boolean {
    return this.deps.router.providers.length > 0;
  }

  async complete<T>(call: GatewayCall<T>, signal?: AbortSignal): Promise<GatewayAnswer<T>> {
    for await (const event of this.stream(call, signal)) {
      if (event.type === 'done') return event.answer;
    }
    /* c8 ignore next */
    throw new AiFailedError('the model gave no answer', 'empty_stream');
  }

  async *stream<T>(call: GatewayCall<T>, signal?: AbortSignal): AsyncGenerator<GatewayEvent<T>> {
    const { router, budget, cache } = this.deps;
    if (!this.configured) throw new AiUnavailableError('no language model is configured');

    const temperature = call.temperature ?? 0.7;
    const jsonSchema = call.output
      ? { name: call.output.name, schema: z.toJSONSchema(call.output.schema) as Record<string, unknown> }
      : null;
    const parse = call.output ? (text: string) => call.output!.schema.parse(JSON.parse(stripFence(text))) : null;
    const cacheKey =
      temperature === 0 && CACHEABLE_PURPOSES.has(call.purpose)
        ? ResponseCache.keyOf({
            purpose: call.purpose,
            system: call.system,
            messages: call.messages,
            jsonSchema: jsonSchema?.schema ?? null,
            modelClass: 'default',
            maxTokens: call.maxTokens,
          })
        : null;

    const hit = cacheKey ? cache.get(cacheKey) : undefined;
    if (hit) {
      await budget.recordUnreserved([
        {
          ...this.ledgerBase(call),
          providerId: hit.providerId,
          model: hit.model,
          inputTokens: 0,
          outputTokens: 0,
          tokensEstimated: false,
          costMicros: 0,
          ttftMs: 0,
          totalMs: 0,
          outcome: 'ok',
          fallback: false,
          cached: true,
        },
      ]);
      yield { type: 'token', text: hit.text };
      const answer = { text: hit.text, data: parse ? parse(hit.text) : undefined, providerId: hit.providerId };
      yield {
        type: 'done',
        answer: { ...answer, model: hit.model, cached: true, fallback: false, budgetWarnings: [] },
      };
      return;
    }

    const query = { language: call.language ?? null, preferredProviderId: call.preferredProviderId ?? null };
    const everyone = router.candidates({ ...query, zeroCostOnly: false });
    const promptText = (call.system ?? '') + call.messages.map((m) => m.content).join('\n');
    const inputEstimate = estimateTokens(promptText);
    const maxCost = Math.max(
      0,
      ...everyone.map((p) => costMicros({ inputTokens: inputEstimate, outputTokens: call.maxTokens }, p)),
    );
    const reservation = await budget.reserve({
      userId: call.userId,
      maxCostMicros: maxCost,
      requestId: call.requestId,
    });
    const candidates = reservation.zeroCostOnly ? router.candidates({ ...query, zeroCostOnly: true }) : everyone;
    if (candidates.length === 0) {
      await budget.settle(reservation.reservationId, []);
      throw new AiUnavailableError(
        reservation.zeroCostOnly
          ? 'the AI budget is spent and no free model is configured'
          : 'no language model is available right now',
      );
    }

    const providers = new Map(candidates.map((p) => [p.id, p]));
    const attempts: AttemptReport[] = [];
    try {
      const run = router.run(
        {
          system: call.system,
          messages: call.messages,
          maxTokens: call.maxTokens,
          temperature,
          jsonSchema,
          validate: parse,
        },
        candidates,
        { signal, onAttempt: (attempt) => attempts.push(attempt) },
      );
      for await (const event of run) {
        if (event.type === 'token') yield { type: 'token', text: event.text };
        else if (event.type === 'done') {
          if (cacheKey) cache.set(cacheKey, { text: event.text, providerId: event.providerId, model: event.model });
          yield {
            type: 'done',
            answer: {
              text: event.text,
              data: parse ? parse(event.text) : undefined,
              providerId: event.providerId,
              model: event.model,
              cached: false,
              fallback: event.fallback,
              budgetWarnings: reservation.warnings,
            },
          };
        }
      }
    } catch (err) {
      if (err instanceof ProviderError) {
        throw new AiFailedError(
          err.failure === 'stream_interrupted'
            ? 'the model stopped answering midway; the answer is incomplete'
            : `no model could answer (${err.message})`,
          err.failure,
          err.failure === 'stream_interrupted',
        );
      }
      throw err;
    } finally {
      const rows = attempts.map((a) => this.ledgerRow(call, a, providers.get(a.providerId), inputEstimate));
      await budget.settle(reservation.reservationId, rows);
    }
  }

  private ledgerBase(call: GatewayCall<unknown>) {
    return { userId: call.userId, purpose: call.purpose, requestId: call.requestId };
  }

  private ledgerRow(
    call: GatewayCall<unknown>,
    attempt: AttemptReport,
    provider: ProviderConfig | undefined,
    inputEstimate: number,
  ): UsageAttempt {
    const estimated = attempt.usage === null && BILLED_OUTCOMES.has(attempt.outcome);
    const usage: TokenUsage =
      attempt.usage ??
      (estimated
        ? { inputTokens: inputEstimate, outputTokens: estimateTokens(attempt.outputText) }
        : { inputTokens: 0, outputTokens: 0 });
    return {
      ...this.ledgerBase(call),
      providerId: attempt.providerId,
      model: attempt.model,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      tokensEstimated: estimated,
      costMicros: provider ? costMicros(usage, provider) : 0,
      ttftMs: attempt.ttftMs,
      totalMs: attempt.totalMs,
      outcome: attempt.outcome,
      fallback: attempt.fallback,
      cached: false,
    };
  }
}

/** Models sometimes wrap JSON in a Markdown code fence even when asked for JSON only. */
function stripFence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(text);
  return fenced ? fenced[1]! : text;
}
