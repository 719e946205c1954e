/**
 * Conversations with the tutor (`/api/conversations`) and translation on tap (`/api/translate`), typed by
 * src/shared/conversations.ts (types only, so zod stays out of the browser bundle).
 */
import type { Card } from '../../shared/cards.js';
import type {
  Conversation,
  ConversationListItem,
  FeedbackView,
  Hint,
  ProgressView,
  Translation,
  TranslateBody,
  Turn,
} from '../../shared/conversations.js';
import type { TargetLanguage } from '../../shared/languages.js';
import type { CefrLevel } from '../../shared/scenarios.js';
import { ApiError, csrfHeaders, errorOf, NETWORK_ERROR, request, requestWithStatus, withQuery } from './client.js';

export interface CreateConversationParams {
  mode: 'scenario' | 'free';
  scenarioId?: string | undefined;
  language: TargetLanguage;
  level: CefrLevel;
  persona?: string | undefined;
  topic?: string | undefined;
}

export interface ConversationPage {
  items: ConversationListItem[];
  nextCursor: string | null;
}

/** What a streamed reply reports before it is done. */
export interface StreamHandlers {
  /** A piece of the tutor's reply, in order. */
  onToken?: (text: string) => void;
  /** What the tutor noticed in the learner's message. */
  onFeedback?: (feedback: FeedbackView) => void;
  /** Scenario mode: where the phases stand after this message. */
  onProgress?: (progress: ProgressView) => void;
}

const path = (id: string) => `/conversations/${encodeURIComponent(id)}`;
export interface SseEvent {
  event: string;
  data: string;
}

/** Splits a Server-Sent Events body into events as it arrives (the format of the WHATWG spec, minus `id`/`retry`). */
export async function* readSseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.search(/\r\n|\r|\n/)) !== -1) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) yield { event: event || 'message', data: data.join('\n') };
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const raw = colon === -1 ? '' : line.slice(colon + 1);
        const fieldValue = raw.startsWith(' ') ? raw.slice(1) : raw;
        if (field === 'event') event = fieldValue;
        else if (field === 'data') data.push(fieldValue);
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Sends a learner message and streams the tutor's reply: a fetch POST read as a stream, since EventSource can
 * only GET. Resolves with the whole turn at `done`; an `error` event (or the stream breaking off) rejects with
 * an ApiError. A server that answers JSON instead of a stream is understood too. Sending again with the same
 * `idempotencyKey` answers the turn the first request stored, so a retry never says the same thing twice.
 */
async function sendStreaming(
  id: string,
  text: string,
  handlers: StreamHandlers,
  options: { idempotencyKey?: string | undefined; signal?: AbortSignal | undefined } = {},
): Promise<Turn> {
  const { idempotencyKey, signal } = options;
  let response: Response;
  try {
    response = await fetch(`/api${path(id)}/messages`, {
      method: 'POST',
      headers: {
        accept: 'text/event-stream',
        'content-type': 'application/json',
        ...csrfHeaders(),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      credentials: 'same-origin',
      body: JSON.stringify({ text }),
      signal: signal ?? null,
    });
  } catch {
    if (signal?.aborted) throw new ApiError(0, 'aborted', 'Sending was cancelled.');
    throw new ApiError(0, 'network_error', NETWORK_ERROR);
  }
  if (!response.ok) throw errorOf(response, await response.json().catch(() => undefined));
  if (!response.headers.get('content-type')?.includes('text/event-stream') || !response.body) {
    return (await response.json()) as Turn;
  }

  try {
    for await (const { event, data } of readSseEvents(response.body)) {
      const payload: unknown = JSON.parse(data);
      if (event === 'token') handlers.onToken?.((payload as { text: string }).text);
      else if (event === 'feedback') handlers.onFeedback?.(payload as FeedbackView);
      else if (event === 'progress') handlers.onProgress?.(payload as ProgressView);
      else if (event === 'done') return payload as Turn;
      else if (event === 'error') {
        const { code, message } = payload as { code: string; message: string };
        throw new ApiError(response.status, code, message);
      }
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (signal?.aborted) throw new ApiError(0, 'aborted', 'Sending was cancelled.');
    throw new ApiError(0, 'stream_failed', 'The reply broke off. Check your connection and try again.');
  }
  throw new ApiError(0, 'stream_failed', 'The reply broke off before it was complete. Please try again.');
}

export const conversationsApi = {
  /** Answers the conversation with the tutor's opening message. */
  create: (body: CreateConversationParams) => request<Conversation>('POST', '/conversations', body),
  /** Newest first. */
  list: (params: { limit?: number; cursor?: string | undefined } = {}) =>
    request<ConversationPage>('GET', withQuery('/conversations', { ...params })),
  /** The whole history, with each learner message's feedback and the scenario's progress. */
  get: (id: string) => request<Conversation>('GET', path(id)),
  send: sendStreaming,
  /** 2–3 things the learner could say next, with glosses. */
  hint: (id: string) => request<Hint>('POST', `${path(id)}/hint`),
  /** Ends the conversation: it then has a `summary` (with the cards it added). */
  end: (id: string) => request<Conversation>('POST', `${path(id)}/end`),
  /**
   * A word or a correction as a flashcard, with the sentence of `messageId` as its context. `created` is false
   * when the learner already had it (the API then records an encounter).
   */
  addCard: (id: string, body: { term: string; translation?: string | undefined; messageId: string }) =>
    requestWithStatus<Card>('POST', `${path(id)}/cards`, body).then((r) => ({
      card: r.body,
      created: r.status === 201,
    })),
};

export const translateApi = {
  /** `{ available: false, reason }` when neither the glossaries nor a model can translate it. */
  translate: (body: TranslateBody) => request<Translation>('POST', '/translate', body),
};
