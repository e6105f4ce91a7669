import type { CachedAnswer, CacheStore } from './cache-store.js';

export interface MemoryCacheStoreOptions {
  /** Most entries held; the least recently used goes first. Default 1000. */
  maxEntries?: number;
  /**
   * Most bytes held (each entry counted as its text's UTF-16 size plus its other fields); the least recently
   * used go first. Default 64 MB: 1000 entries of long answers must not hold a gigabyte. An entry larger than
   * the whole budget is not stored.
   */
  maxBytes?: number;
  /** The clock, in ms (tests pass their own; default `Date.now`). */
  now?: () => number;
}

/**
 * An in-memory LRU with a TTL per entry. A `Map` keeps insertion order, so a read re-inserts the entry to
 * mark it most recent, and eviction takes the first key: O(1) for both. Expired entries are dropped when
 * read or when they reach the front.
 */
export class MemoryCacheStore implements CacheStore {
  readonly #entries = new Map<string, { entry: CachedAnswer; expiresAt: number; bytes: number }>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  #bytes = 0;
  readonly #now: () => number;

  constructor(options: MemoryCacheStoreOptions = {}) {
    const max = options.maxEntries ?? 1000;
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`MemoryCacheStore: maxEntries must be a positive integer (got ${max})`);
    this.#maxEntries = max;
    const bytes = options.maxBytes ?? 64 * 1024 * 1024;
    if (!(bytes > 0) || !Number.isFinite(bytes))
      throw new RangeError(`MemoryCacheStore: maxBytes must be a positive number (got ${bytes})`);
    this.#maxBytes = bytes;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Bytes held, as counted against `maxBytes`. */
  get bytes(): number {
    return this.#bytes;
  }

  get(key: string): CachedAnswer | undefined {
    const slot = this.#entries.get(key);
    if (!slot) return undefined;
    this.#entries.delete(key);
    if (slot.expiresAt <= this.#now()) {
      this.#bytes -= slot.bytes;
      return undefined;
    }
    this.#entries.set(key, slot);
    return slot.entry;
  }

  set(key: string, entry: CachedAnswer, ttlMs: number): void {
    if (!(ttlMs > 0)) return;
    this.delete(key);
    const bytes = sizeOf(entry);
    if (bytes > this.#maxBytes) return;
    this.#entries.set(key, { entry, expiresAt: this.#now() + ttlMs, bytes });
    this.#bytes += bytes;
    while (this.#entries.size > this.#maxEntries || this.#bytes > this.#maxBytes) {
      const oldest = this.#entries.keys().next().value as string;
      this.delete(oldest);
    }
  }

  delete(key: string): boolean {
    const slot = this.#entries.get(key);
    if (!slot) return false;
    this.#bytes -= slot.bytes;
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }
}

/** An entry's size: its strings at two bytes a character, plus a fixed allowance for its numbers and objects. */
function sizeOf(entry: CachedAnswer): number {
  return (
    2 * (entry.text.length + entry.provider.length + entry.model.length + entry.cost.currency.length) + 256
  );
}
