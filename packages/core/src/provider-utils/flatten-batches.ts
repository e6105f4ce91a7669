/**
 * The values of batches one at a time (`parseSseStream` over `parseSseBatches`): a value of the current batch
 * is handed out with one resolved promise, and the batches are awaited once per batch. An async generator
 * (`for await (const batch of batches) yield* batch`) costs a generator resume and a promise per value, which
 * halved the SSE parser's throughput as used. Calls are served in order; `return()` ends the batches.
 */
export function flattenBatches<T>(batches: AsyncIterator<T[]>): AsyncIterableIterator<T> {
  return new Flattened(batches);
}

class Flattened<T> implements AsyncIterableIterator<T> {
  private batch: T[] = [];
  private index = 0;
  /** A batch being awaited: calls made meanwhile wait for it. */
  private pending: Promise<IteratorResult<T>> | undefined;

  constructor(private readonly batches: AsyncIterator<T[]>) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.pending) return this.pending.then(this.again, this.again);
    if (this.index < this.batch.length) {
      const value = this.batch[this.index++] as T;
      return Promise.resolve({ done: false, value });
    }
    const pending = this.batches.next().then(this.onBatch);
    this.pending = pending;
    const clear = () => {
      if (this.pending === pending) this.pending = undefined;
    };
    pending.then(clear, clear);
    return pending;
  }

  async return(): Promise<IteratorResult<T>> {
    if (this.pending) await this.pending.catch(() => {});
    this.batch = [];
    this.index = 0;
    await this.batches.return?.();
    return { done: true, value: undefined };
  }

  private readonly again = (): Promise<IteratorResult<T>> => this.next();

  private readonly onBatch = (
    result: IteratorResult<T[]>,
  ): IteratorResult<T> | Promise<IteratorResult<T>> => {
    if (result.done) return { done: true, value: undefined };
    this.batch = result.value;
    this.index = 0;
    if (this.batch.length === 0) return this.batches.next().then(this.onBatch);
    return { done: false, value: this.batch[this.index++] as T };
  };
}
