// Recycling (a worker replaced after `recycleAfter` queries: how a stock faiss-node 0.5.1's per-query leak is
// contained) while searches, adds and deletes race across the recycle boundary. The workers of the first test
// load a stock-like binding (the patched one with its typed methods hidden), so they take the number[] path a
// stock binary takes: terminating a worker inside one of those calls aborts the whole process, which fails this
// file outright. The second pins down one case with a protocol-level worker. Counts are bounded; nothing here
// asserts timing (the timeouts are only a safety net: a recycle that drops an update leaves its add pending).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BroadcastChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Document, FaissStore, FaissWorkerPool } from './index.js';

const D = 16;

/** Deterministic vectors (mulberry32). */
function vectors(count: number, seed: number): Float32Array[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return Array.from({ length: count }, () => new Float32Array(D).map(next));
}

let dir: string;
/**
 * A binding that behaves like a stock faiss-node 0.5.1: no typed methods, no llmoPatch, number[] in and out.
 * (The instances' methods come from a non-writable prototype property, so they are shadowed with defineProperty.)
 */
let stockBinding: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llmo-retrieval-recycle-'));
  stockBinding = join(dir, 'stock-faiss-node.cjs');
  const real = createRequire(import.meta.url).resolve('faiss-node');
  await writeFile(
    stockBinding,
    [
      `const real = require(${JSON.stringify(real)});`,
      'const pause = new Int32Array(new SharedArrayBuffer(4));',
      'const stock = (Index) => function (dimension) {',
      '  const index = new Index(dimension);',
      '  const add = index.add.bind(index);',
      '  let loaded = false;',
      // Each update (not the initial load) holds its worker 300 ms first, as a large update would: a window wide
      // enough that a replacement usually becomes ready while the worker it replaces is still applying one. (A
      // recycle that terminated the old worker then left that update unanswered and the add never resolved.)
      '  const own = (name, value) => Object.defineProperty(index, name, { value });',
      '  own("add", (vectors) => { if (loaded) Atomics.wait(pause, 0, 0, 300); loaded = true; add(vectors); });',
      '  own("addTyped", undefined);',
      '  own("searchTyped", undefined);',
      '  return index;',
      '};',
      'module.exports = { IndexFlatL2: stock(real.IndexFlatL2), IndexFlatIP: stock(real.IndexFlatIP) };',
      '',
    ].join('\n'),
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('recycling under concurrent searches, adds and deletes', { timeout: 180_000 }, () => {
  it('every search, add and delete completes with correct results; nothing is dropped or applied twice', async () => {
    const base = vectors(300, 1);
    const store = await FaissStore.fromVectors(
      base,
      base.map((_, i) => ({ pageContent: `base ${i}`, metadata: {}, id: `base-${i}` })),
      { size: 2, recycleAfter: 40, faissModuleForTest: stockBinding },
    );
    try {
      expect(store.info().patchedBinding).toBe(false);
      // Documents 0–199 are searched for; 200–299 are deleted one per round (never searched for), so every
      // later label shifts in every worker: a worker that missed or repeated an update answers with wrong ids.
      /** Committed documents' vectors, by id: what searches may ask for. */
      const known: [string, Float32Array][] = base.slice(0, 200).map((v, i) => [`base-${i}`, v]);
      const failures: string[] = [];
      let searched = 0;

      /** The nearest document must be the query's own (distance ~0), and the next one another, farther one. */
      const check = async (id: string, vector: Float32Array) => {
        const hits = await store.similaritySearchVectorWithScore(vector, 2);
        const [first, second] = hits;
        if (!first || !second) failures.push(`${id}: ${hits.length} hits`);
        else if (first[0].id !== id) failures.push(`${id}: nearest was ${first[0].id}`);
        else if (first[1] > 1e-3) failures.push(`${id}: self-distance ${first[1]}`);
        else if (second[0].id === id || second[1] <= 1e-3)
          failures.push(`${id}: a second hit at distance ${second[1]} (${second[0].id}): a duplicate`);
        searched++;
      };

      let seed = 7;
      const searcher = async () => {
        for (let i = 0; i < 60; i++) {
          seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
          const [id, vector] = known[seed % known.length]!;
          await check(id, vector);
        }
      };

      const rounds = 12;
      const perAdd = 500;
      const added = vectors(rounds * perAdd, 2);
      const adder = async () => {
        for (let round = 0; round < rounds; round++) {
          const batch = added.slice(round * perAdd, (round + 1) * perAdd);
          const ids = batch.map((_, i) => `added-${round}-${i}`);
          const documents: Document[] = ids.map((id) => ({ pageContent: id, metadata: {}, id }));
          expect(await store.addVectors(batch, documents)).toEqual(ids);
          await store.delete({ ids: [`base-${200 + round}`] });
          // Searches started from now on may ask for these.
          for (const [i, id] of ids.entries()) if (i % 25 === 0) known.push([id, batch[i]!]);
        }
      };

      await Promise.all([adder(), ...Array.from({ length: 8 }, searcher)]);
      expect(failures).toEqual([]);
      expect(searched).toBe(8 * 60);

      // After everything settled: a sample of the added documents, each found where it should be, exactly once.
      await Promise.all(
        added.map((v, i) =>
          i % 97 === 0 ? check(`added-${Math.floor(i / perAdd)}-${i % perAdd}`, v) : undefined,
        ),
      );
      expect(failures).toEqual([]);
      const info = store.info();
      expect(info.documents).toBe(300 + rounds * perAdd - rounds);
      expect(info.recycled).toBeGreaterThanOrEqual(5);
      expect(info.crashes).toBe(0);
    } finally {
      await store.close();
    }
  });
});

describe('recycling waits for what the old worker was sent', { timeout: 60_000 }, () => {
  it('an update sent but not yet taken up is answered before the old worker is stopped', async () => {
    // A protocol-level worker that leaves the gate alone (as a worker looks to the pool before it takes up a
    // message) and holds every update's ack until the test releases it. The old worker holds one when its
    // replacement becomes ready; stopping it then would leave the update unanswered and the add pending.
    const name = `llmo-retrieval-recycle-${process.pid}`;
    const script = join(dir, 'holding-worker.mjs');
    await writeFile(
      script,
      [
        "import { BroadcastChannel, parentPort, threadId } from 'node:worker_threads';",
        `const channel = new BroadcastChannel(${JSON.stringify(name)});`,
        'const held = [];',
        'let released = false;',
        'const ack = (id) => parentPort.postMessage({ type: "ack", id, ntotal: 0 });',
        'channel.onmessage = (event) => {',
        '  if (event.data !== "release") return;',
        '  released = true;',
        '  for (const id of held.splice(0)) ack(id);',
        '};',
        'parentPort.on("message", (m) => {',
        '  if (m.type === "init") {',
        '    parentPort.postMessage({ type: "ready", patched: true, ntotal: 0 });',
        '    channel.postMessage({ ready: threadId });',
        '  } else if (m.type === "search") {',
        '    const empty = { k: 0, distances: new Float32Array(0), labels: new Float64Array(0) };',
        '    parentPort.postMessage({ type: "result", id: m.id, ...empty });',
        '  } else if (m.type !== "crash") {',
        '    if (released) ack(m.id);',
        '    else held.push(m.id);',
        '  }',
        '});',
        '',
      ].join('\n'),
    );
    const channel = new BroadcastChannel(name);
    let ready = 0;
    let onReady: () => void = () => {};
    channel.onmessage = () => {
      ready++;
      onReady();
    };
    const second = new Promise<void>((resolve) => {
      onReady = () => ready >= 2 && resolve();
    });
    let exited = 0;
    const pool = await FaissWorkerPool.start(
      {
        dimension: 4,
        metric: 'l2',
        size: 1,
        recycleAfter: 1,
        workerURLForTest: pathToFileURL(script),
        onWorkerExitForTest: () => exited++,
      },
      new Float32Array(4),
    );
    try {
      // The search's result recycles the only worker; the add, queued behind it, goes to the old worker and
      // to its replacement (which is already starting).
      const searched = pool.search(new Float32Array(4), 1);
      // Dispatch runs on the next turn (setImmediate, in order): after this one, the search is with the worker.
      await new Promise((resolve) => setImmediate(resolve));
      expect(pool.info().inFlight).toBe(1);
      let committed = false;
      const added = pool.add(new Float32Array(4), () => {
        committed = true;
      });
      await searched;
      await second;
      // Give the pool every chance to stop the old worker now (it must not).
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(committed).toBe(false);
      channel.postMessage('release');
      await added;
      expect(committed).toBe(true);
      expect(pool.info()).toMatchObject({ recycled: 1, crashes: 0, workers: 1 });
    } finally {
      await pool.close();
      channel.close();
    }
    expect(exited).toBe(2);
  });
});
