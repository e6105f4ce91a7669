import type { CachedAnswer, CacheStore } from './cache-store.js';

export interface MemoryCacheStoreOptions {
  /** Most entries held; the least recently used goes first. Default 1000. */
  maxEntries?: number;
  /** The clock, in ms (tests pass their own; default `Date.now`). */
  now?: () => number;
}

/**
 * An in-memory LRU with a TTL per entry. A `Map` keeps insertion order, so a read re-inserts the entry to
 * mark it most recent, and eviction takes the first key: O(1) for both. Expired entries are dropped when
 * read or when they reach the front.
 */
export class MemoryCacheStore implements CacheStore {
  readonly #entries = new Map<string, { entry: CachedAnswer; expiresAt: number }>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: MemoryCacheStoreOptions = {}) {
    const max = options.maxEntries ?? 1000;
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`MemoryCacheStore: maxEntries must be a positive integer (got ${max})`);
    this.#maxEntries = max;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): CachedAnswer | undefined {
    const slot = this.#entries.get(key);
    if (!slot) return undefined;
    this.#entries.delete(key);
    if (slot.expiresAt <= this.#now()) return undefined;
    this.#entries.set(key, slot);
    return slot.entry;
  }

  set(key: string, entry: CachedAnswer, ttlMs: number): void {
    if (!(ttlMs > 0)) return;
    this.#entries.delete(key);
    this.#entries.set(key, { entry, expiresAt: this.#now() + ttlMs });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  delete(key: string): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
