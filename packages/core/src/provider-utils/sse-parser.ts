import { LineSplitter } from './line-splitter.js';

/** One dispatched Server-Sent Event. */
export interface SseEvent {
  /** The `event:` name, `message` when the event had none. */
  event: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
  /** The last event id seen in the stream (it persists across events, as the spec says). */
  id?: string;
  /** A `retry:` value in milliseconds, when this event carried one. */
  retry?: number;
}

/**
 * A push parser for `text/event-stream` that follows the WHATWG HTML spec: `\n`, `\r\n` and `\r` line
 * endings, `:` comment lines, multi-line `data`, `event`, `id` (ignored when it contains NUL) and
 * `retry` fields, one leading space stripped from values, a field split at the first colon only, a leading
 * BOM skipped, and an event at end of input without its blank line discarded.
 */
export class SseParser {
  private readonly lines = new LineSplitter();
  private data = '';
  private hasData = false;
  private eventType = '';
  private lastEventId: string | undefined;
  private retry: number | undefined;
  private first = true;

  constructor(
    private readonly onEvent: (event: SseEvent) => void,
    private readonly onComment?: (comment: string) => void,
  ) {}

  /** Feeds decoded text (decode bytes with a streaming `TextDecoder` first). */
  feed(text: string): void {
    let input = text;
    if (this.first && input.length > 0) {
      this.first = false;
      if (input.charCodeAt(0) === 0xfeff) input = input.slice(1);
    }
    for (const line of this.lines.push(input)) this.processLine(line);
  }

  /** Ends input. Per the spec, an event not terminated by a blank line is dropped. */
  end(): void {
    this.lines.flush();
    this.data = '';
    this.hasData = false;
    this.eventType = '';
  }

  private processLine(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) {
      this.onComment?.(line.slice(1).replace(/^ /, ''));
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data = this.hasData ? `${this.data}\n${value}` : value;
        this.hasData = true;
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
      // Unknown fields are ignored, as the spec requires.
    }
  }

  private dispatch(): void {
    if (!this.hasData) {
      this.eventType = '';
      return;
    }
    const event: SseEvent = { event: this.eventType || 'message', data: this.data };
    if (this.lastEventId !== undefined) event.id = this.lastEventId;
    if (this.retry !== undefined) event.retry = this.retry;
    this.data = '';
    this.hasData = false;
    this.eventType = '';
    this.retry = undefined;
    this.onEvent(event);
  }
}

/**
 * Reads a byte stream (a fetch `Response.body`) as Server-Sent Events. Bytes are decoded with a streaming
 * UTF-8 decoder, so a multi-byte character split across network chunks survives. Stopping the iteration
 * early cancels the body, which aborts the HTTP request.
 */
export async function* parseSseStream(
  body: ReadableStream<Uint8Array>,
  options: { onComment?: (comment: string) => void } = {},
): AsyncGenerator<SseEvent, void, undefined> {
  const queue: SseEvent[] = [];
  const parser = new SseParser((event) => queue.push(event), options.onComment);
  const decoder = new TextDecoder('utf-8');
  const reader = body.getReader();
  let finished = false;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) {
        parser.feed(decoder.decode());
        parser.end();
        finished = true;
      } else {
        parser.feed(decoder.decode(value, { stream: true }));
      }
      while (queue.length > 0) yield queue.shift()!;
      if (finished) return;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
