import type { ProviderError } from '../errors/provider-error.js';
import { BatchReader } from './batch-reader.js';
import { flattenBatches } from './flatten-batches.js';
import { LineSplitter, type LineSplitterOptions, lineTooLongError } from './line-splitter.js';
import type { BodySource } from './node-body.js';

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

/** Options of `SseParser`: the line cap, which also bounds one event's joined `data`. */
export type SseParserOptions = LineSplitterOptions;

/** Options of `parseSseStream`. */
export interface SseStreamOptions extends SseParserOptions {
  /** Receives comment lines (keep-alives such as `: ping`), without the colon and one leading space. */
  onComment?: (comment: string) => void;
  /**
   * The wire's end marker (`[DONE]`, `message_stop`). When the reader stops after one, what is left of the body
   * is drained so the connection can be reused; a stop before it aborts the request (the upstream stops).
   */
  isEnd?: (event: SseEvent) => boolean;
}

/**
 * A push parser for `text/event-stream` that follows the WHATWG HTML spec: `\n`, `\r\n` and `\r` line
 * endings, `:` comment lines, multi-line `data`, `event`, `id` (ignored when it contains NUL) and
 * `retry` fields, one leading space stripped from values, a field split at the first colon only, a leading
 * BOM skipped, and an event at end of input without its blank line discarded.
 *
 * Bounded: a line, and an event's `data` lines joined, may each be at most `maxLineLength` characters
 * (default 16 MiB); beyond that `feed` throws a `ProviderError` (kind `invalid_response`, code
 * `'line-too-long'`) after dispatching the events before it, and the parser stays failed.
 */
export class SseParser {
  private readonly lines: LineSplitter;
  private readonly maxLineLength: number;
  private readonly provider: string | undefined;
  /** The event's `data` values so far, joined with `\n` at dispatch (linear however many lines there are). */
  private data: string[] = [];
  /** Length of `data` joined: the values plus one `\n` between each two. */
  private dataLength = 0;
  private eventType = '';
  private lastEventId: string | undefined;
  private retry: number | undefined;
  private first = true;
  private failure: ProviderError | undefined;
  private readonly processLine = (line: string): void => this.process(line);

  constructor(
    private readonly onEvent: (event: SseEvent) => void,
    private readonly onComment?: (comment: string) => void,
    options: SseParserOptions = {},
  ) {
    this.lines = new LineSplitter(options);
    this.maxLineLength = this.lines.maxLineLength;
    this.provider = options.provider;
  }

  /** Feeds decoded text (decode bytes with a streaming `TextDecoder` first). */
  feed(text: string): void {
    if (this.failure) throw this.failure;
    let input = text;
    if (this.first && input.length > 0) {
      this.first = false;
      if (input.charCodeAt(0) === 0xfeff) input = input.slice(1);
    }
    this.lines.feed(input, this.processLine);
  }

  /** Ends input. Per the spec, an event not terminated by a blank line is dropped. */
  end(): void {
    if (this.failure) throw this.failure;
    this.lines.flush();
    this.resetEvent();
  }

  private resetEvent(): void {
    this.data = [];
    this.dataLength = 0;
    this.eventType = '';
  }

  private process(line: string): void {
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
      case 'data': {
        const length = this.dataLength + (this.data.length > 0 ? 1 : 0) + value.length;
        if (length > this.maxLineLength) {
          this.resetEvent();
          this.failure = lineTooLongError(this.maxLineLength, this.provider, 'an event with data');
          throw this.failure;
        }
        this.data.push(value);
        this.dataLength = length;
        break;
      }
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
    if (this.data.length === 0) {
      this.eventType = '';
      return;
    }
    const data = this.data.length === 1 ? this.data[0]! : this.data.join('\n');
    const event: SseEvent = { event: this.eventType || 'message', data };
    if (this.lastEventId !== undefined) event.id = this.lastEventId;
    if (this.retry !== undefined) event.retry = this.retry;
    this.resetEvent();
    this.retry = undefined;
    this.onEvent(event);
  }
}

/**
 * Reads a response (or its body) as Server-Sent Events. Bytes are decoded with a streaming UTF-8 decoder, so a
 * multi-byte character split across network chunks survives. Pass the `Response` itself where you can: a
 * response from llmo's Node transport is then read from its Node stream, without a web stream. Stopping the
 * iteration early hands the rest of the body back to the transport (read and discarded, so the connection is
 * reused); an error (a line or an event's data over `maxLineLength`, a failed read) cancels the body, which
 * aborts the HTTP request. Events parsed before an error are yielded first.
 */
export function parseSseStream(
  source: BodySource,
  options: SseStreamOptions = {},
): AsyncIterableIterator<SseEvent> {
  return flattenBatches(parseSseBatches(source, options));
}

/**
 * `parseSseStream`, one array of events per network read: a provider's loop awaits once per read rather than
 * once per event (a read usually carries several). Same decoding, limits, cancellation and errors.
 */
export function parseSseBatches(
  source: BodySource,
  options: SseStreamOptions = {},
): AsyncIterableIterator<SseEvent[]> {
  return new BatchReader<SseEvent>(
    source,
    (push) => {
      const parser = new SseParser(push, options.onComment, options);
      return { feed: (text) => parser.feed(text), end: () => parser.end() };
    },
    options.isEnd,
  );
}
