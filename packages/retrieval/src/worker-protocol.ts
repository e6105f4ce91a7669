import type { RetrievalErrorCode } from './retrieval-error.js';
import type { Metric } from './types.js';

/**
 * The gate: one Int32 in a SharedArrayBuffer shared by the pool and a worker, saying whether the worker may be
 * inside faiss-node calls. Terminating a worker there aborts the whole process from the addon (a stock binding's
 * number[] calls throw a C++ Napi::Error once the thread is terminating), so the pool terminates a worker only
 * after moving the gate from IDLE to STOPPING itself. The worker moves IDLE → BUSY before handling a message and
 * back to IDLE before replying; finding STOPPING, it does nothing (it is about to be terminated).
 */
export const GATE_IDLE = 0;
export const GATE_BUSY = 1;
export const GATE_STOPPING = 2;

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
      /** The gate (see GATE_IDLE). */
      gate: SharedArrayBuffer;
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
