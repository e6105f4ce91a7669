import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RetrievalError } from './retrieval-error.js';
import type { Metric } from './types.js';
import {
  GATE_BUSY,
  GATE_IDLE,
  GATE_STOPPING,
  type WorkerReply,
  type WorkerRequest,
} from './worker-protocol.js';

/** setTimeout's limit: a longer delay fires at once. */
const MAX_TIMEOUT = 2_147_483_647;

/**
 * Rejects pool options that would silently misbehave (`maxBatch: 0` would leave every search waiting for
 * ever; a fractional size or a negative queue length means nothing), naming the option and what it takes.
 */
function checkPoolOptions(options: FaissPoolOptions): void {
  const integer = (name: keyof FaissPoolOptions, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const value = options[name];
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      throw new RetrievalError(
        'invalid_argument',
        `${name} must be an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}, got ${String(value)}`,
      );
  };
  integer('size', 1, 256);
  integer('maxBatch', 1);
  integer('maxQueue', 1);
  integer('recycleAfter', 1);
  integer('blasThreshold', 0);
  integer('workerNiceness', 0, 19);
}

export interface FaissPoolOptions {
  dimension: number;
  metric: Metric;
  /** Worker threads, each with its own copy of the index. Default: the machine's available parallelism. */
  size?: number;
  /** Most queries a worker searches in one faiss call. Default 256. */
  maxBatch?: number;
  /** Queries waiting beyond this are rejected with `queue_full` (backpressure). Default 10,000. */
  maxQueue?: number;
  /**
   * Replace a worker after it served this many queries, without dropping any. Default: never with the patched
   * binding; 20,000 with a stock faiss-node 0.5.1, whose search leaks ~1.5 KB per 384-dim query.
   */
  recycleAfter?: number;
  /** faiss's BLAS threshold (patched binding). Default 1: a lone query takes the fast BLAS path too. */
  blasThreshold?: number;
  /**
   * Niceness of the worker threads (Linux). Default 10: workers use every idle cycle, but yield the core to
   * the event loop's thread when it needs it. 0 leaves priorities alone.
   */
  workerNiceness?: number;
  /**
   * Milliseconds a worker may take to start (load faiss-node and build its copy of the index) before the pool
   * gives up on it. Default 30,000. Past it, `start` (`FaissStore.fromVectors` / `load`) rejects with a
   * `RetrievalError` of code `worker_start_timeout`; a replacement worker that times out counts as one that
   * could not start. The stuck worker is terminated as soon as it is outside faiss-node (terminating it inside a
   * faiss-node call would abort the process); until then it does not keep the process alive. Raise it for very
   * large indexes on slow machines. A number > 0 and ≤ 2,147,483,647.
   */
  startTimeout?: number;
  /** @internal Test seam: the module the workers load as faiss-node (a specifier or a path). */
  faissModuleForTest?: string;
  /** @internal Test seam: the script the workers run instead of this package's `worker.js`. */
  workerURLForTest?: URL;
  /** @internal Test seam: called when a worker thread has exited (stopped, crashed or failed to start). */
  onWorkerExitForTest?: (code: number) => void;
}

/**
 * One query's hits, best first: `count` entries from `offset` in `distances` and `labels` (faiss labels =
 * positions). The arrays are the whole batch's, shared by its queries (no per-query copies or views).
 */
export interface SearchHits {
  distances: Float32Array;
  labels: Float64Array;
  offset: number;
  count: number;
}

interface PendingQuery {
  query: Float32Array;
  k: number;
  resolve: (hits: SearchHits) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  settled: boolean;
  retried: boolean;
}

interface Batch {
  id: number;
  queries: PendingQuery[];
}

interface Slot {
  worker: Worker;
  /** Shared with the worker: whether it may be inside faiss-node calls (see GATE_IDLE). */
  gate: Int32Array;
  ready: boolean;
  batch: Batch | undefined;
  served: number;
  /** Takes no new batches: being replaced (recycling) or stopped. */
  retiring: boolean;
  /** Set once `stop` began: the worker takes no new requests of any kind. */
  stopping: Promise<void> | undefined;
  /** Out of the pool: crashed, failed to start, or stopped. */
  dead: boolean;
  /** The thread has exited. */
  exited: boolean;
  acks: Map<number, { resolve: () => void; reject: (error: unknown) => void }>;
  /** Settles once the worker is ready or has failed to start. */
  started: Promise<unknown>;
  /** Woken on each message, error and exit of the worker (what `stop` waits for). */
  waiters: (() => void)[];
}

/** `./worker.js` next to the built module; from the sources (tests), the built copy in `dist/`. */
function workerURL(): URL {
  const beside = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const built = new URL('../dist/worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new RetrievalError(
    'binding_unavailable',
    '@llmo/retrieval: worker.js not found; build the package (pnpm build) first',
  );
}

/**
 * A pool of worker threads, each holding a copy of the index, that keeps the event loop free while searching.
 * Concurrent queries that queue while workers are busy are searched together: a worker that becomes free takes
 * everything queued (up to `maxBatch`) into one faiss call and splits the results back. Adds and deletes are
 * applied to every worker behind a barrier, so no query sees a half-applied update. A crashed worker is
 * replaced and its queries retried once on the fresh one.
 */
export class FaissWorkerPool {
  readonly dimension: number;
  readonly metric: Metric;
  private readonly maxBatch: number;
  private readonly maxQueue: number;
  private readonly size: number;
  private readonly blasThreshold: number;
  private readonly niceness: number;
  private readonly startTimeout: number;
  private recycleAfter: number | undefined;
  private readonly url: URL;
  private readonly faissModule: string | undefined;
  private readonly onWorkerExit: ((code: number) => void) | undefined;
  private slots: Slot[] = [];
  /** Stops in progress of workers that were ready (a recycled one is out of `slots` while it finishes). */
  private stops = new Set<Promise<void>>();
  private queue: PendingQuery[] = [];
  private paused = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];
  private updates: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private pumpScheduled = false;
  private armReplacementsForTest = false;
  /** Set when no worker is left and a replacement could not start: every request rejects with it. */
  private failure: RetrievalError | undefined;
  /** The vectors every worker holds, in label order: the source for new and replacement workers. */
  private master: Float32Array;
  private count = 0;
  patched = false;
  readonly stats = { served: 0, batches: 0, crashes: 0, recycled: 0, retried: 0 };

  private constructor(options: FaissPoolOptions, vectors: Float32Array) {
    checkPoolOptions(options);
    this.dimension = options.dimension;
    this.metric = options.metric;
    this.maxBatch = options.maxBatch ?? 256;
    this.maxQueue = options.maxQueue ?? 10_000;
    this.size = Math.max(1, options.size ?? availableParallelism());
    this.blasThreshold = options.blasThreshold ?? 1;
    this.niceness = options.workerNiceness ?? 10;
    this.startTimeout = options.startTimeout ?? 30_000;
    if (
      typeof this.startTimeout !== 'number' ||
      !(this.startTimeout > 0 && this.startTimeout <= MAX_TIMEOUT)
    ) {
      throw new RetrievalError(
        'invalid_argument',
        `startTimeout must be a number of milliseconds > 0 and ≤ ${MAX_TIMEOUT}, got ${String(options.startTimeout)}`,
      );
    }
    this.recycleAfter = options.recycleAfter;
    this.url = options.workerURLForTest ?? workerURL();
    this.faissModule = options.faissModuleForTest;
    this.onWorkerExit = options.onWorkerExitForTest;
    this.master = vectors.slice();
    this.count = vectors.length / options.dimension;
  }

  /** Starts `size` workers, each with a copy of `vectors` (n × dimension floats, in label order). */
  static async start(options: FaissPoolOptions, vectors: Float32Array): Promise<FaissWorkerPool> {
    // The stock binding reads these when OpenMP/OpenBLAS load; set them only when the user has not.
    process.env.OMP_NUM_THREADS ??= '1';
    process.env.OPENBLAS_NUM_THREADS ??= '1';
    const pool = new FaissWorkerPool(options, vectors);
    const starts = await Promise.allSettled(Array.from({ length: pool.size }, () => pool.spawn()));
    const failed = starts.find((start) => start.status === 'rejected');
    if (failed) {
      // One worker could not start, so the pool does not either: stop the others (a running worker keeps the
      // process alive). Only now that each has finished starting, and through stop(): terminating a worker while
      // it is inside a faiss-node call (loading, adding its vectors) aborts the whole process from the addon.
      pool.closed = true;
      await Promise.all(pool.slots.map((slot) => pool.stop(slot)));
      throw failed.reason;
    }
    pool.recycleAfter ??= pool.patched ? undefined : 20_000;
    return pool;
  }

  /** Number of vectors in the index. */
  get ntotal(): number {
    return this.count;
  }

  /** A copy of vector `label` (for MMR and saving). */
  vector(label: number): Float32Array {
    return this.master.subarray(label * this.dimension, (label + 1) * this.dimension);
  }

  /** All vectors, in label order (a view: do not keep it across updates). */
  vectors(): Float32Array {
    return this.master.subarray(0, this.count * this.dimension);
  }

  /** Searches one query vector; resolves with its k nearest labels and distances. */
  search(query: Float32Array, k: number, signal?: AbortSignal): Promise<SearchHits> {
    if (this.closed)
      return Promise.reject(new RetrievalError('closed', 'The store is closed; create or load a new one.'));
    if (this.failure) return Promise.reject(this.failure);
    if (signal?.aborted)
      return Promise.reject(
        new RetrievalError('aborted', 'The search was aborted.', { cause: signal.reason }),
      );
    if (this.queue.length >= this.maxQueue) {
      return Promise.reject(
        new RetrievalError(
          'queue_full',
          `The search queue is full (${this.maxQueue} queries waiting); retry later, or raise maxQueue.`,
        ),
      );
    }
    return new Promise<SearchHits>((resolve, reject) => {
      const pending: PendingQuery = {
        query,
        k,
        resolve,
        reject,
        signal,
        onAbort: undefined,
        settled: false,
        retried: false,
      };
      if (signal) {
        pending.onAbort = () =>
          this.settle(
            pending,
            new RetrievalError('aborted', 'The search was aborted.', { cause: signal.reason }),
          );
        signal.addEventListener('abort', pending.onAbort, { once: true });
      }
      this.queue.push(pending);
      this.schedulePump();
    });
  }

  /** Appends vectors to every worker; `commit` runs once all have them, before any query sees them. */
  add(vectors: Float32Array, commit: () => void): Promise<void> {
    return this.barrier(
      () => {
        const needed = this.count * this.dimension + vectors.length;
        if (needed > this.master.length) {
          const grown = new Float32Array(Math.max(needed, this.master.length * 2));
          grown.set(this.master.subarray(0, this.count * this.dimension));
          this.master = grown;
        }
        this.master.set(vectors, this.count * this.dimension);
        this.count += vectors.length / this.dimension;
      },
      (id) => ({ type: 'add', id, vectors: vectors.slice() }),
      commit,
    );
  }

  /** Removes labels from every worker (later labels shift down); `commit` runs before any query sees it. */
  remove(labels: number[], commit: () => void): Promise<void> {
    const sorted = [...new Set(labels)].sort((a, b) => a - b);
    return this.barrier(
      () => {
        const d = this.dimension;
        let write = 0;
        let r = 0;
        for (let label = 0; label < this.count; label++) {
          if (r < sorted.length && sorted[r] === label) {
            r++;
            continue;
          }
          if (write !== label) this.master.copyWithin(write * d, label * d, (label + 1) * d);
          write++;
        }
        this.count = write;
      },
      (id) => ({ type: 'remove', id, labels: sorted }),
      commit,
    );
  }

  /** Writes the index in faiss's own format (readable by Python FAISS and LangChain). */
  async write(path: string): Promise<void> {
    const slot = this.slots.find((s) => !s.dead && !s.retiring);
    if (!slot) throw this.failure ?? new RetrievalError('closed', 'No worker is running.');
    const vectors = this.vectors().slice();
    await this.request(slot, (id) => ({ type: 'write', id, path, vectors }));
  }

  info() {
    return {
      workers: this.slots.filter((s) => !s.dead && !s.retiring).length,
      patchedBinding: this.patched,
      queued: this.queue.length,
      inFlight: this.slots.reduce((sum, s) => sum + (s.batch?.queries.length ?? 0), 0),
      ...this.stats,
    };
  }

  /**
   * Stops the pool. Queued queries are rejected with `closed`; batches already being searched finish and
   * resolve; then the workers are terminated. Safe to call more than once.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      for (const pending of this.queue.splice(0)) {
        this.settle(pending, new RetrievalError('closed', 'The store was closed before this search ran.'));
      }
      await this.waitIdle();
      // A worker still starting is inside faiss-node calls (loading, adding vectors); terminating it there
      // aborts the process from the addon, so let it finish first.
      await Promise.all(this.slots.map((slot) => slot.started));
      for (const slot of this.slots) void this.stop(slot);
      // Also the workers being recycled: once close() resolves, no worker that was ready is left running. (One
      // that timed out starting may stay inside faiss-node for ever: it is unref'd, and not waited for.)
      await Promise.all(this.stops);
      this.slots = [];
    })();
    return this.closing;
  }

  /**
   * @internal Test hook: makes worker `index` crash as a native fault would, now or during its next search;
   * `every-search` also arms every replacement worker.
   */
  crashWorkerForTest(index = 0, when: 'now' | 'next-search' | 'every-search' = 'now'): void {
    if (when === 'every-search') this.armReplacementsForTest = true;
    const request: WorkerRequest = { type: 'crash', when: when === 'now' ? 'now' : 'next-search' };
    this.slots.filter((s) => !s.dead)[index]?.worker.postMessage(request);
  }

  private spawn(): Promise<Slot> {
    const worker = new Worker(this.url);
    const gate = new SharedArrayBuffer(4);
    const slot: Slot = {
      worker,
      gate: new Int32Array(gate),
      ready: false,
      batch: undefined,
      served: 0,
      retiring: false,
      stopping: undefined,
      dead: false,
      exited: false,
      acks: new Map(),
      started: Promise.resolve(),
      waiters: [],
    };
    this.slots.push(slot);
    const vectors = this.master.slice(0, this.count * this.dimension);
    const started = new Promise<Slot>((resolve, reject) => {
      // A worker that fails before it is ready (the binding does not load, the script throws or exits) is not
      // respawned: whatever stopped it would stop its replacement too, and respawning would loop.
      let failed = false;
      const failStart = (error: RetrievalError) => {
        if (slot.ready || failed) return;
        failed = true;
        clearTimeout(timer);
        slot.dead = true;
        this.slots = this.slots.filter((s) => s !== slot);
        // Updates sent to it are in the master vectors already, which is what any later worker starts from.
        for (const ack of slot.acks.values()) ack.resolve();
        slot.acks.clear();
        reject(error);
        void this.stop(slot);
      };
      // A worker that neither becomes ready nor fails (a hung load, a stuck faiss call, a machine out of memory)
      // would otherwise hold start() — and fromVectors / load — for ever.
      const timer = setTimeout(() => {
        // It may be inside faiss-node, where it cannot be terminated (see stop): let it not hold the process.
        worker.unref();
        failStart(
          new RetrievalError(
            'worker_start_timeout',
            `A search worker did not become ready within ${this.startTimeout} ms (startTimeout): it was loading ` +
              `faiss-node and building its copy of the index (${this.count} vectors of ${this.dimension} ` +
              'dimensions). Check that faiss-node loads on this machine (`npx llmo-faiss-setup --check`) and that ' +
              'the machine has free memory and CPU; for a very large index, raise startTimeout. The worker is ' +
              'terminated once it is outside faiss-node.',
          ),
        );
      }, this.startTimeout);
      worker.on('message', (reply: WorkerReply) => {
        this.wake(slot);
        if (failed) return;
        if (reply.type === 'ready') {
          clearTimeout(timer);
          slot.ready = true;
          this.patched = reply.patched;
          resolve(slot);
          this.pump();
        } else if (!slot.ready) {
          // Before 'ready' a worker only answers init, so this is init's error: the worker's message says what
          // failed and how to fix it (for a binding that does not load: the package, the platform, the fix).
          failStart(
            reply.type === 'error'
              ? new RetrievalError(reply.code ?? 'worker_crashed', reply.message)
              : new RetrievalError(
                  'worker_crashed',
                  `A search worker sent '${reply.type}' before it was ready.`,
                ),
          );
        } else {
          this.onReply(slot, reply);
        }
      });
      worker.on('error', (error) => {
        this.wake(slot);
        if (!slot.ready)
          failStart(
            new RetrievalError('worker_crashed', `A search worker failed to start: ${error.message}`, {
              cause: error,
            }),
          );
        else this.onCrash(slot, error);
      });
      worker.on('exit', (code) => {
        slot.exited = true;
        this.wake(slot);
        if (!slot.ready)
          failStart(
            new RetrievalError(
              'worker_crashed',
              `A search worker exited with code ${code} before it was ready.`,
            ),
          );
        // The pool marks a worker dead before terminating it, so only an exit it did not ask for gets here, also
        // from a worker being replaced or stopped (its requests in flight must not wait for ever).
        else if (!slot.dead) this.onCrash(slot, new Error(`worker exited with code ${code}`));
        this.onWorkerExit?.(code);
      });
      worker.postMessage(
        {
          type: 'init',
          dimension: this.dimension,
          metric: this.metric,
          vectors,
          threads: 1,
          blasThreshold: this.blasThreshold,
          niceness: this.niceness,
          faissModule: this.faissModule,
          gate,
        } satisfies WorkerRequest,
        [vectors.buffer as ArrayBuffer],
      );
      if (this.armReplacementsForTest)
        worker.postMessage({ type: 'crash', when: 'next-search' } satisfies WorkerRequest);
    });
    slot.started = started.catch(() => {});
    return started;
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    if (reply.type === 'result') {
      const batch = slot.batch;
      slot.batch = undefined;
      if (!batch || batch.id !== reply.id) return;
      this.deliver(batch.queries, reply.k, reply.distances, reply.labels);
      slot.served += batch.queries.length;
      this.stats.served += batch.queries.length;
      if (this.recycleAfter !== undefined && slot.served >= this.recycleAfter && !this.closed)
        this.recycle(slot);
      this.afterWork();
    } else if (reply.type === 'ack') {
      slot.acks.get(reply.id)?.resolve();
      slot.acks.delete(reply.id);
    } else if (reply.type === 'error') {
      if (reply.id !== undefined && slot.acks.has(reply.id)) {
        slot.acks.get(reply.id)!.reject(new RetrievalError('io', reply.message));
        slot.acks.delete(reply.id);
      } else if (slot.batch && reply.id === slot.batch.id) {
        const batch = slot.batch;
        slot.batch = undefined;
        for (const pending of batch.queries)
          this.settle(pending, new RetrievalError('invalid_argument', reply.message));
        this.afterWork();
      } else if (reply.id === undefined) {
        // An error outside any request leaves the worker in an unknown state: replace it like a crashed one.
        this.onCrash(slot, new Error(reply.message));
      }
    }
  }

  /**
   * Resolves a whole batch at once. (Slicing delivery across event-loop turns was tried: the first slice's
   * follow-up queries left as a small batch while the rest waited a full round for a worker, which raised
   * tail latency; the main thread's cost per result is only a few µs, so one delivery is short anyway.)
   */
  private deliver(queries: PendingQuery[], k: number, distances: Float32Array, labels: Float64Array): void {
    for (let i = 0; i < queries.length; i++) {
      const pending = queries[i]!;
      this.settle(pending, undefined, { distances, labels, offset: i * k, count: Math.min(pending.k, k) });
    }
  }

  private onCrash(slot: Slot, error: Error): void {
    if (slot.dead) return;
    // A worker being recycled has its replacement on the way already (see recycle). (Read before stop() below.)
    const replaced = slot.retiring;
    slot.dead = true;
    this.stats.crashes++;
    this.slots = this.slots.filter((s) => s !== slot);
    // The replacement is built from the master vectors, which already hold every applied update.
    for (const ack of slot.acks.values()) ack.resolve();
    slot.acks.clear();
    const batch = slot.batch;
    slot.batch = undefined;
    // It exited, or is ending with an uncaught error, or (an error outside any request) is idle: stop() checks.
    void this.stop(slot);
    if (batch) {
      const retry: PendingQuery[] = [];
      for (const pending of batch.queries) {
        if (pending.settled) continue;
        if (pending.retried) {
          this.settle(
            pending,
            new RetrievalError(
              'worker_crashed',
              `The search worker crashed twice on this query (${error.message}).`,
              { cause: error },
            ),
          );
        } else {
          pending.retried = true;
          this.stats.retried++;
          retry.push(pending);
        }
      }
      if (this.closed) {
        // close() has rejected the queue already: nothing would search these.
        const closing = new RetrievalError(
          'worker_crashed',
          `The search worker crashed while the store was closing (${error.message}).`,
          { cause: error },
        );
        for (const pending of retry) this.settle(pending, closing);
      } else this.queue.unshift(...retry);
    }
    if (!this.closed && !replaced)
      this.spawn().catch((startError: unknown) => this.onReplacementFailed(startError));
    this.afterWork();
  }

  /**
   * A replacement worker could not start. It is not retried (see spawn). The pool carries on with the workers
   * it still has; when none is left, every queued and later request rejects with this error.
   */
  private onReplacementFailed(error: unknown): void {
    if (this.closed) return;
    if (this.slots.length > 0) {
      this.schedulePump();
      return;
    }
    const cause = RetrievalError.isInstance(error)
      ? error
      : new RetrievalError('worker_crashed', String(error), { cause: error });
    this.failure ??= new RetrievalError(
      cause.code,
      `No search worker is running: a worker crashed and its replacement could not start (${cause.message})`,
      { cause },
    );
    for (const pending of this.queue.splice(0)) this.settle(pending, this.failure);
    this.afterWork();
  }

  /**
   * Replaces a worker that served enough queries (stock binding leak), without dropping or repeating a request.
   * The old worker takes no new batch but still takes updates while its replacement starts (which starts from
   * the master vectors, and gets every update sent after that). Once the replacement is ready, the old one is
   * stopped: no new requests, terminated after answering those in flight and outside faiss-node (see stop).
   */
  private recycle(slot: Slot): void {
    slot.retiring = true;
    this.stats.recycled++;
    void this.spawn().then(
      () => this.stop(slot),
      (error: unknown) => {
        if (this.closed) return;
        // The old worker carries on; or, when it crashed meanwhile (no replacement of its own), as a crash whose
        // replacement could not start.
        if (slot.dead) this.onReplacementFailed(error);
        else if (!slot.stopping) {
          slot.retiring = false;
          this.schedulePump();
        }
      },
    );
  }

  /**
   * Stops a worker without dropping a request and without terminating it inside a faiss-node call. It takes no
   * new requests; once every request it was sent has been answered (or it crashed), the pool closes its gate
   * (IDLE → STOPPING), after which the worker starts no faiss-node call, and terminates it. While the worker is
   * inside one (BUSY), the pool waits for its next message or its exit: the worker leaves the gate before every
   * reply. A worker stuck in faiss-node for ever is never terminated (the start timeout unrefs it). Idempotent.
   */
  private stop(slot: Slot): Promise<void> {
    if (slot.stopping) return slot.stopping;
    slot.stopping = (async () => {
      slot.retiring = true;
      while (!slot.exited && (slot.batch || slot.acks.size > 0)) await this.nextEvent(slot);
      slot.dead = true;
      this.slots = this.slots.filter((s) => s !== slot);
      while (!slot.exited && Atomics.compareExchange(slot.gate, 0, GATE_IDLE, GATE_STOPPING) === GATE_BUSY) {
        await this.nextEvent(slot);
      }
      await slot.worker.terminate();
    })();
    if (slot.ready) {
      const stopping = slot.stopping;
      this.stops.add(stopping);
      const done = () => this.stops.delete(stopping);
      stopping.then(done, done);
    }
    return slot.stopping;
  }

  /** Resolves on the worker's next message, error or exit. */
  private nextEvent(slot: Slot): Promise<void> {
    return new Promise((resolve) => slot.waiters.push(resolve));
  }

  private wake(slot: Slot): void {
    for (const resolve of slot.waiters.splice(0)) resolve();
  }

  private settle(pending: PendingQuery, error: unknown, hits?: SearchHits): void {
    if (pending.settled) return;
    pending.settled = true;
    if (pending.onAbort) pending.signal?.removeEventListener('abort', pending.onAbort);
    if (error !== undefined) pending.reject(error);
    else pending.resolve(hits!);
  }

  private afterWork(): void {
    if (!this.slots.some((s) => s.batch)) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
    this.schedulePump();
  }

  /**
   * Dispatches on the next turn of the event loop rather than at once: every query submitted in this turn
   * (including those from callers whose previous search just resolved) joins one batch, instead of the first
   * one leaving alone and the rest waiting for the next free worker.
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /**
   * Hands queued queries to free workers. The queue is divided evenly among all idle workers (each share up
   * to maxBatch) so they search in parallel; a lone idle worker takes everything. Each share is one faiss call.
   */
  private pump(): void {
    if (this.paused || this.closed) return;
    while (this.queue.length > 0) {
      const idle = this.slots.filter((s) => s.ready && !s.batch && !s.retiring && !s.dead);
      if (idle.length === 0) return;
      const share = Math.min(this.maxBatch, Math.ceil(this.queue.length / idle.length));
      for (const slot of idle) {
        const queries: PendingQuery[] = [];
        while (queries.length < share && this.queue.length > 0) {
          const pending = this.queue.shift()!;
          if (!pending.settled) queries.push(pending);
        }
        if (queries.length === 0) return;
        this.dispatch(slot, queries);
      }
    }
  }

  private dispatch(slot: Slot, queries: PendingQuery[]): void {
    const d = this.dimension;
    // One fresh buffer per batch, transferred: posting views would copy their whole backing buffers.
    const buffer = new Float32Array(queries.length * d);
    let k = 0;
    for (let i = 0; i < queries.length; i++) {
      buffer.set(queries[i]!.query, i * d);
      if (queries[i]!.k > k) k = queries[i]!.k;
    }
    const batch: Batch = { id: this.nextId++, queries };
    slot.batch = batch;
    this.stats.batches++;
    slot.worker.postMessage({ type: 'search', id: batch.id, queries: buffer, k } satisfies WorkerRequest, [
      buffer.buffer,
    ]);
  }

  private waitIdle(): Promise<void> {
    if (!this.slots.some((s) => s.batch)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private request(slot: Slot, build: (id: number) => WorkerRequest): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      slot.acks.set(id, { resolve, reject });
      slot.worker.postMessage(build(id));
    });
  }

  /** Applies an update behind a barrier: no batch in flight, every worker acknowledges, then `commit`. */
  private barrier(
    apply: () => void,
    message: (id: number) => WorkerRequest,
    commit: () => void,
  ): Promise<void> {
    const run = async () => {
      if (this.closed) throw new RetrievalError('closed', 'The store is closed; create or load a new one.');
      if (this.failure) throw this.failure;
      this.paused = true;
      try {
        await this.waitIdle();
        if (this.closed) throw new RetrievalError('closed', 'The store was closed before this update ran.');
        apply();
        await Promise.all(
          this.slots.filter((s) => !s.dead && !s.stopping).map((slot) => this.request(slot, message)),
        );
        commit();
      } finally {
        this.paused = false;
        this.pump();
      }
    };
    const next = this.updates.then(run, run);
    this.updates = next.catch(() => {});
    return next;
  }
}
