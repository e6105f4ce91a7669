/**
 * Knows which accepted records are not settled yet (delivered or given up), so `flush()` can wait for
 * exactly the records accepted before it was called, even while new ones keep arriving.
 */
export class SettleTracker {
  // Insertion-ordered: the first entry is always the oldest unsettled record, so no scan is needed.
  private readonly unsettled = new Map<string, number>();
  private sequence = 0;
  private waiters: { upTo: number; resolve: () => void }[] = [];

  accept(id: string): void {
    this.unsettled.set(id, ++this.sequence);
  }

  settle(id: string): void {
    if (this.unsettled.delete(id) && this.waiters.length > 0) this.wake();
  }

  get hasWaiters(): boolean {
    return this.waiters.length > 0;
  }

  /** Resolves once every record accepted so far is settled, or when `releaseAll()` is called. */
  whenSettled(): Promise<void> {
    const upTo = this.sequence;
    if (this.oldest() > upTo) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ upTo, resolve }));
  }

  /** Resolves every waiter now (delivery stopped: nothing more will settle). */
  releaseAll(): void {
    for (const waiter of this.waiters.splice(0)) waiter.resolve();
  }

  private oldest(): number {
    const first = this.unsettled.values().next();
    return first.done ? Number.POSITIVE_INFINITY : first.value;
  }

  private wake(): void {
    const oldest = this.oldest();
    const still: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (waiter.upTo < oldest) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
  }
}
