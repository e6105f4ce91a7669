import { RetrievalError } from './retrieval-error.js';
import type { Document, Filter } from './types.js';

const invalid = (message: string) => new RetrievalError('invalid_argument', message);

/** k must be an integer ≥ 1 (the seed's rule). */
export function checkK(k: unknown, name = 'k'): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1)
    throw invalid(`${name} must be an integer ≥ 1, got ${JSON.stringify(k)}`);
  return k;
}

/** A query must be a non-empty, non-blank string. */
export function checkQuery(query: unknown): string {
  if (typeof query !== 'string')
    throw invalid(`query must be a string, got ${query === null ? 'null' : typeof query}`);
  if (query.trim() === '') throw invalid('query must not be empty or blank');
  return query;
}

export function checkFilter(filter: unknown): Filter | undefined {
  if (filter === undefined || filter === null) return undefined;
  if (typeof filter === 'function' || (typeof filter === 'object' && !Array.isArray(filter)))
    return filter as Filter;
  throw invalid('filter must be an object of metadata equalities or a predicate (document) => boolean');
}

/** MMR options with the seed's rules: fetchK ≥ k, lambdaMult in [0, 1]. */
export function checkMmr(options: { k?: unknown; fetchK?: unknown; lambdaMult?: unknown }): {
  k: number;
  fetchK: number;
  lambdaMult: number;
} {
  const k = checkK(options.k ?? 4);
  const fetchK = checkK(options.fetchK ?? Math.max(20, k), 'fetchK');
  if (fetchK < k) throw invalid(`fetchK (${fetchK}) must be ≥ k (${k})`);
  const lambdaMult = options.lambdaMult ?? 0.5;
  if (typeof lambdaMult !== 'number' || Number.isNaN(lambdaMult) || lambdaMult < 0 || lambdaMult > 1) {
    throw invalid(`lambdaMult must be a number in [0, 1], got ${JSON.stringify(lambdaMult)}`);
  }
  return { k, fetchK, lambdaMult };
}

/** A vector of the right dimension and finite numbers, as a Float32Array. */
export function toVector(vector: unknown, dimension: number, name = 'vector'): Float32Array {
  if (!(vector instanceof Float32Array) && !Array.isArray(vector))
    throw invalid(`${name} must be an array of numbers`);
  if (vector.length !== dimension)
    throw invalid(`${name} has ${vector.length} dimensions; the store has ${dimension}`);
  const out = vector instanceof Float32Array ? vector : Float32Array.from(vector as number[]);
  for (let i = 0; i < out.length; i++)
    if (!Number.isFinite(out[i])) throw invalid(`${name}[${i}] is not a finite number`);
  return out;
}

export function matches(filter: Filter, metadata: Record<string, unknown>, document: Document): boolean {
  if (typeof filter === 'function') return filter(document);
  for (const [key, value] of Object.entries(filter)) if (metadata[key] !== value) return false;
  return true;
}
