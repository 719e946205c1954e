import OpenAI from 'openai';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { Clock } from '../../../lib/clock.js';
import {
  type AdapterEvent,
  type ChatRequest,
  type ChatResult,
  type ProviderAdapter,
  type ProviderConfig,
  ProviderError,
  type TokenUsage,
} from '../ai.types.js';
import { toProviderError } from './provider-errors.js';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * The OpenAI chat-completions protocol through the official SDK, for OpenAI itself and everything that speaks it
 * (Mistral, DeepSeek, Groq, Ollama, llama.cpp's server, vLLM, LM Studio) at a configurable base URL.
 *
 * - The SDK's own retries are off: retries and failover are the router's.
 * - A provider without a key (a local server) gets no Authorization header at all.
 * - OpenAI's own API takes `max_completion_tokens` (its reasoning models refuse `max_tokens`); every other server
 *   gets the older `max_tokens`, which they all understand.
 * - Structured output asks for `response_format: json_schema` with `strict: false`: strict mode refuses schemas with
 *   optional fields, and the router validates the answer with zod whatever the vendor promised.
 */
export class OpenAiCompatibleAdapter implements ProviderAdapter {
  private readonly client: OpenAI;
  private readonly baseURL: string;

  constructor(
    readonly config: ProviderConfig,
    private readonly clock: Clock,
  ) {
    const baseURL = config.baseUrl ?? OPENAI_DEFAULT_BASE_URL;
    this.baseURL = baseURL;
    this.client = new OpenAI({
      // Everything explicit, so the SDK never falls back to reading OPENAI_* variables from the environment.
      apiKey: config.apiKey ?? 'no-key',
      adminAPIKey: null,
      organization: null,
      project: null,
      webhookSecret: null,
      baseURL,
      maxRetries: 0,
      logLevel: 'off',
      ...(config.apiKey === null ? { defaultHeaders: { Authorization: null } } : {}),
    });
  }

  async complete(request: ChatRequest, signal: AbortSignal): Promise<ChatResult> {
    let response: OpenAI.Chat.Completions.ChatCompletion;
    try {
      response = await this.client.chat.completions.create({ ...this.params(request), stream: false }, { signal });
    } catch (err) {
      throw this.error(err, signal);
    }
    const text = response.choices?.[0]?.message?.content ?? '';
    if (!text) throw new ProviderError('empty_stream', `${this.config.id}: the answer has no text`);
    return { text, usage: usageOf(response.usage), model: response.model || request.model };
  }

  async *stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<AdapterEvent> {
    let stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>;
    try {
      stream = await this.client.chat.completions.create(
        { ...this.params(request), stream: true, stream_options: { include_usage: true } },
        { signal },
      );
    } catch (err) {
      throw this.error(err, signal);
    }
    yield { type: 'open' };
    let usage: TokenUsage | null = null;
    let model = request.model;
    let tokens = 0;
    try {
      for await (const chunk of stream) {
        if (chunk.model) model = chunk.model;
        if (chunk.usage) usage = usageOf(chunk.usage);
        const text = chunk.choices?.[0]?.delta?.content;
        if (text) {
          tokens += 1;
          yield { type: 'token', text };
        }
      }
    } catch (err) {
      throw this.error(err, signal);
    }
    // The SDK ends an aborted stream quietly; an abort is never a complete answer.
    if (signal.aborted) throw this.error(signal.reason, signal);
    if (tokens === 0) throw new ProviderError('empty_stream', `${this.config.id}: the stream ended without any text`);
    yield { type: 'end', usage, model };
  }

  /** Lists the models: a cheap call that proves the server answers and accepts the key. */
  async probe(signal: AbortSignal): Promise<void> {
    try {
      await this.client.models.list({ signal });
    } catch (err) {
      throw this.error(err, signal);
    }
  }

  private params(request: ChatRequest): Omit<ChatCompletionCreateParamsNonStreaming, 'stream'> {
    const messages: ChatCompletionMessageParam[] = [
      ...(request.system ? [{ role: 'system' as const, content: request.system }] : []),
      ...request.messages.map((m) => ({ role: m.role, content: m.content })),
    ];
    return {
      model: request.model,
      messages,
      temperature: request.temperature,
      ...tokenLimit(this.baseURL, request.maxTokens),
      ...(request.jsonSchema
        ? {
            response_format: {
              type: 'json_schema' as const,
              json_schema: {
                name: schemaName(request.jsonSchema.name),
                schema: request.jsonSchema.schema,
                strict: false,
              },
            },
          }
        : {}),
    };
  }

  private error(err: unknown, signal: AbortSignal): ProviderError {
    return toProviderError(err, {
      providerId: this.config.id,
      apiKey: this.config.apiKey,
      signal,
      now: this.clock.now(),
    });
  }
}

function usageOf(usage: OpenAI.Completions.CompletionUsage | null | undefined): TokenUsage | null {
  return usage ? { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens } : null;
}

/** OpenAI's own API takes `max_completion_tokens`; other servers know `max_tokens`. */
export function tokenLimit(
  baseURL: string,
  maxTokens: number,
): { max_completion_tokens: number } | { max_tokens: number } {
  return new URL(baseURL).hostname === 'api.openai.com'
    ? { max_completion_tokens: maxTokens }
    : { max_tokens: maxTokens };
}

/** Vendors accept only [a-zA-Z0-9_-]{1,64} as a schema or tool name. */
export function schemaName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'answer';
}
