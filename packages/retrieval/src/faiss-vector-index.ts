import { FaissStore, type FaissStoreOptions } from './faiss-store.js';
import { RetrievalError } from './retrieval-error.js';

/** One match: the key stored with the nearest vector and its cosine similarity (-1..1, higher is closer). */
export interface FaissVectorMatch {
  key: string;
  score: number;
}

export interface FaissVectorIndexOptions {
  /** Most vectors per scope; the oldest goes first. Default 10 000 (as `MemoryVectorIndex`). */
  maxPerScope?: number;
  /**
   * Options of each scope's `FaissStore` (worker pool). `size` defaults to 1 here, not to the core count:
   * every scope has its own pool, so a pool per core per scope would multiply threads with the scopes.
   */
  store?: Omit<FaissStoreOptions, 'metric'>;
  /**
   * Most scopes held at once; the least recently used one is closed (its workers stopped, its vectors
   * dropped) to make room. Default 16. Each scope is a worker pool, and the orchestrator makes a scope per
   * task, template version and generation settings (a per-request `seed` is one each): unbounded, 40 seeds
   * were 40 threads and some 600 MB.
   */
  maxScopes?: number;
}

interface Scope {
  /** Created by the scope's first add; undefined until that add has finished. */
  store: FaissStore | undefined;
  dimension: number | undefined;
  /** Keys in the store, oldest first (a Set keeps insertion order), for eviction. */
  keys: Set<string>;
  /** Adds and removes of one scope run one after another, so a scope gets one store and ordered evictions. */
  tail: Promise<void>;
}

/**
 * A semantic-cache index over FAISS: one cosine `FaissStore` (a faiss-node worker pool) per scope, created on
 * the scope's first vector with that vector's dimension. It has the shape of `@llmo/orchestrator`'s
 * `VectorIndex` (`add`, `nearest`, `remove`), matched structurally so this package does not depend on the
 * orchestrator. Node only. Call `close()` (or `await using`) to stop the workers.
 *
 * @example
 * await using index = new FaissVectorIndex({ maxPerScope: 100_000 });
 * const orchestrator = createOrchestrator({ router, tasks, templates, semanticCache: { embed, index } });
 */
export class FaissVectorIndex {
  readonly #scopes = new Map<string, Scope>();
  readonly #max: number;
  readonly #maxScopes: number;
  readonly #storeOptions: FaissStoreOptions;
  /** Scopes evicted or emptied whose stores are closing: `close()` waits for them. */
  readonly #closing = new Set<Promise<void>>();
  #closed = false;

  constructor(options: FaissVectorIndexOptions = {}) {
    this.#max = options.maxPerScope ?? 10_000;
    if (!Number.isInteger(this.#max) || this.#max < 1)
      throw new RetrievalError(
        'invalid_argument',
        `FaissVectorIndex: maxPerScope must be a positive integer (got ${this.#max})`,
      );
    this.#maxScopes = options.maxScopes ?? 16;
    if (!Number.isInteger(this.#maxScopes) || this.#maxScopes < 1)
      throw new RetrievalError(
        'invalid_argument',
        `FaissVectorIndex: maxScopes must be a positive integer (got ${this.#maxScopes})`,
      );
    this.#storeOptions = { size: 1, ...options.store, metric: 'cosine' };
  }

  /**
   * Stores `vector` under `key` in `scope` (replacing the key's earlier vector), evicting the oldest beyond
   * `maxPerScope`. A zero or non-finite vector is skipped, as `MemoryVectorIndex` does: it has no direction.
   * A vector whose dimension differs from the scope's is an `invalid_argument` error.
   */
  async add(scope: string, vector: readonly number[], key: string): Promise<void> {
    this.#checkOpen();
    if (!comparable(vector)) return;
    const s = this.#scope(scope);
    return this.#serial(s, async () => {
      this.#checkOpen();
      if (s.dimension !== undefined && vector.length !== s.dimension)
        throw new RetrievalError(
          'invalid_argument',
          `FaissVectorIndex: scope "${scope}" holds ${s.dimension}-dimensional vectors, got ${vector.length} (embed every request of a scope with the same model)`,
        );
      if (!s.store) {
        // The store's pool starts here; a concurrent add of this scope waits on `tail`, so only one starts.
        s.store = await FaissStore.fromVectors([vector], [{ pageContent: '', metadata: {}, id: key }], {
          ...this.#storeOptions,
        });
        s.dimension = vector.length;
        s.keys.add(key);
        return;
      }
      if (s.keys.has(key)) {
        await s.store.delete({ ids: [key] });
        s.keys.delete(key);
      }
      await s.store.addVectors([vector], [{ pageContent: '', metadata: {}, id: key }]);
      s.keys.add(key);
      if (s.keys.size > this.#max) {
        const oldest = [...s.keys].slice(0, s.keys.size - this.#max);
        await s.store.delete({ ids: oldest });
        for (const k of oldest) s.keys.delete(k);
      }
    });
  }

  /**
   * The most similar vector in `scope` (cosine similarity), or undefined when the scope is empty or the query
   * cannot be compared (zero, non-finite, or of another dimension: as `MemoryVectorIndex`, no match then).
   */
  async nearest(scope: string, vector: readonly number[]): Promise<FaissVectorMatch | undefined> {
    this.#checkOpen();
    const s = this.#scopes.get(scope);
    if (!s?.store || s.keys.size === 0 || vector.length !== s.dimension || !comparable(vector))
      return undefined;
    this.#touch(scope, s);
    const [hit] = await s.store.similaritySearchVectorWithScore(vector, 1);
    return hit?.[0].id === undefined ? undefined : { key: hit[0].id, score: hit[1] };
  }

  /** Drops `key` from `scope`; an unknown key or scope is a no-op. */
  async remove(scope: string, key: string): Promise<void> {
    this.#checkOpen();
    const s = this.#scopes.get(scope);
    if (!s) return;
    return this.#serial(s, async () => {
      if (!s.store || !s.keys.has(key)) return;
      await s.store.delete({ ids: [key] });
      s.keys.delete(key);
      // An emptied scope holds a worker pool for nothing: closed and forgotten (an add makes a new one).
      if (s.keys.size === 0 && this.#scopes.get(scope) === s) {
        this.#scopes.delete(scope);
        this.#retire(s);
      }
    });
  }

  /** Scopes held (each a worker pool). */
  scopeCount(): number {
    return this.#scopes.size;
  }

  /** Vectors held in one scope (or in all). */
  size(scope?: string): number {
    if (scope !== undefined) return this.#scopes.get(scope)?.keys.size ?? 0;
    let total = 0;
    for (const s of this.#scopes.values()) total += s.keys.size;
    return total;
  }

  /**
   * Stops every scope's workers, after the adds and removes already started. Later calls reject with `closed`.
   * Idempotent.
   */
  async close(): Promise<void> {
    this.#closed = true;
    const scopes = [...this.#scopes.values()];
    await Promise.all(scopes.map((s) => s.tail));
    await Promise.all(scopes.map((s) => s.store?.close()));
    await Promise.all([...this.#closing]);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #scope(name: string): Scope {
    let s = this.#scopes.get(name);
    if (s) {
      this.#touch(name, s);
      return s;
    }
    s = { store: undefined, dimension: undefined, keys: new Set(), tail: Promise.resolve() };
    this.#scopes.set(name, s);
    // The least recently used scopes beyond the cap are closed: a Map keeps insertion order and a use
    // re-inserts, so the first key is the least recent.
    while (this.#scopes.size > this.#maxScopes) {
      const [oldest, evicted] = this.#scopes.entries().next().value as [string, Scope];
      this.#scopes.delete(oldest);
      this.#retire(evicted);
    }
    return s;
  }

  /** Marks `s` most recently used. */
  #touch(name: string, s: Scope): void {
    this.#scopes.delete(name);
    this.#scopes.set(name, s);
  }

  /**
   * Closes a scope no longer in the map once every operation queued on it has run (its tail; called from one
   * of them, that one included, which never waits on this).
   */
  #retire(s: Scope): void {
    const closing: Promise<void> = s.tail
      .then(() => s.store?.close())
      .catch(() => {})
      .finally(() => this.#closing.delete(closing));
    this.#closing.add(closing);
  }

  /** Runs `operation` after the scope's earlier ones; a failed one does not block those after it. */
  #serial(s: Scope, operation: () => Promise<void>): Promise<void> {
    const run = s.tail.then(operation);
    s.tail = run.catch(() => {});
    return run;
  }

  #checkOpen(): void {
    if (this.#closed) throw new RetrievalError('closed', 'FaissVectorIndex is closed');
  }
}

/** Non-empty, finite and not all zeros: cosine similarity is defined for it. */
function comparable(vector: readonly number[]): boolean {
  if (!Array.isArray(vector) || vector.length === 0) return false;
  let norm = 0;
  for (const v of vector) norm += v * v;
  return norm > 0 && Number.isFinite(norm);
}
