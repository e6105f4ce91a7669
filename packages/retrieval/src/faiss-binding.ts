import { createRequire } from 'node:module';
import { RetrievalError } from './retrieval-error.js';

export interface FaissIndex {
  ntotal(): number;
  getDimension(): number;
  add(vectors: number[]): void;
  search(queries: number[], k: number): { distances: number[]; labels: number[] };
  removeIds(ids: number[]): number;
  write(path: string): void;
  /** Patched binding only. */
  addTyped?(vectors: Float32Array): void;
  /** Patched binding only. */
  searchTyped?(queries: Float32Array, k: number): { distances: Float32Array; labels: Float64Array };
}

export interface FaissBinding {
  IndexFlatL2: new (dimension: number) => FaissIndex;
  IndexFlatIP: new (dimension: number) => FaissIndex;
  /** Present when the binding was built from our patched source (leak fix, typed search, threshold). */
  llmoPatch?: number;
  setBlasThreshold?(n: number): void;
  getBlasThreshold?(): number;
  setThreads?(n: number): void;
}

/** Loads faiss-node, or throws an error naming the package, the platform and the fix. */
export function loadFaiss(specifier = 'faiss-node'): FaissBinding {
  try {
    return createRequire(import.meta.url)(specifier) as FaissBinding;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new RetrievalError(
      'binding_unavailable',
      `@llmo/retrieval: faiss-node could not be loaded on ${process.platform}-${process.arch} (${reason}). ` +
        'Fix: run `npx llmo-faiss-setup` (pnpm: `pnpm exec llmo-faiss-setup`): it builds the binding against the ' +
        "system's libfaiss (Debian/Ubuntu: apt-get install -y libfaiss-dev libopenblas-dev g++) and says what is missing; " +
        "or let faiss-node's own install script download its prebuilt binary (it needs github.com).",
      { cause },
    );
  }
}
