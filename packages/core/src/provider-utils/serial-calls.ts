/**
 * Serves an iterator's calls in order once one is waiting on I/O, as an async generator queues them, without
 * adding a promise to the calls made while none is (a part handed out of a buffer). `next(); next(); return()`
 * called together settle in that order: the second `next()` gets the next value, and `return()` runs after it.
 */
export class SerialCalls {
  private tail: Promise<unknown> | undefined;

  /** Whether a call is in flight (later ones must go through `after`). */
  get busy(): boolean {
    return this.tail !== undefined;
  }

  /** Marks `promise` as the call in flight: calls made meanwhile wait for it. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.tail = promise;
    const clear = () => {
      if (this.tail === promise) this.tail = undefined;
    };
    promise.then(clear, clear);
    return promise;
  }

  /** Runs `call` once every call in flight or queued before it has settled. */
  after<T>(call: () => Promise<T>): Promise<T> {
    const previous = this.tail ?? Promise.resolve();
    return this.track(previous.then(call, call));
  }
}
