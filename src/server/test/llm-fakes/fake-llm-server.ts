import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1 that speaks the two vendor protocols the adapters use — OpenAI chat completions
 * (`POST /v1/chat/completions`) and Anthropic messages (`POST /v1/messages`), JSON and SSE — plus `GET /v1/models`
 * for reachability probes. Each request takes the next scripted reply (`enqueue`), else the default one; every
 * request is recorded so tests can assert what reached "the model".
 *
 * Delays are real (this is the network side); the `stall*` switches instead hold the response until the client
 * gives up or the server closes, so tests drive timeouts with a ManualClock and never sleep.
 */

export interface FakeUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface FakeReply {
  /** The answer's text (for structured output: the JSON text). Default "Hola, ¿qué tal?". */
  text?: string;
  /** How the text is split into streamed tokens; default: words with their following space. */
  tokens?: string[];
  /** Reported usage; null reports none; default: a word count of the prompt and the number of tokens. */
  usage?: FakeUsage | null;
  /** Anthropic streaming: no usage in `message_start`, input and output tokens only in `message_delta`. */
  usageOnlyAtEnd?: boolean;
  /** The model the answer claims; default: the requested one. */
  model?: string;
  /** Answers this HTTP status with the vendor's error body instead of a completion. */
  status?: number;
  /** Retry-After header value (with `status`, e.g. 429). */
  retryAfter?: string;
  errorMessage?: string;
  /** A body that is not what the protocol promises: plain garbage for JSON, a broken `data:` line for SSE. */
  garbage?: boolean;
  headersDelayMs?: number;
  /** Never sends headers (until the client disconnects or the server closes). */
  stallBeforeHeaders?: boolean;
  /** Streaming: delay between the headers and the first token. */
  firstTokenDelayMs?: number;
  /** Streaming: sends headers (and the opening event), then never a token. */
  stallBeforeFirstToken?: boolean;
  tokenDelayMs?: number;
  /** Streaming: sends this many tokens, then holds (until `resume()`, the client leaving, or close). */
  stallAfterTokens?: number;
  /** Streaming: destroys the connection after this many tokens. */
  dropAfterTokens?: number;
  /** Streaming: after this many tokens sends the vendor's in-stream error event (e.g. `overloaded_error`). */
  errorEventAfterTokens?: number;
  errorEventType?: string;
}

export type FakeProtocol = 'openai' | 'anthropic';

export interface RecordedRequest {
  protocol: FakeProtocol | 'models';
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (null for GET). */
  body: Record<string, unknown> | null;
  /** The client went away before the response was complete (an abort or a timeout on its side). */
  clientClosed: boolean;
}

export type ReplyScript = FakeReply | ((request: RecordedRequest) => FakeReply);

const DEFAULT_TEXT = 'Hola, ¿qué tal?';

export class FakeLlmServer {
  readonly requests: RecordedRequest[] = [];
  private queue: ReplyScript[] = [];
  private defaultReply: ReplyScript;
  private readonly sockets = new Set<Socket>();
  private readonly releases = new Set<(resume: boolean) => void>();
  /** What `GET /v1/models` (the reachability probe) does: answer, fail with a status, or hold. */
  models: { status?: number; stall?: boolean } = {};
  private waiters: { count: number; resolve: () => void }[] = [];
  private closed = false;

  private readonly server: Server;
  private address = '';

  private constructor(defaultReply: ReplyScript) {
    this.defaultReply = defaultReply;
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Starts a fake on 127.0.0.1 (port 0 picks a free one). */
  static async start(options: { port?: number; host?: string; defaultReply?: ReplyScript } = {}) {
    const host = options.host ?? '127.0.0.1';
    const fake = new FakeLlmServer(options.defaultReply ?? {});
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(options.port ?? 0, host, () => resolve());
    });
    const { port } = fake.server.address() as AddressInfo;
    fake.address = `http://${host}:${port}`;
    return fake;
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return this.address;
  }

  /** The base URL for the OpenAI SDK (`…/v1`). */
  get openaiBaseUrl(): string {
    return `${this.url}/v1`;
  }

  /** The base URL for the Anthropic SDK (it appends `/v1/messages` itself). */
  get anthropicBaseUrl(): string {
    return this.url;
  }

  /** Scripts the next requests' replies, in order; after them the default reply answers. */
  enqueue(...replies: ReplyScript[]): this {
    this.queue.push(...replies);
    return this;
  }

  setDefault(reply: ReplyScript): this {
    this.defaultReply = reply;
    return this;
  }

  /** Forgets the script and the recorded requests (between tests sharing one fake). */
  reset(): this {
    this.queue = [];
    this.defaultReply = {};
    this.models = {};
    this.requests.length = 0;
    return this;
  }

  /** Lets every response that is holding (`stall*`) go on. */
  resume(): void {
    for (const release of [...this.releases]) release(true);
  }

  /** The completion requests received so far (probes excluded). */
  get completions(): RecordedRequest[] {
    return this.requests.filter((r) => r.protocol !== 'models');
  }

  /** Connections currently open (a client that aborted has closed its own). */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** Resolves once `count` requests in all have been received. */
  waitForRequests(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const release of [...this.releases]) release(false);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '/').split('?')[0]!;
    const protocol: RecordedRequest['protocol'] | null =
      req.method === 'POST' && path.endsWith('/chat/completions')
        ? 'openai'
        : req.method === 'POST' && path.endsWith('/messages')
          ? 'anthropic'
          : req.method === 'GET' && path.endsWith('/models')
            ? 'models'
            : null;
    let body: Record<string, unknown> | null = null;
    if (raw) {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        body = null;
      }
    }
    const recorded: RecordedRequest = {
      clientClosed: false,
      protocol: protocol ?? 'models',
      method: req.method ?? '',
      path,
      headers: req.headers,
      body,
    };
    if (protocol === null) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'no such route' } }));
      return;
    }
    this.requests.push(recorded);
    res.once('close', () => {
      if (!res.writableFinished && !this.closed) recorded.clientClosed = true;
    });
    this.waiters = this.waiters.filter((w) => (this.requests.length >= w.count ? (w.resolve(), false) : true));
    if (protocol === 'models') {
      if (this.models.stall && !(await this.wait(Infinity, req))) return;
      if (this.models.status !== undefined) {
        res.writeHead(this.models.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `scripted ${this.models.status}` } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'fake-model', object: 'model', type: 'model' }] }));
      return;
    }
    const script = this.queue.shift() ?? this.defaultReply;
    const reply = typeof script === 'function' ? script(recorded) : script;
    await new Turn(this, req, res, protocol, body ?? {}, reply).play();
  }

  /** Waits `ms` of real time, or forever when `ms` is Infinity, ending early when the client leaves or we close. */
  wait(ms: number, req: IncomingMessage): Promise<boolean> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (alive: boolean) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.releases.delete(release);
        req.socket.off('close', gone);
        resolve(alive);
      };
      const release = (resume: boolean) => finish(resume);
      const gone = () => finish(false);
      const timer = Number.isFinite(ms) ? setTimeout(() => finish(true), ms) : undefined;
      this.releases.add(release);
      req.socket.once('close', gone);
      if (this.closed || req.socket.destroyed) finish(false);
    });
  }
}

/** One scripted answer to one request. */
class Turn {
  private readonly model: string;
  private readonly text: string;
  private readonly tokens: string[];
  private readonly usage: FakeUsage | null;
  private readonly streaming: boolean;
  /** Anthropic with a forced tool: the answer is the tool's input JSON. */
  private readonly toolName: string | null;

  constructor(
    private readonly fake: FakeLlmServer,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly protocol: FakeProtocol,
    private readonly body: Record<string, unknown>,
    private readonly reply: FakeReply,
  ) {
    this.model = reply.model ?? (typeof body.model === 'string' ? body.model : 'fake-model');
    this.tokens = reply.tokens ?? splitTokens(reply.text ?? DEFAULT_TEXT);
    this.text = reply.tokens ? reply.tokens.join('') : (reply.text ?? DEFAULT_TEXT);
    this.usage =
      reply.usage === undefined
        ? { inputTokens: countPromptWords(body), outputTokens: this.tokens.length }
        : reply.usage;
    this.streaming = body.stream === true;
    const choice = body.tool_choice as { type?: string; name?: string } | undefined;
    this.toolName = protocol === 'anthropic' && choice?.type === 'tool' ? (choice.name ?? null) : null;
  }

  async play(): Promise<void> {
    const { reply, req, res } = this;
    if (reply.stallBeforeHeaders && !(await this.fake.wait(Infinity, req))) return;
    if (reply.headersDelayMs && !(await this.fake.wait(reply.headersDelayMs, req))) return;
    if (reply.status !== undefined) return this.sendError(reply.status);
    if (reply.garbage && !this.streaming) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('<html>this is not JSON{');
      return;
    }
    if (!this.streaming) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(this.protocol === 'openai' ? this.openaiJson() : this.anthropicJson()));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    if (this.protocol === 'anthropic') this.event('message_start', this.anthropicStart());
    if (this.protocol === 'anthropic') this.event('content_block_start', this.anthropicBlockStart());
    if (reply.stallBeforeFirstToken && !(await this.fake.wait(Infinity, req))) return;
    if (reply.firstTokenDelayMs && !(await this.fake.wait(reply.firstTokenDelayMs, req))) return;
    if (reply.garbage) {
      res.write('data: {"choices": [ this is not json\n\n');
      res.write('event: content_block_delta\ndata: {not json either\n\n');
      res.end();
      return;
    }
    for (const [index, token] of this.tokens.entries()) {
      if (reply.dropAfterTokens !== undefined && index >= reply.dropAfterTokens) return this.drop();
      if (index > 0 && reply.tokenDelayMs && !(await this.fake.wait(reply.tokenDelayMs, req))) return;
      if (reply.stallAfterTokens === index && !(await this.fake.wait(Infinity, req))) return;
      if (reply.errorEventAfterTokens === index) {
        this.streamError();
        return;
      }
      if (this.protocol === 'openai') this.data(this.openaiChunk({ content: token }, null));
      else this.event('content_block_delta', this.anthropicDelta(token));
    }
    if (reply.dropAfterTokens !== undefined && reply.dropAfterTokens >= this.tokens.length) return this.drop();
    if (this.protocol === 'openai') {
      this.data(this.openaiChunk({}, 'stop'));
      const options = this.body.stream_options as { include_usage?: boolean } | undefined;
      if (this.usage && options?.include_usage) {
        this.data({ ...this.openaiChunk({}, null), choices: [], usage: this.openaiUsage() });
      }
      res.write('data: [DONE]\n\n');
    } else {
      this.event('content_block_stop', { type: 'content_block_stop', index: 0 });
      const delta = { stop_reason: this.toolName ? 'tool_use' : 'end_turn', stop_sequence: null };
      this.event('message_delta', {
        type: 'message_delta',
        delta,
        ...(this.usage
          ? {
              usage: {
                output_tokens: this.usage.outputTokens,
                ...(this.reply.usageOnlyAtEnd ? { input_tokens: this.usage.inputTokens } : {}),
              },
            }
          : {}),
      });
      this.event('message_stop', { type: 'message_stop' });
    }
    res.end();
  }

  /** Closes the connection mid-body, after what was written so far reached the client. */
  private drop(): void {
    this.req.socket.end();
  }

  private streamError(): void {
    const type = this.reply.errorEventType ?? 'overloaded_error';
    const message = this.reply.errorMessage ?? `scripted ${type}`;
    if (this.protocol === 'openai') this.data({ error: { message, type, code: null, param: null } });
    else this.event('error', { type: 'error', error: { type, message } });
    this.res.end();
  }

  private sendError(status: number): void {
    const message = this.reply.errorMessage ?? `scripted ${status}`;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.reply.retryAfter !== undefined) headers['retry-after'] = this.reply.retryAfter;
    const type =
      status === 429
        ? 'rate_limit_error'
        : status === 401
          ? 'authentication_error'
          : status >= 500
            ? 'api_error'
            : 'invalid_request_error';
    const body =
      this.protocol === 'openai'
        ? { error: { message, type, code: null, param: null } }
        : { type: 'error', error: { type, message } };
    this.res.writeHead(status, headers).end(JSON.stringify(body));
  }

  private data(payload: unknown): void {
    this.res.write(`data: ${JSON.stringify(payload)}\n\n`);
  }

  private event(name: string, payload: unknown): void {
    this.res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
  }

  private openaiUsage() {
    const u = this.usage!;
    return {
      prompt_tokens: u.inputTokens,
      completion_tokens: u.outputTokens,
      total_tokens: u.inputTokens + u.outputTokens,
    };
  }

  private openaiChunk(delta: Record<string, unknown>, finishReason: string | null) {
    return {
      id: 'chatcmpl-fake',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model: this.model,
      choices: [{ index: 0, delta: { role: 'assistant', ...delta }, finish_reason: finishReason }],
    };
  }

  private openaiJson() {
    return {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: this.model,
      choices: [{ index: 0, message: { role: 'assistant', content: this.text }, finish_reason: 'stop' }],
      ...(this.usage ? { usage: this.openaiUsage() } : {}),
    };
  }

  private anthropicStart() {
    return {
      type: 'message_start',
      message: {
        id: 'msg_fake',
        type: 'message',
        role: 'assistant',
        model: this.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        ...(this.usage && !this.reply.usageOnlyAtEnd
          ? { usage: { input_tokens: this.usage.inputTokens, output_tokens: 1 } }
          : {}),
      },
    };
  }

  private anthropicBlockStart() {
    return {
      type: 'content_block_start',
      index: 0,
      content_block: this.toolName
        ? { type: 'tool_use', id: 'toolu_fake', name: this.toolName, input: {} }
        : { type: 'text', text: '' },
    };
  }

  private anthropicDelta(token: string) {
    return {
      type: 'content_block_delta',
      index: 0,
      delta: this.toolName ? { type: 'input_json_delta', partial_json: token } : { type: 'text_delta', text: token },
    };
  }

  private anthropicJson() {
    let block: Record<string, unknown> = { type: 'text', text: this.text };
    if (this.toolName) {
      try {
        block = { type: 'tool_use', id: 'toolu_fake', name: this.toolName, input: JSON.parse(this.text) };
      } catch {
        // A "model" that ignored the forced tool and answered prose.
      }
    }
    return {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model: this.model,
      content: [block],
      stop_reason: this.toolName ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      ...(this.usage
        ? { usage: { input_tokens: this.usage.inputTokens, output_tokens: this.usage.outputTokens } }
        : {}),
    };
  }
}

function splitTokens(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** A stand-in for a tokenizer: the words of the system prompt and of every message. */
function countPromptWords(body: Record<string, unknown>): number {
  const parts: string[] = [];
  if (typeof body.system === 'string') parts.push(body.system);
  for (const m of (body.messages as { content?: unknown }[] | undefined) ?? []) {
    if (typeof m.content === 'string') parts.push(m.content);
  }
  return parts.join(' ').split(/\s+/).filter(Boolean).length;
}
