/** One match of a similarity search: the exact-cache key it points to, and its cosine similarity (-1..1). */
export interface VectorMatch {
  key: string;
  score: number;
}

/**
 * Where the semantic cache keeps request embeddings, each under a scope (task, template version, format…)
 * so a search never crosses scopes. Sync or async, so an in-memory index and a FAISS or pgvector one share it.
 */
export interface VectorIndex {
  add(scope: string, vector: readonly number[], key: string): void | Promise<void>;
  /** The best match in `scope`, or undefined when the scope is empty. */
  nearest(
    scope: string,
    vector: readonly number[],
  ): VectorMatch | undefined | Promise<VectorMatch | undefined>;
  remove(scope: string, key: string): void | Promise<void>;
}

export interface MemoryVectorIndexOptions {
  /** Most vectors per scope; the oldest goes first. Default 10 000. */
  maxPerScope?: number;
  /**
   * Most scopes held; the least recently used goes first. Default 1000. A scope is a task, template version
   * and generation settings, so requests with their own `seed` each make one: without a cap they pile up.
   */
  maxScopes?: number;
}

/**
 * A brute-force cosine index in memory (edge-safe): vectors are normalised once when added, so a search is one
 * dot product per entry. Fine to some 10k entries per scope; beyond that, give the cache a FAISS or pgvector
 * index behind the same interface.
 */
export class MemoryVectorIndex implements VectorIndex {
  readonly #scopes = new Map<string, { key: string; vector: Float32Array }[]>();
  readonly #max: number;
  readonly #maxScopes: number;

  constructor(options: MemoryVectorIndexOptions = {}) {
    this.#max = options.maxPerScope ?? 10_000;
    if (!Number.isInteger(this.#max) || this.#max < 1)
      throw new RangeError(`MemoryVectorIndex: maxPerScope must be a positive integer (got ${this.#max})`);
    this.#maxScopes = options.maxScopes ?? 1000;
    if (!Number.isInteger(this.#maxScopes) || this.#maxScopes < 1)
      throw new RangeError(
        `MemoryVectorIndex: maxScopes must be a positive integer (got ${this.#maxScopes})`,
      );
  }

  add(scope: string, vector: readonly number[], key: string): void {
    const normalised = normalise(vector);
    if (!normalised) return;
    const entries = this.#scopes.get(scope) ?? [];
    const existing = entries.findIndex((e) => e.key === key);
    if (existing >= 0) entries.splice(existing, 1);
    entries.push({ key, vector: normalised });
    if (entries.length > this.#max) entries.splice(0, entries.length - this.#max);
    // Re-inserted, so the Map's first key is the least recently used scope.
    this.#scopes.delete(scope);
    this.#scopes.set(scope, entries);
    while (this.#scopes.size > this.#maxScopes)
      this.#scopes.delete(this.#scopes.keys().next().value as string);
  }

  /** Scopes held. */
  scopeCount(): number {
    return this.#scopes.size;
  }

  nearest(scope: string, vector: readonly number[]): VectorMatch | undefined {
    const query = normalise(vector);
    const entries = this.#scopes.get(scope);
    if (!query || !entries) return undefined;
    let best: VectorMatch | undefined;
    for (const entry of entries) {
      if (entry.vector.length !== query.length) continue;
      let dot = 0;
      for (let i = 0; i < query.length; i++) dot += (query[i] as number) * (entry.vector[i] as number);
      if (!best || dot > best.score) best = { key: entry.key, score: dot };
    }
    return best;
  }

  remove(scope: string, key: string): void {
    const entries = this.#scopes.get(scope);
    if (!entries) return;
    const index = entries.findIndex((e) => e.key === key);
    if (index >= 0) entries.splice(index, 1);
    if (entries.length === 0) this.#scopes.delete(scope);
  }

  /** Vectors held in one scope (or in all). */
  size(scope?: string): number {
    if (scope !== undefined) return this.#scopes.get(scope)?.length ?? 0;
    let total = 0;
    for (const entries of this.#scopes.values()) total += entries.length;
    return total;
  }
}

/** Unit length, or undefined for a zero or non-finite vector (which cannot be compared). */
function normalise(vector: readonly number[]): Float32Array | undefined {
  let norm = 0;
  for (const v of vector) norm += v * v;
  if (!(norm > 0) || !Number.isFinite(norm)) return undefined;
  const scale = 1 / Math.sqrt(norm);
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = (vector[i] as number) * scale;
  return out;
}
