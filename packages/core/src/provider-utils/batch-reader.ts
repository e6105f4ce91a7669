import { type BodySource, type ByteReader, openBody } from './node-body.js';
import { SerialCalls } from './serial-calls.js';

/**
 * What splits the body into values (SSE events, NDJSON values, binary event-stream messages), pushing each
 * through the given callback: decoded text by default, the bytes as read with `{ bytes: true }`.
 */
export interface Framer<In = string> {
  /** The next piece of the body; throws on a framing error (a line over its limit, invalid JSON, a bad CRC). */
  feed(input: In): void;
  /** The body ended: a last unterminated value, if any; throws if the body was cut inside one. */
  end(): void;
}

/**
 * A body read as batches of values, one batch per network read: decoded once (UTF-8, streaming, so a
 * character split across reads survives) and framed synchronously. The values before a framing error come
 * out as a batch first; the next call throws it. A stop (`return()`) before the body's end cancels it: the
 * request is aborted, or, once a value `isEnd` accepted was read, what is left is drained so the connection
 * is reused. An error (framing, or a failed read) cancels it too.
 *
 * A class, not an async generator: one `.then` per read instead of a generator resume (see `PartStream`).
 */
export class BatchReader<T> implements AsyncIterableIterator<T[]> {
  private reader: ByteReader | undefined;
  private readonly decoder: TextDecoder | undefined;
  private readonly framer: Framer<string | Uint8Array>;
  private batch: T[] = [];
  private closed = false;
  private sawEnd = false;
  private failure: { error: unknown } | undefined;
  /** A read in flight: calls made meanwhile wait for it, as an async generator queues them. */
  private readonly calls = new SerialCalls();

  constructor(
    source: BodySource,
    makeFramer: (push: (value: T) => void) => Framer<string>,
    isEnd?: (value: T) => boolean,
  );
  constructor(
    source: BodySource,
    makeFramer: (push: (value: T) => void) => Framer<Uint8Array>,
    isEnd: ((value: T) => boolean) | undefined,
    options: { bytes: true },
  );
  constructor(
    private readonly source: BodySource,
    makeFramer: (push: (value: T) => void) => Framer<string> | Framer<Uint8Array>,
    private readonly isEnd?: (value: T) => boolean,
    options?: { bytes: true },
  ) {
    // Which of the two the framer takes is fixed by `options.bytes` (the overloads above pair them).
    this.framer = makeFramer((value) => this.batch.push(value)) as Framer<string | Uint8Array>;
    if (!options?.bytes) this.decoder = new TextDecoder('utf-8');
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T[]>> {
    return this.calls.busy ? this.calls.after(this.nextNow) : this.nextNow();
  }

  /** Stops reading: drains the rest after an end value, otherwise aborts the body. */
  return(): Promise<IteratorResult<T[]>> {
    return this.calls.busy ? this.calls.after(this.close) : this.close();
  }

  private readonly nextNow = (): Promise<IteratorResult<T[]>> => {
    if (this.failure) {
      const { error } = this.failure;
      this.failure = undefined;
      return this.cancel(error).then(() => Promise.reject(error));
    }
    if (this.closed) return Promise.resolve({ done: true, value: undefined });
    this.reader ??= openBody(this.source);
    return this.calls.track(this.reader.read().then(this.onRead, this.onReadError));
  };

  private readonly close = async (): Promise<IteratorResult<T[]>> => {
    await this.cancel(undefined);
    return { done: true, value: undefined };
  };

  private readonly onRead = (
    read: IteratorResult<Uint8Array>,
  ): Promise<IteratorResult<T[]>> | IteratorResult<T[]> => {
    try {
      const { decoder } = this;
      if (read.done) {
        this.closed = true;
        if (decoder) this.framer.feed(decoder.decode());
        this.framer.end();
      } else {
        this.framer.feed(decoder ? decoder.decode(read.value, { stream: true }) : read.value);
      }
    } catch (error) {
      this.failure = { error };
    }
    // Inside the call in flight: straight on to the next read (through `next()` it would wait for itself).
    if (this.batch.length === 0) return this.nextNow();
    const values = this.batch;
    this.batch = [];
    if (this.isEnd && !this.sawEnd) this.sawEnd = values.some(this.isEnd);
    return { done: false, value: values };
  };

  private readonly onReadError = async (error: unknown): Promise<never> => {
    await this.cancel(error);
    throw error;
  };

  /** Ends the reading before the body's end (nothing to do after it): see the class comment. */
  private async cancel(error: unknown): Promise<void> {
    this.failure = undefined; // stopped: a framing error not yet thrown is not thrown after `return()`
    if (this.closed) return;
    this.closed = true;
    if (this.reader) await this.reader.cancel(error, this.sawEnd && error === undefined);
  }
}
