import Anthropic from '@anthropic-ai/sdk';
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
import { schemaName } from './openai-compatible.js';
import { toProviderError } from './provider-errors.js';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

/** Anthropic refuses a history that opens with the assistant; this neutral turn goes first in that case. */
export const OPENING_USER_TURN = '(start of the conversation)';

type MessagesParams = Anthropic.Messages.MessageCreateParamsNonStreaming;
type StreamEvent = Anthropic.Messages.RawMessageStreamEvent;

/**
 * The Anthropic messages protocol through `@anthropic-ai/sdk`.
 *
 * - The SDK's own retries are off: retries and failover are the router's.
 * - Structured output is a single tool whose `input_schema` is the schema, forced with `tool_choice`: every Claude
 *   model since 3 supports it (the newer `output_config.format` does not reach older models or proxies), and the
 *   tool's input JSON — streamed as `input_json_delta` — is the answer's text. The router validates it with zod.
 * - No `temperature`: this SDK's messages API no longer has the parameter (the gateway's temperature 0 still
 *   decides what is cached).
 * - Usage: input tokens from `message_start` (cache reads/writes included, they are input too), output tokens from
 *   the last `message_delta`.
 */
export class AnthropicAdapter implements ProviderAdapter {
  private readonly client: Anthropic;

  constructor(
    readonly config: ProviderConfig,
    private readonly clock: Clock,
  ) {
    if (!config.apiKey) throw new Error(`provider ${config.id}: the anthropic kind needs an API key`);
    this.client = new Anthropic({
      // Everything explicit, so the SDK never reads ANTHROPIC_* variables or credential files.
      apiKey: config.apiKey,
      webhookKey: null,
      baseURL: config.baseUrl ?? ANTHROPIC_DEFAULT_BASE_URL,
      maxRetries: 0,
      logLevel: 'off',
    });
  }

  async complete(request: ChatRequest, signal: AbortSignal): Promise<ChatResult> {
    let message: Anthropic.Messages.Message;
    try {
      message = await this.client.messages.create({ ...this.params(request), stream: false }, { signal });
    } catch (err) {
      throw this.error(err, signal);
    }
    const tool = message.content.find((b) => b.type === 'tool_use');
    const text = tool
      ? JSON.stringify(tool.input)
      : message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    if (!text) throw new ProviderError('empty_stream', `${this.config.id}: the answer has no text`);
    const usage = message.usage
      ? { inputTokens: inputTokensOf(message.usage), outputTokens: message.usage.output_tokens }
      : null;
    return { text, usage, model: message.model || request.model };
  }

  async *stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<AdapterEvent> {
    let stream: AsyncIterable<StreamEvent>;
    try {
      stream = await this.client.messages.create({ ...this.params(request), stream: true }, { signal });
    } catch (err) {
      throw this.error(err, signal);
    }
    yield { type: 'open' };
    let inputTokens: number | null = null;
    let outputTokens: number | null = null;
    let model = request.model;
    let tokens = 0;
    try {
      for await (const event of stream) {
        if (event.type === 'message_start') {
          if (event.message.model) model = event.message.model;
          if (event.message.usage) {
            inputTokens = inputTokensOf(event.message.usage);
            outputTokens = event.message.usage.output_tokens ?? null;
          }
        } else if (event.type === 'message_delta' && event.usage) {
          outputTokens = event.usage.output_tokens;
          if (typeof event.usage.input_tokens === 'number' && inputTokens === null) {
            inputTokens = inputTokensOf(event.usage as Anthropic.Messages.Usage);
          }
        } else if (event.type === 'content_block_delta') {
          const text =
            event.delta.type === 'text_delta'
              ? event.delta.text
              : event.delta.type === 'input_json_delta'
                ? event.delta.partial_json
                : '';
          if (text) {
            tokens += 1;
            yield { type: 'token', text };
          }
        }
      }
    } catch (err) {
      throw this.error(err, signal);
    }
    // The SDK ends an aborted stream quietly; an abort is never a complete answer.
    if (signal.aborted) throw this.error(signal.reason, signal);
    if (tokens === 0) throw new ProviderError('empty_stream', `${this.config.id}: the stream ended without any text`);
    const usage: TokenUsage | null =
      inputTokens !== null && outputTokens !== null ? { inputTokens, outputTokens } : null;
    yield { type: 'end', usage, model };
  }

  /** Lists the models: a cheap call that proves the server answers and accepts the key. */
  async probe(signal: AbortSignal): Promise<void> {
    try {
      await this.client.models.list({ limit: 1 }, { signal });
    } catch (err) {
      throw this.error(err, signal);
    }
  }

  private params(request: ChatRequest): Omit<MessagesParams, 'stream'> {
    const messages: Anthropic.Messages.MessageParam[] = request.messages.map((m) => ({
      role: m.role,
      content: m.content,
    }));
    if (messages[0]?.role === 'assistant') messages.unshift({ role: 'user', content: OPENING_USER_TURN });
    const tool = request.jsonSchema
      ? {
          name: schemaName(request.jsonSchema.name),
          description: 'Give the answer as this tool input; it must match the schema exactly.',
          input_schema: request.jsonSchema.schema as Anthropic.Messages.Tool.InputSchema,
        }
      : null;
    return {
      model: request.model,
      max_tokens: request.maxTokens,
      messages,
      ...(request.system ? { system: request.system } : {}),
      ...(tool ? { tools: [tool], tool_choice: { type: 'tool' as const, name: tool.name } } : {}),
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

function inputTokensOf(
  usage: Pick<Anthropic.Messages.Usage, 'input_tokens' | 'cache_creation_input_tokens' | 'cache_read_input_tokens'>,
): number {
  return (usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
}
