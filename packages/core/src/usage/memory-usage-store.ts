import type { UsageRecord } from './usage-record.js';
import type { UsageStore } from './usage-store.js';

/**
 * The default store: a FIFO of waiting records plus a map of leased ones, in this process's memory
 * (records are lost if the process dies; a durable store is the answer to that). Synchronous, so
 * `deliver()` stays allocation-light on the router's hot path. The dispatcher bounds its size.
 */
export class MemoryUsageStore implements UsageStore {
  // An array with a moving head: shift() is O(n) on large arrays; the consumed prefix is cut in one splice.
  private waiting: UsageRecord[] = [];
  private head = 0;
  private readonly leased = new Map<string, UsageRecord>();

  add(record: UsageRecord): void {
    this.waiting.push(record);
  }

  take(max: number): UsageRecord[] {
    const end = Math.min(this.waiting.length, this.head + max);
    const batch = this.waiting.slice(this.head, end);
    this.head = end;
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
    for (const record of batch) this.leased.set(record.id, record);
    return batch;
  }

  ack(ids: readonly string[]): void {
    for (const id of ids) this.leased.delete(id);
  }

  release(ids: readonly string[]): void {
    const back: UsageRecord[] = [];
    for (const id of ids) {
      const record = this.leased.get(id);
      if (record === undefined) continue;
      this.leased.delete(id);
      back.push(record);
    }
    // Released records were the oldest, so they go first again.
    this.waiting = [...back, ...this.waiting.slice(this.head)];
    this.head = 0;
  }

  size(): number {
    return this.waiting.length - this.head + this.leased.size;
  }
}
