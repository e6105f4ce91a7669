import type { CachedAnswer, CacheStore } from '../cache/cache-store.js';

/**
 * The commands the store sends, as ioredis (and node-redis with its legacy mode) spell them. Typed here so
 * this entry imports no client: pass `new Redis(url)` from ioredis, or any object with these methods.
 */
export interface RedisClientLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'PX', milliseconds: number): Promise<unknown>;
  del(key: string): Promise<number>;
  scan(
    cursor: string,
    match: 'MATCH',
    pattern: string,
    count: 'COUNT',
    n: number,
  ): Promise<[string, string[]]>;
}

export interface RedisCacheStoreOptions {
  client: RedisClientLike;
  /** Prefix of every key, so one Redis can hold several apps' caches. Default `llmo:orchestrator:`. */
  prefix?: string;
}

/** SCAN rounds `clear()` makes at most (1000 keys each): bounded even on a huge shared Redis. */
const MAX_SCAN_ROUNDS = 10_000;

/**
 * The exact cache in Redis, shared by every process: each answer is one JSON string with Redis's own expiry
 * (`SET … PX ttl`), so expired entries cost nothing to drop. An entry that does not parse (written by
 * something else, or cut) is deleted and read as a miss. Connection errors reach the orchestrator, which
 * treats them as a miss (with a warning) and never fails the request for them.
 */
export class RedisCacheStore implements CacheStore {
  readonly #client: RedisClientLike;
  readonly #prefix: string;

  constructor(options: RedisCacheStoreOptions) {
    if (
      !options?.client ||
      typeof options.client.get !== 'function' ||
      typeof options.client.set !== 'function'
    )
      throw new TypeError(
        'RedisCacheStore: `client` must be a Redis client (e.g. new Redis(url) from ioredis)',
      );
    this.#client = options.client;
    this.#prefix = options.prefix ?? 'llmo:orchestrator:';
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    const text = await this.#client.get(this.#prefix + key);
    if (text === null) return undefined;
    try {
      const entry = JSON.parse(text) as CachedAnswer;
      if (typeof entry === 'object' && entry !== null && typeof entry.text === 'string') return entry;
    } catch {
      // Not ours or cut short: fall through and drop it.
    }
    await this.#client.del(this.#prefix + key);
    return undefined;
  }

  async set(key: string, entry: CachedAnswer, ttlMs: number): Promise<void> {
    if (!(ttlMs > 0)) return;
    await this.#client.set(this.#prefix + key, JSON.stringify(entry), 'PX', Math.ceil(ttlMs));
  }

  async delete(key: string): Promise<boolean> {
    return (await this.#client.del(this.#prefix + key)) > 0;
  }

  /** Deletes every key under the prefix (SCAN, never KEYS, so Redis is not blocked). */
  async clear(): Promise<void> {
    let cursor = '0';
    for (let round = 0; round < MAX_SCAN_ROUNDS; round++) {
      const [next, keys] = await this.#client.scan(
        cursor,
        'MATCH',
        `${escapeGlob(this.#prefix)}*`,
        'COUNT',
        1000,
      );
      for (const key of keys) await this.#client.del(key);
      cursor = next;
      if (cursor === '0') return;
    }
  }
}

/** A prefix is matched literally: Redis glob characters in it are escaped. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
