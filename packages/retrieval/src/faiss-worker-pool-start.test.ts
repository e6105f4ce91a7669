// Workers that cannot start: a binding that does not load, a worker that exits or throws during start, one that
// never becomes ready (start timeout), a replacement that cannot start. Each case must end in a typed
// RetrievalError, never a hang; the generous timeouts below are only a safety net (nothing here asserts timing).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BroadcastChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Document, FaissStore, FaissWorkerPool, RetrievalError } from './index.js';

const D = 8;
const data = Array.from({ length: 20 }, (_, i) =>
  Float32Array.from({ length: D }, (_, j) => Math.sin(i * 13 + j * 7)),
);
const documents: Document[] = data.map((_, i) => ({ pageContent: `document ${i}`, metadata: { i } }));
/** The built worker (the package's test task depends on its build). */
const realWorker = new URL('../dist/worker.js', import.meta.url).href;

let dir: string;
/** Writes a worker script into the temp dir and returns its URL. */
async function script(name: string, source: string): Promise<URL> {
  const path = join(dir, name);
  await writeFile(path, source);
  return pathToFileURL(path);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llmo-retrieval-start-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Expects a RetrievalError with this code whose message contains `text`; returns it. */
async function expectRetrievalError(promise: Promise<unknown>, code: string, text: string) {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (reason: unknown) => reason,
  );
  expect(RetrievalError.isInstance(error)).toBe(true);
  expect(error).toMatchObject({ code });
  expect((error as Error).message).toContain(text);
  return error as RetrievalError;
}

describe('a worker that cannot start', { timeout: 60_000 }, () => {
  it('a binding that cannot load: fromVectors rejects with binding_unavailable and the message the worker wrote', async () => {
    // Not an ELF file: dlopen fails, as with a binding built for another platform or a missing libfaiss.
    const broken = join(dir, 'broken-faiss-node.node');
    await writeFile(broken, 'not a shared object');
    const error = await expectRetrievalError(
      FaissStore.fromVectors(data, documents, { size: 2, faissModuleForTest: broken }),
      'binding_unavailable',
      '@llmo/retrieval: faiss-node could not be loaded',
    );
    expect(error.message).toContain('npx llmo-faiss-setup');
  });

  it('a binding module that does not exist: the same, through FaissWorkerPool.start', async () => {
    await expectRetrievalError(
      FaissWorkerPool.start(
        { dimension: D, metric: 'l2', size: 1, faissModuleForTest: join(dir, 'no-such-module.node') },
        new Float32Array(D),
      ),
      'binding_unavailable',
      'could not be loaded',
    );
  });

  it('a worker that exits immediately: rejects with worker_crashed and the exit code', async () => {
    const workerURLForTest = await script('exits.mjs', 'process.exit(3);\n');
    await expectRetrievalError(
      FaissStore.fromVectors(data, documents, { size: 2, workerURLForTest }),
      'worker_crashed',
      'exited with code 3 before it was ready',
    );
  });

  it('a worker that throws on start: rejects with worker_crashed and the thrown message', async () => {
    const workerURLForTest = await script('throws.mjs', "throw new Error('boom while starting');\n");
    await expectRetrievalError(
      FaissStore.fromVectors(data, documents, { size: 1, workerURLForTest }),
      'worker_crashed',
      'boom while starting',
    );
  });

  it('a worker that fails to start after others are ready: start still rejects (and stops the others)', async () => {
    // The first worker to start is the real one; later ones exit before they are ready.
    const marker = join(dir, 'first-started-a');
    const workerURLForTest = await script('first-only-a.mjs', firstOnlyWorker(marker, 'process.exit(4);'));
    await expectRetrievalError(
      FaissStore.fromVectors(data, documents, { size: 3, workerURLForTest }),
      'worker_crashed',
      'exited with code 4',
    );
  });
});

describe('a replacement that cannot start', { timeout: 60_000 }, () => {
  it('rejects the queued searches and every later request with a typed error; close() still resolves', async () => {
    const marker = join(dir, 'first-started-b');
    const workerURLForTest = await script(
      'first-only-b.mjs',
      firstOnlyWorker(marker, "throw new Error('replacement cannot start');"),
    );
    const store = await FaissStore.fromVectors(data, documents, { size: 1, workerURLForTest });
    // The only worker dies while holding the next batch; its replacement throws on start.
    store.crashWorkerForTest(0, 'next-search');
    const outcomes = await Promise.allSettled(
      data.slice(0, 5).map((q) => store.similaritySearchVectorWithScore(q, 2)),
    );
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason;
      expect(RetrievalError.isInstance(reason)).toBe(true);
      expect(reason).toMatchObject({ code: 'worker_crashed' });
      expect(reason.message).toContain('replacement cannot start');
    }
    await expectRetrievalError(
      store.similaritySearchVectorWithScore(data[0]!, 1),
      'worker_crashed',
      'No search worker',
    );
    await expectRetrievalError(
      store.addVectors([data[0]!], [{ pageContent: 'x', metadata: {} }]),
      'worker_crashed',
      'No search worker',
    );
    await expectRetrievalError(store.delete({ ids: [] }), 'worker_crashed', 'No search worker');
    expect(store.info().workers).toBe(0);
    await store.close();
  });

  it('with other workers still running, the pool carries on with them', async () => {
    const marker = join(dir, 'first-started-c');
    // Two workers start for real; the third start (the replacement) exits.
    const workerURLForTest = await script('first-two-c.mjs', firstOnlyWorker(marker, 'process.exit(5);', 2));
    const store = await FaissStore.fromVectors(data, documents, { size: 2, workerURLForTest });
    store.crashWorkerForTest(0, 'next-search');
    const results = await Promise.all(data.map((q) => store.similaritySearchVectorWithScore(q, 1)));
    expect(results.map((r) => r[0]![0].metadata.i)).toEqual(data.map((_, i) => i));
    // The replacement fails on its own schedule; wait for it rather than for a fixed time.
    await vi.waitFor(() => expect(store.info()).toMatchObject({ workers: 1, crashes: 1 }), {
      timeout: 30_000,
    });
    expect((await store.similaritySearchVectorWithScore(data[3]!, 1))[0]![0].metadata.i).toBe(3);
    await store.close();
  });
});

/** Worker code that never replies and never exits (its port listener keeps it alive). */
const silent =
  "const { parentPort } = await import('node:worker_threads'); parentPort.on('message', () => {});";

/** Counts worker exits (the pool's onWorkerExitForTest seam); `reached(n)` resolves once n workers exited. */
function exits() {
  let count = 0;
  const waiting: { n: number; resolve: () => void }[] = [];
  return {
    onWorkerExitForTest: () => {
      count++;
      for (const w of waiting.filter((w) => count >= w.n)) w.resolve();
    },
    get count() {
      return count;
    },
    reached: (n: number) =>
      new Promise<void>((resolve) => (count >= n ? resolve() : waiting.push({ n, resolve }))),
  };
}

describe('a worker that never becomes ready (startTimeout)', { timeout: 60_000 }, () => {
  it('never replies: FaissWorkerPool.start rejects with worker_start_timeout, and the worker is terminated', async () => {
    const workerURLForTest = await script('silent.mjs', `${silent}\n`);
    const exited = exits();
    const error = await expectRetrievalError(
      FaissWorkerPool.start(
        { dimension: D, metric: 'l2', size: 1, startTimeout: 200, workerURLForTest, ...exited },
        new Float32Array(D),
      ),
      'worker_start_timeout',
      'did not become ready within 200 ms (startTimeout)',
    );
    expect(error.message).toContain('npx llmo-faiss-setup --check');
    await exited.reached(1);
  });

  it('with other workers ready: fromVectors rejects the same way and every worker is stopped', async () => {
    const marker = join(dir, 'first-started-d');
    const workerURLForTest = await script('first-only-d.mjs', firstOnlyWorker(marker, silent));
    const exited = exits();
    await expectRetrievalError(
      FaissStore.fromVectors(data, documents, { size: 3, startTimeout: 300, workerURLForTest, ...exited }),
      'worker_start_timeout',
      'did not become ready',
    );
    await exited.reached(3);
  });

  it('stuck inside a faiss-node call: rejects at the timeout, and terminates the worker only once it is out', async () => {
    // A binding whose loading blocks until the test releases it, as a faiss-node call that takes too long would.
    // Terminating a worker inside a real faiss-node call can abort the whole process, so the pool must wait.
    // Fake timers make the timeout fire while the worker is inside (a real short timeout could fire before the
    // worker got there, on a busy machine).
    const channel = `llmo-retrieval-stuck-${process.pid}`;
    const binding = join(dir, 'stuck-faiss-node.cjs');
    await writeFile(
      binding,
      [
        "const { BroadcastChannel } = require('node:worker_threads');",
        'const signal = new Int32Array(new SharedArrayBuffer(8));',
        `const channel = new BroadcastChannel(${JSON.stringify(channel)});`,
        'channel.postMessage(signal.buffer);',
        'Atomics.wait(signal, 0, 0);', // until released (a terminate would interrupt this: signal[1] stays 0)
        'Atomics.store(signal, 1, 1);',
        'channel.close();',
        `module.exports = require(${JSON.stringify(createRequire(import.meta.url).resolve('faiss-node'))});`,
        '',
      ].join('\n'),
    );
    const inside = new BroadcastChannel(channel);
    const entered = new Promise<Int32Array>((resolve) => {
      inside.onmessage = (event) => resolve(new Int32Array((event as { data: SharedArrayBuffer }).data));
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const exited = exits();
      const starting = FaissWorkerPool.start(
        { dimension: D, metric: 'l2', size: 1, startTimeout: 1_000, faissModuleForTest: binding, ...exited },
        new Float32Array(D),
      );
      const signal = await entered;
      vi.advanceTimersByTime(1_000);
      await expectRetrievalError(starting, 'worker_start_timeout', 'did not become ready within 1000 ms');
      expect(Atomics.load(signal, 1)).toBe(0);
      Atomics.store(signal, 0, 1);
      Atomics.notify(signal, 0);
      await exited.reached(1);
      // It left the blocking call on its own (a terminate inside it would have left this at 0).
      expect(Atomics.load(signal, 1)).toBe(1);
    } finally {
      vi.useRealTimers();
      inside.close();
    }
  });

  it('a replacement that never becomes ready counts as one that could not start', async () => {
    const marker = join(dir, 'first-started-e');
    const workerURLForTest = await script('first-only-e.mjs', firstOnlyWorker(marker, silent));
    // Fake timers: the first (real) worker may take its time starting; the replacement times out when told to.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const exited = exits();
      const store = await FaissStore.fromVectors(data, documents, {
        size: 1,
        startTimeout: 1_000,
        workerURLForTest,
        ...exited,
      });
      store.crashWorkerForTest(0, 'next-search');
      const outcomes = Promise.allSettled(
        data.slice(0, 3).map((q) => store.similaritySearchVectorWithScore(q, 1)),
      );
      // The crashed worker's exit is handled (its replacement spawned, with its start timer) before this resolves.
      await exited.reached(1);
      vi.advanceTimersByTime(1_000);
      for (const outcome of await outcomes) {
        expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'worker_start_timeout' } });
        expect((outcome as PromiseRejectedResult).reason.message).toContain('No search worker is running');
      }
      await store.close();
      await exited.reached(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '1000'])(
    'startTimeout %s is rejected as invalid_argument before any worker starts',
    async (startTimeout) => {
      const exited = exits();
      await expectRetrievalError(
        FaissStore.fromVectors(data, documents, { size: 1, startTimeout: startTimeout as number, ...exited }),
        'invalid_argument',
        'startTimeout must be a number of milliseconds > 0',
      );
      expect(exited.count).toBe(0);
    },
  );

  it.each([
    ['maxBatch', 0],
    ['size', 1.5],
    ['maxQueue', -1],
    ['recycleAfter', 0],
    ['workerNiceness', 20],
    ['blasThreshold', Number.NaN],
  ])(
    '%s %s is rejected as invalid_argument before any worker starts (maxBatch 0 would hang every search)',
    async (name, value) => {
      const exited = exits();
      await expectRetrievalError(
        FaissStore.fromVectors(data, documents, { size: 1, [name]: value, ...exited }),
        'invalid_argument',
        `${name} must be an integer from`,
      );
      expect(exited.count).toBe(0);
    },
  );
});

/**
 * A worker script: the real worker for the first `real` starts, `otherwise` on every later start. Each start
 * claims a numbered marker file with an exclusive create, so concurrent starts cannot both win one.
 */
function firstOnlyWorker(marker: string, otherwise: string, real = 1): string {
  return [
    "import { openSync } from 'node:fs';",
    'let claimed = false;',
    `for (let i = 0; i < ${real} && !claimed; i++) {`,
    `  try { openSync(${JSON.stringify(marker)} + i, 'wx'); claimed = true; } catch {}`,
    '}',
    `if (!claimed) { ${otherwise} }`,
    `await import(${JSON.stringify(realWorker)});`,
    '',
  ].join('\n');
}
