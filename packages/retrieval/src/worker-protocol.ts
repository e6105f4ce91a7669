import type { RetrievalErrorCode } from './retrieval-error.js';
import type { Metric } from './types.js';

/** Messages from the pool to a worker. */
export type WorkerRequest =
  | {
      type: 'init';
      dimension: number;
      metric: Metric;
      vectors: Float32Array;
      threads: number;
      blasThreshold?: number;
      /** Scheduling niceness for the worker thread (0 = unchanged). */
      niceness: number;
      /** Test seam: the module to load instead of `faiss-node`. */
      faissModule?: string;
    }
  | { type: 'search'; id: number; queries: Float32Array; k: number }
  | { type: 'add'; id: number; vectors: Float32Array }
  | { type: 'remove'; id: number; labels: number[] }
  | { type: 'write'; id: number; path: string; vectors: Float32Array }
  | { type: 'crash'; when: 'now' | 'next-search' };

/** Messages from a worker to the pool. */
export type WorkerReply =
  | { type: 'ready'; patched: boolean; ntotal: number }
  | { type: 'result'; id: number; k: number; distances: Float32Array; labels: Float64Array }
  | { type: 'ack'; id: number; ntotal: number }
  /** `code` when the worker threw a RetrievalError (e.g. `binding_unavailable` from init). */
  | { type: 'error'; id: number | undefined; message: string; code?: RetrievalErrorCode };
