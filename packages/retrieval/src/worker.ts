// A search worker: owns one faiss index (a copy of the store's vectors) and answers batched searches.
// Messages are defined in worker-protocol.ts; results travel as transferred typed arrays.
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { type FaissBinding, type FaissIndex, loadFaiss } from './faiss-binding.js';
import { RetrievalError } from './retrieval-error.js';
import { GATE_BUSY, GATE_IDLE, type WorkerReply, type WorkerRequest } from './worker-protocol.js';

if (!parentPort) throw new Error('@llmo/retrieval: worker.js must run in a worker thread');
const port = parentPort;

let faiss: FaissBinding;
let index: FaissIndex;
let dimension = 0;
/**
 * L2 is searched through inner product on augmented vectors: x' = [2x, −‖x‖²], q' = [q, 1], so
 * q'·x' = 2q·x − ‖x‖² and ‖q − x‖² = ‖q‖² − q'·x'. Same ranking and distances as IndexFlatL2, but faiss
 * 1.7.3's IndexFlatL2 recomputes every stored vector's norm on each BLAS call (~3× slower for small batches).
 */
let augmented = false;
/** Test hook state: exit while holding the next batch, as a native crash mid-search would. */
let crashOnNextSearch = false;

/**
 * Lowers this thread's scheduling priority (Linux: the thread id from /proc/thread-self, then setpriority on
 * it). Searches still use every idle cycle, but when the event loop's thread wants a core it gets it first:
 * that is what keeps event-loop delay low while both cores search. Elsewhere this is a no-op.
 */
function lowerPriority(niceness: number): void {
  if (niceness === 0) return;
  try {
    const tid = Number(readFileSync('/proc/thread-self/stat', 'utf8').split(' ', 1)[0]);
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, niceness);
  } catch {
    // not Linux, or not permitted: keep the default priority
  }
}

function post(reply: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(reply, transfer);
}

function toNumbers(vectors: Float32Array): number[] {
  return Array.from(vectors);
}

/** Stored rows: [2x, −‖x‖²]. */
function augmentRows(vectors: Float32Array): Float32Array {
  const n = vectors.length / dimension;
  const out = new Float32Array(n * (dimension + 1));
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let j = 0; j < dimension; j++) {
      const v = vectors[i * dimension + j]!;
      out[i * (dimension + 1) + j] = 2 * v;
      norm += v * v;
    }
    out[i * (dimension + 1) + dimension] = -norm;
  }
  return out;
}

/** Reused between batches: allocating a fresh buffer per batch fed the young-generation collector. */
let queryRows = new Float32Array(0);
let queryNorms = new Float64Array(0);

/** Queries: [q, 1], and their squared norms (to turn scores back into distances). */
function augmentQueries(queries: Float32Array): { rows: Float32Array; norms: Float64Array } {
  const n = queries.length / dimension;
  const width = dimension + 1;
  if (queryRows.length < n * width) {
    queryRows = new Float32Array(n * width * 2);
    queryNorms = new Float64Array(n * 2);
  }
  const rows = queryRows.subarray(0, n * width);
  const norms = queryNorms.subarray(0, n);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let j = 0; j < dimension; j++) {
      const v = queries[i * dimension + j]!;
      rows[i * width + j] = v;
      norm += v * v;
    }
    rows[i * width + dimension] = 1;
    norms[i] = norm;
  }
  return { rows, norms };
}

function add(vectors: Float32Array): void {
  if (vectors.length === 0) return;
  const rows = augmented ? augmentRows(vectors) : vectors;
  if (index.addTyped) index.addTyped(rows);
  else index.add(toNumbers(rows));
}

function rawSearch(queries: Float32Array, k: number): { distances: Float32Array; labels: Float64Array } {
  if (index.searchTyped) return index.searchTyped(queries, k);
  // Stock binding: number[] in and out (slower, and it leaks; the pool recycles such workers).
  const result = index.search(toNumbers(queries), k);
  return { distances: Float32Array.from(result.distances), labels: Float64Array.from(result.labels) };
}

function search(queries: Float32Array, k: number): { distances: Float32Array; labels: Float64Array } {
  if (!augmented) return rawSearch(queries, k);
  const { rows, norms } = augmentQueries(queries);
  const result = rawSearch(rows, k);
  for (let i = 0; i < norms.length; i++) {
    for (let j = i * k; j < (i + 1) * k; j++) {
      // Clamp the rounding error of a self-match to 0: a squared distance is never negative.
      if (result.labels[j]! >= 0) result.distances[j] = Math.max(0, norms[i]! - result.distances[j]!);
    }
  }
  return result;
}

/** The gate shared with the pool (see worker-protocol.ts); set by init. */
let gate: Int32Array | undefined;

type Reply = { reply: WorkerReply; transfer?: ArrayBuffer[] };

/** Handles one request (every faiss-node call happens here, inside the gate). */
function handle(message: Exclude<WorkerRequest, { type: 'crash' }>): Reply {
  switch (message.type) {
    case 'init': {
      lowerPriority(message.niceness);
      faiss = loadFaiss(message.faissModule);
      // One thread team per worker: N workers with OpenMP/BLAS teams each would fight for the cores.
      faiss.setThreads?.(message.threads);
      if (message.blasThreshold !== undefined) faiss.setBlasThreshold?.(message.blasThreshold);
      dimension = message.dimension;
      augmented = message.metric === 'l2';
      index = new faiss.IndexFlatIP(augmented ? dimension + 1 : dimension);
      add(message.vectors);
      return { reply: { type: 'ready', patched: faiss.llmoPatch === 1, ntotal: index.ntotal() } };
    }
    case 'search': {
      if (crashOnNextSearch) process.exit(70);
      const k = Math.min(message.k, index.ntotal());
      if (k === 0) {
        return {
          reply: {
            type: 'result',
            id: message.id,
            k: 0,
            distances: new Float32Array(0),
            labels: new Float64Array(0),
          },
        };
      }
      const { distances, labels } = search(message.queries, k);
      return {
        reply: { type: 'result', id: message.id, k, distances, labels },
        transfer: [distances.buffer as ArrayBuffer, labels.buffer as ArrayBuffer],
      };
    }
    case 'add':
      add(message.vectors);
      return { reply: { type: 'ack', id: message.id, ntotal: index.ntotal() } };
    case 'remove': {
      // IndexFlat.removeIds compacts: later vectors move down, exactly as the store compacts its arrays.
      if (message.labels.length > 0) index.removeIds(message.labels);
      return { reply: { type: 'ack', id: message.id, ntotal: index.ntotal() } };
    }
    case 'write': {
      // Written as the plain index the metric means (IndexFlatL2 / IndexFlatIP), readable by other FAISS tools.
      const plain = augmented ? new faiss.IndexFlatL2(dimension) : new faiss.IndexFlatIP(dimension);
      if (message.vectors.length > 0) {
        if (plain.addTyped) plain.addTyped(message.vectors);
        else plain.add(toNumbers(message.vectors));
      }
      plain.write(message.path);
      return { reply: { type: 'ack', id: message.id, ntotal: plain.ntotal() } };
    }
  }
}

port.on('message', (message: WorkerRequest) => {
  if (message.type === 'crash') {
    // Test hook: die the way a native crash would look to the pool, now or while holding the next batch.
    if (message.when === 'next-search') crashOnNextSearch = true;
    else
      setImmediate(() => {
        throw new Error('simulated worker crash');
      });
    return;
  }
  if (message.type === 'init') gate = new Int32Array(message.gate);
  // The pool is stopping this worker: no faiss-node call may start, and no reply is expected.
  if (gate && Atomics.compareExchange(gate, 0, GATE_IDLE, GATE_BUSY) !== GATE_IDLE) return;
  let out: Reply;
  try {
    out = handle(message);
  } catch (error) {
    out = {
      reply: {
        type: 'error',
        id: 'id' in message ? message.id : undefined,
        message: error instanceof Error ? error.message : String(error),
        code: RetrievalError.isInstance(error) ? error.code : undefined,
      },
    };
  } finally {
    // Out of faiss-node before replying: once the pool has the reply, it may stop this worker at once.
    if (gate) Atomics.store(gate, 0, GATE_IDLE);
  }
  post(out.reply, out.transfer);
});
