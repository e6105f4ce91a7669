import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { FaissBinding } from './faiss-binding.js';
import { type Document, type Embeddings, FaissStore, RetrievalError } from './index.js';

const faiss = createRequire(import.meta.url)('faiss-node') as FaissBinding;
const D = 32;

/** Deterministic vectors (mulberry32). */
function vectors(count: number, seed: number, dimension = D): Float32Array[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return Array.from({ length: count }, () => new Float32Array(dimension).map(next));
}

const docsFor = (vs: Float32Array[]): Document[] =>
  vs.map((_, i) => ({ pageContent: `document ${i}`, metadata: { i, parity: i % 2 === 0 ? 'even' : 'odd' } }));

/** Embeddings that hash words into a vector: deterministic, similar texts give similar vectors. */
const wordEmbeddings: Embeddings = {
  async embedDocuments(texts) {
    return texts.map((t) => embed(t));
  },
  async embedQuery(text) {
    return embed(text);
  },
};
function embed(text: string): number[] {
  const v = new Array(D).fill(0);
  for (const word of text.toLowerCase().split(/\W+/).filter(Boolean)) {
    let h = 2166136261;
    for (const c of word) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
    v[Math.abs(h) % D] += 1;
  }
  return v;
}

const stores: FaissStore[] = [];
const track = async (store: Promise<FaissStore>) => {
  const s = await store;
  stores.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

describe('results equal faiss', () => {
  for (const [metric, IndexClass] of [
    ['l2', faiss.IndexFlatL2],
    ['inner-product', faiss.IndexFlatIP],
  ] as const) {
    it(`${metric}: same labels and distances as faiss-node's own index, in order`, async () => {
      const data = vectors(300, 1);
      const store = await track(FaissStore.fromVectors(data, docsFor(data), { metric, size: 2 }));
      const reference = new IndexClass(D);
      reference.add(data.flatMap((v) => Array.from(v)));
      const queries = vectors(40, 2);
      const results = await Promise.all(queries.map((q) => store.similaritySearchVectorWithScore(q, 7)));
      queries.forEach((q, qi) => {
        const expected = reference.search(Array.from(q), 7);
        const got = results[qi]!;
        expect(got.map(([doc]) => doc.metadata.i)).toEqual(expected.labels);
        got.forEach(([, score], j) => {
          expect(score).toBeCloseTo(expected.distances[j]!, 3);
        });
        const scores = got.map(([, s]) => s);
        const sorted = [...scores].sort((a, b) => (metric === 'l2' ? a - b : b - a));
        expect(scores).toEqual(sorted);
      });
    });
  }

  it('cosine: unit-normalised inner product, higher is closer, self-match 1', async () => {
    const data = vectors(50, 3);
    const store = await track(FaissStore.fromVectors(data, docsFor(data), { metric: 'cosine', size: 1 }));
    const scaled = data[4]!.map((x) => x * 7);
    const [[doc, score]] = (await store.similaritySearchVectorWithScore(scaled, 1)) as [[Document, number]];
    expect(doc.metadata.i).toBe(4);
    expect(score).toBeCloseTo(1, 5);
    expect(store.info().scoreOrder).toBe('higher-is-closer');
  });

  it('states the score order per metric', async () => {
    const data = vectors(5, 4);
    const store = await track(FaissStore.fromVectors(data, docsFor(data), { size: 1 }));
    expect(store.info()).toMatchObject({
      metric: 'l2',
      scoreOrder: 'lower-is-closer',
      documents: 5,
      dimension: D,
      patchedBinding: true,
    });
  });
});

describe('text search, filters, MMR', () => {
  const texts = [
    'the cat sat on the mat',
    'a cat and another cat',
    'dogs chase cats in the park',
    'stock markets fell today',
    'bond yields rose sharply',
    'the central bank raised rates',
  ];
  const metadatas = texts.map((_, i) => ({ topic: i < 3 ? 'animals' : 'finance', i }));

  it('similaritySearch embeds the query and returns the nearest documents', async () => {
    const store = await track(FaissStore.fromTexts(texts, metadatas, wordEmbeddings, { size: 1 }));
    const [first] = await store.similaritySearch('the cat sat on a mat', 1);
    expect(first?.pageContent).toBe('the cat sat on the mat');
  });

  it('filters by metadata equality and by predicate, widening to find enough matches', async () => {
    const data = vectors(200, 5);
    const store = await track(FaissStore.fromVectors(data, docsFor(data), { size: 1 }));
    const byEquality = await store.similaritySearchVectorWithScore(data[0]!, 5, { parity: 'odd' });
    expect(byEquality).toHaveLength(5);
    for (const [doc] of byEquality) expect(doc.metadata.parity).toBe('odd');
    // Only documents 197–199 pass: far outside the first fetch, so the search must widen to the whole index.
    const rare = await store.similaritySearchVectorWithScore(
      data[0]!,
      3,
      (doc) => (doc.metadata.i as number) >= 197,
    );
    expect(rare.map(([doc]) => doc.metadata.i).sort()).toEqual([197, 198, 199]);
  });

  it('MMR trades relevance for diversity', async () => {
    const base = vectors(1, 6)[0]!;
    const near = (seed: number) => base.map((x, j) => x + 0.001 * Math.sin(seed + j));
    const data = [near(1), near(2), near(3), ...vectors(20, 7)];
    const documents = data.map((_, i) => ({
      pageContent: i < 3 ? `duplicate ${i}` : `other ${i}`,
      metadata: { i },
    }));
    const embeddings: Embeddings = {
      embedDocuments: async () => [],
      embedQuery: async () => Array.from(base),
    };
    const store = await track(
      FaissStore.fromVectors(data, documents, { size: 1, embeddings, metric: 'cosine' }),
    );
    const plain = await store.similaritySearch('anything', 3);
    expect(plain.map((d) => d.metadata.i).sort()).toEqual([0, 1, 2]);
    const diverse = await store.maxMarginalRelevanceSearch('anything', { k: 3, fetchK: 10, lambdaMult: 0.3 });
    expect(diverse.filter((d) => (d.metadata.i as number) < 3)).toHaveLength(1);
    const relevant = await store.maxMarginalRelevanceSearch('anything', { k: 3, fetchK: 10, lambdaMult: 1 });
    expect(relevant.map((d) => d.metadata.i).sort()).toEqual([0, 1, 2]);
  });
});

describe('validation (the seed rules)', () => {
  it.each([
    [(s: FaissStore) => s.similaritySearch('ok', 0), /k must be an integer ≥ 1/],
    [(s: FaissStore) => s.similaritySearch('ok', 1.5), /k must be an integer ≥ 1/],
    [(s: FaissStore) => s.similaritySearch('', 1), /query must not be empty or blank/],
    [(s: FaissStore) => s.similaritySearch('   ', 1), /query must not be empty or blank/],
    [(s: FaissStore) => s.similaritySearch(42 as never, 1), /query must be a string, got number/],
    [
      (s: FaissStore) => s.maxMarginalRelevanceSearch('ok', { k: 5, fetchK: 3 }),
      /fetchK \(3\) must be ≥ k \(5\)/,
    ],
    [
      (s: FaissStore) => s.maxMarginalRelevanceSearch('ok', { lambdaMult: 1.5 }),
      /lambdaMult must be a number in \[0, 1\]/,
    ],
    [
      (s: FaissStore) => s.maxMarginalRelevanceSearch('ok', { lambdaMult: -0.1 }),
      /lambdaMult must be a number in \[0, 1\]/,
    ],
    [
      (s: FaissStore) => s.similaritySearchVectorWithScore([1, 2, 3], 1),
      /query vector has 3 dimensions; the store has 32/,
    ],
    [
      (s: FaissStore) => s.similaritySearchVectorWithScore(new Array(D).fill(Number.NaN), 1),
      /query vector\[0\] is not a finite number/,
    ],
    [
      (s: FaissStore) => s.similaritySearch('ok', 1, 'lang=ru' as never),
      /filter must be an object of metadata equalities or a predicate/,
    ],
  ])('%#: rejects with a clear message', async (call, message) => {
    const store = await track(FaissStore.fromTexts(['a b', 'c d'], undefined, wordEmbeddings, { size: 1 }));
    const error = await call(store).catch((e: unknown) => e);
    expect(RetrievalError.isInstance(error)).toBe(true);
    expect((error as RetrievalError).code).toBe('invalid_argument');
    expect((error as Error).message).toMatch(message);
  });

  it('rejects mismatched vectors and documents, and duplicate ids', async () => {
    await expect(FaissStore.fromVectors([[1, 2]], [])).rejects.toThrow(/one vector per document/);
    const store = await track(
      FaissStore.fromVectors(
        [
          [1, 0],
          [0, 1],
        ],
        [
          { pageContent: 'a', metadata: {}, id: 'a' },
          { pageContent: 'b', metadata: {} },
        ],
        { size: 1 },
      ),
    );
    await expect(
      store.addVectors([[1, 1]], [{ pageContent: 'again', metadata: {}, id: 'a' }]),
    ).rejects.toThrow(/id "a" is already in the store/);
    await expect(store.delete({ ids: ['missing'] })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('updates', () => {
  it('adds and deletes documents everywhere', async () => {
    const data = vectors(20, 8);
    const store = await track(FaissStore.fromVectors(data, docsFor(data), { size: 2 }));
    const extra = vectors(3, 9);
    const ids = await store.addVectors(
      extra,
      extra.map((_, i) => ({ pageContent: `extra ${i}`, metadata: { extra: i } })),
    );
    expect(store.info().documents).toBe(23);
    const [[found, distance]] = (await store.similaritySearchVectorWithScore(extra[1]!, 1)) as [
      [Document, number],
    ];
    expect(found).toMatchObject({ pageContent: 'extra 1', id: ids[1] });
    expect(distance).toBeCloseTo(0, 4);
    await store.delete({ ids: [ids[1]!] });
    const [[after]] = (await store.similaritySearchVectorWithScore(extra[1]!, 1)) as [[Document, number]];
    expect(after.id).not.toBe(ids[1]);
    expect(store.info().documents).toBe(22);
  });

  it('no query sees a half-applied update: every hit matches its document while adds and deletes run', async () => {
    const data = vectors(100, 10);
    const store = await track(
      FaissStore.fromVectors(
        data,
        data.map((_, i) => ({ pageContent: `d${i}`, metadata: { key: `base-${i}` }, id: `base-${i}` })),
        { size: 2 },
      ),
    );
    /** Documents present now, and (never shrinking) every vector a document ever had. */
    const vectorOf = new Map(data.map((v, i) => [`base-${i}`, v]));
    const everVector = new Map(vectorOf);
    const added = vectors(60, 11);
    let stop = false;
    let checked = 0;
    const searcher = async () => {
      while (!stop) {
        const keys = [...vectorOf.keys()];
        const key = keys[Math.floor(Math.random() * keys.length)]!;
        const query = vectorOf.get(key)!;
        const [[doc, distance]] = (await store.similaritySearchVectorWithScore(query, 1)) as [
          [Document, number],
        ];
        // The label→document mapping must be the one of the index the search ran on: the hit's own vector
        // is the query when the document is there; otherwise, the hit's distance must match its vector.
        const hitVector = everVector.get(doc.id!);
        if (!hitVector) throw new Error(`a hit for unknown document ${doc.id}`);
        let d2 = 0;
        for (let j = 0; j < D; j++) d2 += (hitVector[j]! - query[j]!) ** 2;
        expect(distance).toBeCloseTo(d2, 3);
        checked++;
      }
    };
    const searchers = Array.from({ length: 20 }, searcher);
    for (let round = 0; round < 15; round++) {
      const batch = added.slice(round * 4, round * 4 + 4);
      const ids = batch.map((_, i) => `added-${round * 4 + i}`);
      for (const [i, id] of ids.entries()) everVector.set(id, batch[i]!);
      await store.addVectors(
        batch,
        ids.map((id) => ({ pageContent: id, metadata: {}, id })),
      );
      ids.forEach((id, i) => {
        everVector.set(id, batch[i]!);
        vectorOf.set(id, batch[i]!);
      });
      const victim = `base-${round * 3}`;
      vectorOf.delete(victim);
      await store.delete({ ids: [victim] });
    }
    stop = true;
    await Promise.all(searchers);
    expect(checked).toBeGreaterThan(50);
    expect(store.info().documents).toBe(100 + 60 - 15);
  });
});

describe('the pool', () => {
  it('replaces a crashed worker and retries its queries once: nothing is lost, nothing hangs', async () => {
    const data = vectors(500, 12);
    const store = await track(FaissStore.fromVectors(data, docsFor(data), { size: 2 }));
    // Both workers die while holding their next batch.
    store.crashWorkerForTest(0, 'next-search');
    store.crashWorkerForTest(1, 'next-search');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const queries = vectors(300, 13);
    const reference = new faiss.IndexFlatL2(D);
    reference.add(data.flatMap((v) => Array.from(v)));
    const results = await Promise.all(queries.map((q) => store.similaritySearchVectorWithScore(q, 3)));
    for (const [i, r] of results.entries()) {
      expect(r.map(([doc]) => doc.metadata.i)).toEqual(reference.search(Array.from(queries[i]!), 3).labels);
    }
    expect(store.info()).toMatchObject({ crashes: 2, workers: 2 });
    expect(store.info().retried).toBeGreaterThan(0);
  });

  it('a query that crashes its worker twice fails clearly instead of hanging', async () => {
    const data = vectors(50, 23);
    const store = await track(FaissStore.fromVectors(data, docsFor(data), { size: 1 }));
    store.crashWorkerForTest(0, 'every-search');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(store.similaritySearchVectorWithScore(data[0]!, 1)).rejects.toMatchObject({
      code: 'worker_crashed',
    });
    expect(store.info().crashes).toBe(2);
  });

  it('recycles workers after recycleAfter queries without dropping any (how a stock binding leak is contained)', async () => {
    const data = vectors(100, 14);
    const store = await track(FaissStore.fromVectors(data, docsFor(data), { size: 1, recycleAfter: 50 }));
    const results = await Promise.all(
      vectors(400, 15).map((q) => store.similaritySearchVectorWithScore(q, 2)),
    );
    expect(results.every((r) => r.length === 2)).toBe(true);
    expect(store.info().recycled).toBeGreaterThan(0);
  });

  it('backpressure: a full queue rejects with queue_full', async () => {
    const data = vectors(100, 16);
    const store = await track(
      FaissStore.fromVectors(data, docsFor(data), { size: 1, maxQueue: 5, maxBatch: 1 }),
    );
    const outcomes = await Promise.allSettled(
      vectors(50, 17).map((q) => store.similaritySearchVectorWithScore(q, 1)),
    );
    const rejected = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected[0]!.reason).toMatchObject({ code: 'queue_full' });
    expect(outcomes.some((o) => o.status === 'fulfilled')).toBe(true);
  });

  it('honours an AbortSignal per query, before and while it waits', async () => {
    const data = vectors(100, 18);
    const store = await track(FaissStore.fromVectors(data, docsFor(data), { size: 1, maxBatch: 1 }));
    const aborted = new AbortController();
    aborted.abort();
    await expect(
      store.similaritySearchVectorWithScore(data[0]!, 1, undefined, aborted.signal),
    ).rejects.toMatchObject({ code: 'aborted' });
    const controller = new AbortController();
    const queued = Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        store.similaritySearchVectorWithScore(
          data[i]!,
          1,
          undefined,
          i === 29 ? controller.signal : undefined,
        ),
      ),
    );
    controller.abort();
    const outcomes = await queued;
    expect(outcomes[29]).toMatchObject({ status: 'rejected', reason: { code: 'aborted' } });
    expect(outcomes.slice(0, 29).every((o) => o.status === 'fulfilled')).toBe(true);
  });

  it('close() finishes what is being searched, rejects what waits, is idempotent, and supports await using', async () => {
    const data = vectors(200, 19);
    const store = await FaissStore.fromVectors(data, docsFor(data), { size: 1, maxBatch: 4 });
    const searches = Promise.allSettled(
      vectors(40, 20).map((q) => store.similaritySearchVectorWithScore(q, 1)),
    );
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([store.close(), store.close()]);
    const outcomes = await searches;
    expect(outcomes.some((o) => o.status === 'fulfilled')).toBe(true);
    const rejected = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
    expect(rejected.length).toBeGreaterThan(0);
    for (const r of rejected) expect(r.reason).toMatchObject({ code: 'closed' });
    await expect(store.similaritySearchVectorWithScore(data[0]!, 1)).rejects.toMatchObject({
      code: 'closed',
    });
    {
      await using disposable = await FaissStore.fromVectors(data, docsFor(data), { size: 1 });
      expect(disposable.info().workers).toBe(1);
    }
  });
});

describe('save and load', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('round-trips documents, vectors and ids, and writes an index faiss itself can read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'llmo-faiss-'));
    dirs.push(dir);
    const data = vectors(50, 21);
    const store = await track(FaissStore.fromVectors(data, docsFor(data), { size: 1, metric: 'cosine' }));
    await store.delete({ ids: [(await store.similaritySearchVectorWithScore(data[3]!, 1))[0]![0].id!] });
    await store.save(dir);
    expect((await readdir(dir)).sort()).toEqual(['docstore.json', 'index.faiss', 'vectors.f32']);
    const loaded = await track(FaissStore.load(dir, wordEmbeddings, { size: 1 }));
    expect(loaded.info()).toMatchObject({ documents: 49, metric: 'cosine' });
    const queries = vectors(10, 22);
    for (const q of queries) {
      const a = await store.similaritySearchVectorWithScore(q, 4);
      const b = await loaded.similaritySearchVectorWithScore(q, 4);
      expect(b.map(([doc]) => doc.id)).toEqual(a.map(([doc]) => doc.id));
    }
    // Read by faiss itself, in a separate process: faiss-node's static read() keeps one constructor
    // reference per process, which worker threads that loaded the addon overwrite (a fatal error in-process).
    const faissPath = createRequire(import.meta.url).resolve('faiss-node');
    const read = spawnSync(
      process.execPath,
      [
        '-e',
        `const f = require(${JSON.stringify(faissPath)}); console.log(f.IndexFlatIP.read(${JSON.stringify(join(dir, 'index.faiss'))}).ntotal())`,
      ],
      { encoding: 'utf8' },
    );
    expect(read.stdout.trim()).toBe('49');
  });

  it('a missing directory is a clear io error', async () => {
    await expect(FaissStore.load('/nonexistent/llmo', undefined)).rejects.toMatchObject({ code: 'io' });
  });
});
