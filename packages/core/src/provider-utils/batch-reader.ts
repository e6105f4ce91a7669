import { type BodySource, type ByteReader, openBody } from './node-body.js';

/** What splits decoded text into values (SSE events, NDJSON values), pushing each through the given callback. */
export interface Framer {
  /** The next piece of decoded text; throws on a framing error (a line over its limit, invalid JSON). */
  feed(text: string): void;
  /** The body ended: a last unterminated value, if any. */
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
  private readonly decoder = new TextDecoder('utf-8');
  private readonly framer: Framer;
  private batch: T[] = [];
  private closed = false;
  private sawEnd = false;
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly source: BodySource,
    makeFramer: (push: (value: T) => void) => Framer,
    private readonly isEnd?: (value: T) => boolean,
  ) {
    this.framer = makeFramer((value) => this.batch.push(value));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T[]>> {
    if (this.failure) {
      const { error } = this.failure;
      this.failure = undefined;
      return this.cancel(error).then(() => Promise.reject(error));
    }
    if (this.closed) return Promise.resolve({ done: true, value: undefined });
    this.reader ??= openBody(this.source);
    return this.reader.read().then(this.onRead, this.onReadError);
  }

  /** Stops reading: drains the rest after an end value, otherwise aborts the body. */
  async return(): Promise<IteratorResult<T[]>> {
    await this.cancel(undefined);
    return { done: true, value: undefined };
  }

  private readonly onRead = (
    read: IteratorResult<Uint8Array>,
  ): Promise<IteratorResult<T[]>> | IteratorResult<T[]> => {
    try {
      if (read.done) {
        this.closed = true;
        this.framer.feed(this.decoder.decode());
        this.framer.end();
      } else {
        this.framer.feed(this.decoder.decode(read.value, { stream: true }));
      }
    } catch (error) {
      this.failure = { error };
    }
    if (this.batch.length === 0) return this.next();
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
    if (this.closed) return;
    this.closed = true;
    if (this.reader) await this.reader.cancel(error, this.sawEnd && error === undefined);
  }
}
