/**
 * Tells the deliveries in progress that `close()` stopped waiting. Not an AbortSignal: Node warns when one
 * has more than 10 listeners, and `concurrency` may well be higher; a set of callbacks has no such limit.
 */
export class StopSignal {
  private listeners: Set<() => void> | undefined = new Set();

  get stopped(): boolean {
    return this.listeners === undefined;
  }

  /** Runs `listener` once on `stop()`. Returns the function that unsubscribes it. */
  subscribe(listener: () => void): () => void {
    const listeners = this.listeners;
    if (listeners === undefined) return noop;
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  stop(): void {
    const listeners = this.listeners;
    this.listeners = undefined;
    for (const listener of listeners ?? []) listener();
  }
}

function noop(): void {}
