import { SerialCalls } from './serial-calls.js';

/**
 * The values of batches one at a time (`parseSseStream` over `parseSseBatches`): a value of the current batch
 * is handed out with one resolved promise, and the batches are awaited once per batch. An async generator
 * (`for await (const batch of batches) yield* batch`) costs a generator resume and a promise per value, which
 * halved the SSE parser's throughput as used. Calls are served in order, `return()` after the calls made
 * before it; it ends the batches.
 */
export function flattenBatches<T>(batches: AsyncIterator<T[]>): AsyncIterableIterator<T> {
  return new Flattened(batches);
}

class Flattened<T> implements AsyncIterableIterator<T> {
  private batch: T[] = [];
  private index = 0;
  private closed = false;
  /** A batch being awaited: calls made meanwhile wait for it. */
  private readonly calls = new SerialCalls();

  constructor(private readonly batches: AsyncIterator<T[]>) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    return this.calls.busy ? this.calls.after(this.nextNow) : this.nextNow();
  }

  return(): Promise<IteratorResult<T>> {
    return this.calls.busy ? this.calls.after(this.close) : this.close();
  }

  private readonly nextNow = (): Promise<IteratorResult<T>> => {
    if (this.index < this.batch.length) {
      const value = this.batch[this.index++] as T;
      return Promise.resolve({ done: false, value });
    }
    if (this.closed) return Promise.resolve({ done: true, value: undefined });
    return this.calls.track(this.batches.next().then(this.onBatch));
  };

  private readonly close = async (): Promise<IteratorResult<T>> => {
    const wasOpen = !this.closed;
    this.closed = true;
    this.batch = [];
    this.index = 0;
    if (wasOpen) await this.batches.return?.();
    return { done: true, value: undefined };
  };

  private readonly onBatch = (
    result: IteratorResult<T[]>,
  ): IteratorResult<T> | Promise<IteratorResult<T>> => {
    if (result.done) {
      this.closed = true;
      return { done: true, value: undefined };
    }
    this.batch = result.value;
    this.index = 0;
    if (this.batch.length === 0) return this.batches.next().then(this.onBatch);
    return { done: false, value: this.batch[this.index++] as T };
  };
}
