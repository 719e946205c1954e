/**
 * The contract of the AI gateway's parts: what an adapter (one per vendor protocol) offers the router, and the
 * failure classes the router fails over on. Nothing outside `modules/ai` talks to a vendor; other modules call
 * the gateway (`gateway.ts`).
 */

export const AI_PURPOSES = [
  'conversation',
  'correction',
  'hint',
  'translation',
  'content_generation',
  'other',
] as const;
export type AiPurpose = (typeof AI_PURPOSES)[number];

export const PROVIDER_KINDS = ['openai-compatible', 'anthropic'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** One configured provider (from AI_PROVIDERS_FILE or the env shortcuts). `apiKey` never leaves the server. */
export interface ProviderConfig {
  id: string;
  kind: ProviderKind;
  baseUrl: string | null;
  apiKey: string | null;
  /** The first model is the provider's default. */
  models: string[];
  /** USD per million tokens; 0 for local models. */
  inputPricePerMTokUsd: number;
  outputPricePerMTokUsd: number;
  /** Target languages it serves well (empty: any). Used to order candidates per language. */
  languages: string[];
  /** Lower is tried first, all else equal. */
  priority: number;
}

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** One call to one provider and model. The system prompt and the whole history reach the model every time. */
export interface ChatRequest {
  model: string;
  system: string | null;
  messages: ChatMessage[];
  maxTokens: number;
  temperature: number;
  /** Structured output: the adapter asks the vendor for JSON matching this schema (the router validates it). */
  jsonSchema: { name: string; schema: Record<string, unknown> } | null;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/**
 * What an adapter's stream yields: `open` once the vendor answered with a successful response (headers in),
 * `token` for each piece of text, then exactly one `end` carrying the vendor's usage when it reported one.
 * A stream that fails throws a `ProviderError` from the iterator.
 */
export type AdapterEvent =
  { type: 'open' } | { type: 'token'; text: string } | { type: 'end'; usage: TokenUsage | null; model: string };

export interface ChatResult {
  text: string;
  usage: TokenUsage | null;
  model: string;
}

/** One vendor protocol bound to one configured provider. Aborting `signal` must abort the HTTP request at once. */
export interface ProviderAdapter {
  readonly config: ProviderConfig;
  complete(request: ChatRequest, signal: AbortSignal): Promise<ChatResult>;
  stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<AdapterEvent>;
}

/**
 * Why an attempt failed. All of them fail over to the next candidate except `client_error` and `aborted`
 * (the caller went away) — and except any failure after tokens already reached the user (`stream_interrupted`).
 */
export const FAILURE_CLASSES = [
  'connect_timeout',
  'first_token_timeout',
  'rate_limited',
  'server_error',
  'connection_error',
  'malformed_output',
  'empty_stream',
  'auth_error',
  'client_error',
  'stream_interrupted',
  'deadline_exceeded',
  'circuit_open',
  'aborted',
] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

export class ProviderError extends Error {
  constructor(
    readonly failure: FailureClass,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ProviderError';
  }
}
