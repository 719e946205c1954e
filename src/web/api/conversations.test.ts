import { describe, expect, it } from 'vitest';
import { readSseEvents, type SseEvent } from './conversations.js';

/** A body that arrives in the given pieces, as a network would cut it. */
function body(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function events(stream: ReadableStream<Uint8Array>): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const event of readSseEvents(stream)) out.push(event);
  return out;
}

describe('readSseEvents', () => {
  it('reads events cut anywhere, even inside a line or a multi-byte character', async () => {
    const text = 'event: token\ndata: {"text":"¡Hola"}\n\nevent: done\ndata: {"ok":true}\n\n';
    const bytes = new TextEncoder().encode(text);
    const cut = bytes.indexOf(0xc2) + 1; // in the middle of "¡"
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, cut));
        controller.enqueue(bytes.slice(cut, cut + 7));
        controller.enqueue(bytes.slice(cut + 7));
        controller.close();
      },
    });
    expect(await events(stream)).toEqual([
      { event: 'token', data: '{"text":"¡Hola"}' },
      { event: 'done', data: '{"ok":true}' },
    ]);
  });

  it('joins data lines, skips comments, accepts CRLF, and defaults the event name', async () => {
    expect(await events(body(': keep-alive\r\n\r\ndata: a\r\ndata: b\r\n\r\n', 'event: x\ndata:c\n\n'))).toEqual([
      { event: 'message', data: 'a\nb' },
      { event: 'x', data: 'c' },
    ]);
  });

  it('drops an event the stream broke off before its blank line', async () => {
    expect(await events(body('event: token\ndata: {"text":"a"}\n\nevent: done\ndata: {'))).toEqual([
      { event: 'token', data: '{"text":"a"}' },
    ]);
  });
});
