import { asCachedAnswer, type CachedAnswer, type CacheStore } from '../cache/cache-store.js';

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
  /**
   * How long one command may take, in ms, before it counts as failed (a miss, or an answer not cached).
   * Default 200. A client built with ioredis's defaults queues commands while Redis is down and retries each
   * some 20 times (~40 s): without this bound every request would wait that long.
   */
  opTimeoutMs?: number;
}

/** SCAN rounds `clear()` makes at most (1000 keys each): bounded even on a huge shared Redis. */
const MAX_SCAN_ROUNDS = 10_000;

/**
 * The exact cache in Redis, shared by every process: each answer is one JSON string with Redis's own expiry
 * (`SET … PX ttl`), so expired entries cost nothing to drop. An entry that does not parse or is not a cached
 * answer's shape (written by something else, an older format, or cut) is deleted and read as a miss. Every
 * command is bounded by `opTimeoutMs`; connection errors and timeouts reach the orchestrator, which treats
 * them as a miss (with a warning) and never fails the request for them.
 */
export class RedisCacheStore implements CacheStore {
  readonly #client: RedisClientLike;
  readonly #prefix: string;
  readonly #opTimeoutMs: number;

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
    const timeout = options.opTimeoutMs ?? 200;
    if (!(timeout > 0) || !Number.isFinite(timeout))
      throw new TypeError(`RedisCacheStore: opTimeoutMs must be a positive number of ms (got ${timeout})`);
    this.#opTimeoutMs = timeout;
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    const text = await this.#bounded(this.#client.get(this.#prefix + key), 'GET');
    if (text === null || text === undefined) return undefined;
    let entry: CachedAnswer | undefined;
    try {
      entry = asCachedAnswer(JSON.parse(text));
    } catch {
      // Not JSON (cut short, or not ours): dropped below.
    }
    if (entry) return entry;
    // Written by something else or an older format: drop it, read as a miss.
    await this.#bounded(this.#client.del(this.#prefix + key), 'DEL');
    return undefined;
  }

  async set(key: string, entry: CachedAnswer, ttlMs: number): Promise<void> {
    if (!(ttlMs > 0)) return;
    await this.#bounded(
      this.#client.set(this.#prefix + key, JSON.stringify(entry), 'PX', Math.ceil(ttlMs)),
      'SET',
    );
  }

  async delete(key: string): Promise<boolean> {
    return (await this.#bounded(this.#client.del(this.#prefix + key), 'DEL')) > 0;
  }

  /** `command`, or a rejection after `opTimeoutMs` (the command's own late result is read and dropped). */
  #bounded<T>(command: Promise<T>, name: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`Redis ${name} took over ${this.#opTimeoutMs} ms (opTimeoutMs); is Redis up?`)),
        this.#opTimeoutMs,
      );
      command.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /** Deletes every key under the prefix (SCAN, never KEYS, so Redis is not blocked). */
  async clear(): Promise<void> {
    let cursor = '0';
    for (let round = 0; round < MAX_SCAN_ROUNDS; round++) {
      const [next, keys] = await this.#bounded(
        this.#client.scan(cursor, 'MATCH', `${escapeGlob(this.#prefix)}*`, 'COUNT', 1000),
        'SCAN',
      );
      for (const key of keys) await this.#bounded(this.#client.del(key), 'DEL');
      cursor = next;
      if (cursor === '0') return;
    }
  }
}

/** A prefix is matched literally: Redis glob characters in it are escaped. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
