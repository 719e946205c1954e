import * as AnthropicSdk from '@anthropic-ai/sdk';
import * as OpenAiSdk from 'openai';
import { type FailureClass, ProviderError } from '../ai.types.js';

export interface ErrorContext {
  providerId: string;
  /** Scrubbed from every message, whatever a vendor or a library echoes back. */
  apiKey: string | null;
  /** The attempt's signal: once it aborted, whatever the SDK throws is an abort. */
  signal: AbortSignal;
  now: Date;
}

const MAX_MESSAGE = 300;

/** Network failures as undici and Node report them (the SDKs wrap some, and let stream-read errors through). */
const CONNECTION_PATTERN =
  /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|socket hang up|fetch failed|terminated|other side closed|UND_ERR/i;

/**
 * Turns whatever an SDK call threw into a `ProviderError` of the right failure class, with a message that names
 * the provider and never carries its key: 429 → rate_limited (with Retry-After), 5xx → server_error, 401/403 →
 * auth_error, other 4xx → client_error, network failures → connection_error, an abort → aborted.
 */
export function toProviderError(err: unknown, context: ErrorContext): ProviderError {
  if (err instanceof ProviderError) return err;
  const fail = (failure: FailureClass, message: string, details: ConstructorParameters<typeof ProviderError>[2] = {}) =>
    new ProviderError(failure, `${context.providerId}: ${scrub(message, context.apiKey)}`, details);

  if (context.signal.aborted || isUserAbort(err)) {
    const reason: unknown = context.signal.reason;
    if (reason instanceof ProviderError) return reason;
    return fail('aborted', 'the call was cancelled');
  }
  if (err instanceof OpenAiSdk.APIConnectionTimeoutError || err instanceof AnthropicSdk.APIConnectionTimeoutError) {
    return fail('connect_timeout', 'the SDK timed out waiting for the provider');
  }
  if (err instanceof OpenAiSdk.APIConnectionError || err instanceof AnthropicSdk.APIConnectionError) {
    return fail('connection_error', `cannot reach the provider (${describeCause(err)})`, { cause: err.cause });
  }
  if (err instanceof OpenAiSdk.APIError || err instanceof AnthropicSdk.APIError) {
    return fromApiError(err, context, fail);
  }
  const text = errorText(err);
  if (CONNECTION_PATTERN.test(text)) return fail('connection_error', `the connection failed (${text})`);
  if (err instanceof SyntaxError)
    return fail('server_error', 'the provider answered something that is not its protocol');
  return fail('server_error', `unexpected failure (${text})`);
}

type Fail = (
  failure: FailureClass,
  message: string,
  details?: ConstructorParameters<typeof ProviderError>[2],
) => ProviderError;

function fromApiError(err: OpenAiSdk.APIError | AnthropicSdk.APIError, context: ErrorContext, fail: Fail) {
  const status = err.status;
  const vendor = vendorMessage(err);
  if (status === undefined) {
    // An error event inside an SSE stream: no status, only the vendor's error type.
    const type = String((err as { type?: unknown }).type ?? (err.error as { type?: unknown } | undefined)?.type ?? '');
    if (/rate_limit/i.test(type)) return fail('rate_limited', `rate limited mid-stream: ${vendor}`);
    return fail('server_error', `the stream reported an error: ${vendor}`);
  }
  const where = `HTTP ${status}: ${vendor}`;
  if (status === 429) {
    const retryAfterMs = retryAfter(err.headers, context.now);
    return fail('rate_limited', where, retryAfterMs === undefined ? { status } : { status, retryAfterMs });
  }
  if (status === 401 || status === 403) return fail('auth_error', where, { status });
  if (status >= 500 || status === 408) return fail('server_error', where, { status });
  return fail('client_error', where, { status });
}

function vendorMessage(err: OpenAiSdk.APIError | AnthropicSdk.APIError): string {
  const body = err.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  const message = body?.error?.message ?? body?.message;
  return typeof message === 'string' && message ? message : 'no message';
}

/** Retry-After as milliseconds: `retry-after-ms` (OpenAI), else seconds or an HTTP date. */
export function retryAfter(headers: Headers | undefined, now: Date): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

function isUserAbort(err: unknown): boolean {
  return (
    err instanceof OpenAiSdk.APIUserAbortError ||
    err instanceof AnthropicSdk.APIUserAbortError ||
    (err instanceof Error && err.name === 'AbortError')
  );
}

function describeCause(err: Error): string {
  return errorText(err.cause ?? err);
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  const cause = err.cause instanceof Error ? `: ${errorText(err.cause)}` : '';
  return `${typeof code === 'string' ? `${code} ` : ''}${err.message}${cause}`;
}

function scrub(message: string, apiKey: string | null): string {
  const clean = apiKey ? message.split(apiKey).join('[key]') : message;
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE)}…` : clean;
}
