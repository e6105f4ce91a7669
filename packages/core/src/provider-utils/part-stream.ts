import type { ReadyParts, StreamPart } from '../spec/stream-part.js';
import { type BodySource, openBody } from './node-body.js';
import { SerialCalls } from './serial-calls.js';

/** How a provider turns the events of a response body into stream parts (see `partStream`). */
export interface PartSource<E> {
  /** The body's events, one batch per network read (`parseSseBatches`, `parseNdjsonBatches`). */
  batches: AsyncIterable<E[]>;
  /**
   * Pushes the event's parts onto `out`, synchronously; returns `'stop'` for the wire's end marker (the rest
   * of the body is then drained or dropped as the batches' `isEnd` decided). A throw ends the stream after the
   * parts already pushed.
   */
  map(event: E, out: StreamPart[]): unknown;
  /**
   * Pushes the last parts (usually `StreamAssembler.finish`) once the events ended: at the end marker
   * (`stopped`) or at the end of the body. May throw (a truncated stream).
   */
  finish(out: StreamPart[], stopped: boolean): void;
  /** The error the consumer gets for one thrown while reading, mapping or finishing (e.g. `toProviderError`). */
  mapError?(error: unknown): unknown;
}

/** What `partStream` opens: the parts that come first, and the source of the rest. */
export interface PartStreamInit<E> {
  /** Parts before the body's (`stream-start` and its warnings). */
  head?: readonly StreamPart[];
  source: PartSource<E>;
  /** The response `source` reads: cancelled if the consumer stops before its body was ever read. */
  response?: BodySource;
}

type Phase = 'new' | 'open' | 'ended' | 'failed' | 'closed';

/**
 * A provider's stream as one async iterator: `open()` (the HTTP request) runs on the first `next()`, then the
 * head parts, then the parts of each event, mapped when the consumer asks for them (an event's parts go out
 * before the next event is mapped), awaiting the network only once per read; then the finish parts.
 *
 * Why not async generators (`withResponseBody(mapEventBatches(parseSseBatches(…)))` inside the provider's
 * own `async *stream()`): each generator layer costs a promise and a resume per part; this hands a part out of
 * a buffer with one resolved promise, which halves the CPU a provider spends per chunk above parsing.
 * Semantics are the generators': calls are served in order (`return()` after the calls made before it), a
 * stop before the body was read cancels it (the request is aborted), a stop after drains or aborts per `isEnd`.
 */
export class PartStream<E> implements AsyncIterableIterator<StreamPart>, ReadyParts {
  private init: PartStreamInit<E> | undefined;
  private batches: AsyncIterator<E[]> | undefined;
  private parts: StreamPart[] = [];
  private partIndex = 0;
  private events: E[] = [];
  private eventIndex = 0;
  private phase: Phase = 'new';
  private error: unknown;
  /** What every error goes through on its way to the consumer (see `mapErrors`). */
  private errorMap: ((error: unknown) => unknown) | undefined;
  /** A read in flight: calls made meanwhile wait for it, as an async generator queues them. */
  private readonly calls = new SerialCalls();

  constructor(private readonly open: () => PartStreamInit<E> | Promise<PartStreamInit<E>>) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<StreamPart>> {
    return this.calls.busy ? this.calls.after(this.nextNow) : this.nextNow();
  }

  return(): Promise<IteratorResult<StreamPart>> {
    return this.calls.busy ? this.calls.after(this.close) : this.close();
  }

  /**
   * Passes every error the consumer gets (a failed open, read, mapping or close) through `map` as well, after
   * the source's `mapError`. For a wrapper that must transform errors (the secret redaction every HTTP provider
   * has): applied here, it costs nothing per part, where wrapping `next()` costs a promise per part.
   */
  mapErrors(map: (error: unknown) => unknown): this {
    const previous = this.errorMap;
    this.errorMap = previous ? (error) => map(previous(error)) : map;
    return this;
  }

  private toConsumer(error: unknown): unknown {
    return this.errorMap ? this.errorMap(error) : error;
  }

  /** The next result if it needs no read (see `ReadyParts`): the rest of the current network read's parts. */
  takeReady(): IteratorResult<StreamPart> | undefined {
    return this.calls.busy ? undefined : this.step();
  }

  private readonly nextNow = (): Promise<IteratorResult<StreamPart>> => {
    let result: IteratorResult<StreamPart> | undefined;
    try {
      result = this.step();
    } catch (error) {
      return Promise.reject(error);
    }
    if (result) return Promise.resolve(result);
    return this.calls.track(this.read());
  };

  private readonly close = async (): Promise<IteratorResult<StreamPart>> => {
    const { phase } = this;
    this.phase = 'closed';
    this.parts = [];
    this.events = [];
    if (phase === 'open') {
      try {
        if (this.batches) await this.batches.return?.();
        else if (this.init?.response) await openBody(this.init.response).cancel();
      } catch (error) {
        throw this.toConsumer(error);
      }
    }
    return { done: true, value: undefined };
  };

  /** The next result without touching the network, or `undefined` when a read is needed. */
  private step(): IteratorResult<StreamPart> | undefined {
    while (true) {
      if (this.partIndex < this.parts.length) {
        const value = this.parts[this.partIndex++] as StreamPart;
        return { done: false, value };
      }
      if (this.parts.length > 0) {
        this.parts = [];
        this.partIndex = 0;
      }
      switch (this.phase) {
        case 'open':
          if (this.eventIndex >= this.events.length) return undefined;
          this.mapEvents();
          continue;
        case 'ended':
          this.phase = 'closed';
          return { done: true, value: undefined };
        case 'failed':
          this.phase = 'closed';
          throw this.error;
        case 'closed':
          return { done: true, value: undefined };
        default:
          return undefined;
      }
    }
  }

  /** Maps the current batch's events until one yields parts (or the batch is used up, or it ends). */
  private mapEvents(): void {
    const { source } = this.init as PartStreamInit<E>;
    try {
      while (this.parts.length === 0 && this.eventIndex < this.events.length) {
        const event = this.events[this.eventIndex++] as E;
        if (source.map(event, this.parts) === 'stop') {
          this.end(true);
          return;
        }
      }
    } catch (error) {
      this.fail(error);
    }
  }

  private end(stopped: boolean): void {
    this.events = [];
    this.phase = 'ended';
    // The end marker came before the body's end: what is left of it is drained or dropped (per `isEnd`).
    if (stopped) this.release();
    try {
      (this.init as PartStreamInit<E>).source.finish(this.parts, stopped);
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    this.events = [];
    this.phase = 'failed';
    this.release();
    const { mapError } = (this.init as PartStreamInit<E>).source;
    try {
      this.error = this.toConsumer(mapError ? mapError(error) : error);
    } catch (thrown) {
      // A `mapError` that throws: what it threw still goes through the consumer's map (the redaction).
      try {
        this.error = this.toConsumer(thrown);
      } catch (again) {
        this.error = again;
      }
    }
  }

  /** Ends the batches' reading (a generator's `finally` cancels or drains the body); a read error is theirs. */
  private release(): void {
    const batches = this.batches;
    if (batches?.return) void batches.return().catch(() => {});
  }

  /** One network read (or the open), then the next result; loops over reads that carry no parts. */
  private async read(): Promise<IteratorResult<StreamPart>> {
    while (true) {
      if (this.phase === 'new') {
        try {
          this.init = await this.open();
        } catch (error) {
          this.phase = 'closed';
          throw this.toConsumer(error);
        }
        this.phase = 'open';
        if (this.init.head) this.parts.push(...this.init.head);
      } else {
        try {
          this.batches ??= this.init?.source.batches[Symbol.asyncIterator]();
          const batch = await (this.batches as AsyncIterator<E[]>).next();
          if (this.phase === 'open') {
            if (batch.done) this.end(false);
            else {
              this.events = batch.value;
              this.eventIndex = 0;
            }
          }
        } catch (error) {
          if (this.phase === 'open') this.fail(error);
        }
      }
      const result = this.step();
      if (result) return result;
    }
  }
}

/** `new PartStream(open)`: see there. Returns the stream itself, which is its own (single-use) iterator. */
export function partStream<E>(
  open: () => PartStreamInit<E> | Promise<PartStreamInit<E>>,
): AsyncIterableIterator<StreamPart> & ReadyParts {
  return new PartStream(open);
}
