import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FaissPoolOptions, FaissWorkerPool, type SearchHits } from './faiss-worker-pool.js';
import { maximalMarginalRelevance } from './maximal-marginal-relevance.js';
import { RetrievalError } from './retrieval-error.js';
import {
  type Document,
  type Embeddings,
  type Filter,
  type Metric,
  type ScoreOrder,
  scoreOrderOf,
} from './types.js';
import { checkFilter, checkK, checkMmr, checkQuery, matches, toVector } from './validate-arguments.js';

export interface FaissStoreOptions extends Omit<FaissPoolOptions, 'dimension' | 'metric'> {
  /** Default `l2` (lower scores are closer); `inner-product` and `cosine` score higher-is-closer. */
  metric?: Metric;
}

export interface MmrOptions {
  /** Results to return. Default 4. */
  k?: number;
  /** Candidates fetched before re-ranking for diversity; ≥ k. Default max(20, k). */
  fetchK?: number;
  /** 1 = pure relevance, 0 = pure diversity. Default 0.5. */
  lambdaMult?: number;
  filter?: Filter;
  signal?: AbortSignal;
}

/** A document, its score and its faiss label. */
type Hit = [Document, number, number];

const FORMAT = 'llmo-faiss-store';
const FORMAT_VERSION = 1;

function normalise(vector: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
  norm = Math.sqrt(norm);
  if (norm === 0) return vector;
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i]! / norm;
  return out;
}

/**
 * A FAISS vector store whose searches run in a worker pool, off the event loop. Documents live in the main
 * thread (position i = faiss label i); vectors live in every worker.
 *
 * @example
 * await using store = await FaissStore.fromDocuments(docs, embeddings, { metric: 'cosine' });
 * const hits = await store.similaritySearchWithScore('What is FAISS?', 5, { lang: 'en' });
 */
export class FaissStore {
  private documents: Document[] = [];
  private positions = new Map<string, number>();

  private constructor(
    private readonly pool: FaissWorkerPool,
    private readonly embeddings: Embeddings | undefined,
    readonly metric: Metric,
  ) {}

  /** Embeds the documents and builds a store. */
  static async fromDocuments(
    documents: Document[],
    embeddings: Embeddings,
    options: FaissStoreOptions = {},
  ): Promise<FaissStore> {
    if (!Array.isArray(documents) || documents.length === 0) {
      throw new RetrievalError(
        'invalid_argument',
        'fromDocuments needs at least one document (the dimension comes from its embedding)',
      );
    }
    const vectors = await embeddings.embedDocuments(documents.map((d) => d.pageContent));
    return FaissStore.fromVectors(vectors, documents, { ...options, embeddings });
  }

  /** Builds a store from texts and optional metadata. */
  static fromTexts(
    texts: string[],
    metadatas: Record<string, unknown>[] | Record<string, unknown> | undefined,
    embeddings: Embeddings,
    options: FaissStoreOptions = {},
  ): Promise<FaissStore> {
    const documents = texts.map((pageContent, i) => ({
      pageContent,
      metadata: { ...(Array.isArray(metadatas) ? metadatas[i] : metadatas) },
    }));
    return FaissStore.fromDocuments(documents, embeddings, options);
  }

  /** Builds a store from precomputed vectors (one per document). `embeddings` is needed only for text queries. */
  static async fromVectors(
    vectors: readonly (readonly number[] | Float32Array)[],
    documents: Document[],
    options: FaissStoreOptions & { embeddings?: Embeddings } = {},
  ): Promise<FaissStore> {
    if (vectors.length === 0 || vectors.length !== documents.length) {
      throw new RetrievalError(
        'invalid_argument',
        `fromVectors needs one vector per document (got ${vectors.length} vectors, ${documents.length} documents)`,
      );
    }
    const dimension = vectors[0]!.length;
    if (!Number.isInteger(dimension) || dimension < 1)
      throw new RetrievalError('invalid_argument', 'vectors must have at least one dimension');
    const metric = options.metric ?? 'l2';
    const flat = FaissStore.flatten(vectors, dimension, metric);
    const pool = await FaissWorkerPool.start({ ...options, dimension, metric }, flat);
    const store = new FaissStore(pool, options.embeddings, metric);
    store.append(documents);
    return store;
  }

  /** Loads a store saved with `save()`. */
  static async load(
    directory: string,
    embeddings: Embeddings | undefined,
    options: FaissStoreOptions = {},
  ): Promise<FaissStore> {
    let raw: string;
    let vectorBytes: Buffer;
    try {
      raw = await readFile(join(directory, 'docstore.json'), 'utf8');
      vectorBytes = await readFile(join(directory, 'vectors.f32'));
    } catch (cause) {
      throw new RetrievalError(
        'io',
        `No saved store in ${directory} (expected docstore.json and vectors.f32): ${(cause as Error).message}`,
        { cause },
      );
    }
    const saved = JSON.parse(raw) as {
      format: string;
      version: number;
      metric: Metric;
      dimension: number;
      documents: Document[];
    };
    if (saved.format !== FORMAT || saved.version !== FORMAT_VERSION) {
      throw new RetrievalError('io', `${directory}/docstore.json is not a ${FORMAT} v${FORMAT_VERSION} file`);
    }
    const vectors = new Float32Array(
      vectorBytes.buffer.slice(vectorBytes.byteOffset, vectorBytes.byteOffset + vectorBytes.byteLength),
    );
    if (vectors.length !== saved.documents.length * saved.dimension) {
      throw new RetrievalError(
        'io',
        `${directory}: vectors.f32 holds ${vectors.length / saved.dimension} vectors for ${saved.documents.length} documents`,
      );
    }
    const pool = await FaissWorkerPool.start(
      { ...options, dimension: saved.dimension, metric: saved.metric },
      vectors,
    );
    const store = new FaissStore(pool, embeddings, saved.metric);
    store.append(saved.documents);
    return store;
  }

  /** Validates vectors and packs them, prepared for the metric, into one Float32Array (label order). */
  private static flatten(
    vectors: readonly (readonly number[] | Float32Array)[],
    dimension: number,
    metric: Metric,
  ): Float32Array {
    const flat = new Float32Array(vectors.length * dimension);
    for (const [i, v] of vectors.entries()) {
      flat.set(FaissStore.prepare(toVector(v, dimension, `vectors[${i}]`), metric), i * dimension);
    }
    return flat;
  }

  /** Vectors stored for cosine are unit length, so inner product is cosine similarity. */
  private static prepare(vector: Float32Array, metric: Metric): Float32Array {
    return metric === 'cosine' ? normalise(vector) : vector;
  }

  private append(documents: Document[]): string[] {
    return documents.map((document) => {
      const id = document.id ?? randomUUID();
      if (this.positions.has(id))
        throw new RetrievalError('invalid_argument', `A document with id "${id}" is already in the store`);
      this.positions.set(id, this.documents.length);
      this.documents.push({ pageContent: document.pageContent, metadata: { ...document.metadata }, id });
      return id;
    });
  }

  /** Embeds and adds documents; resolves with their ids once every worker has them. */
  async addDocuments(documents: Document[]): Promise<string[]> {
    const embeddings = this.requireEmbeddings('addDocuments');
    return this.addVectors(await embeddings.embedDocuments(documents.map((d) => d.pageContent)), documents);
  }

  /** Adds precomputed vectors with their documents. No query sees them before every worker has them. */
  async addVectors(
    vectors: readonly (readonly number[] | Float32Array)[],
    documents: Document[],
  ): Promise<string[]> {
    if (vectors.length !== documents.length) {
      throw new RetrievalError(
        'invalid_argument',
        `addVectors needs one vector per document (got ${vectors.length} and ${documents.length})`,
      );
    }
    const d = this.pool.dimension;
    const ids = documents.map((doc) => doc.id ?? randomUUID());
    const seen = new Set<string>();
    for (const id of ids) {
      if (this.positions.has(id) || seen.has(id))
        throw new RetrievalError('invalid_argument', `A document with id "${id}" is already in the store`);
      seen.add(id);
    }
    const flat = FaissStore.flatten(vectors, d, this.metric);
    await this.pool.add(flat, () => this.append(documents.map((doc, i) => ({ ...doc, id: ids[i] }))));
    return ids;
  }

  /** Deletes documents by id; unknown ids are an error (nothing is deleted then). */
  async delete(options: { ids: string[] }): Promise<void> {
    const labels = options.ids.map((id) => {
      const position = this.positions.get(id);
      if (position === undefined)
        throw new RetrievalError('not_found', `No document with id "${id}" in the store`);
      return position;
    });
    const removing = new Set(labels);
    await this.pool.remove(labels, () => {
      this.documents = this.documents.filter((_, i) => !removing.has(i));
      this.positions = new Map(this.documents.map((doc, i) => [doc.id!, i]));
    });
  }

  /** Saves `docstore.json`, `vectors.f32` and faiss's own `index.faiss` into a directory (atomically per file). */
  async save(directory: string): Promise<void> {
    await mkdir(directory, { recursive: true });
    const vectors = this.pool.vectors();
    const docstore = {
      format: FORMAT,
      version: FORMAT_VERSION,
      metric: this.metric,
      dimension: this.pool.dimension,
      scoreOrder: scoreOrderOf(this.metric),
      documents: this.documents,
    };
    const write = async (name: string, data: string | Uint8Array) => {
      await writeFile(join(directory, `${name}.tmp`), data);
      await rename(join(directory, `${name}.tmp`), join(directory, name));
    };
    await write(
      'vectors.f32',
      new Uint8Array(vectors.buffer.slice(vectors.byteOffset, vectors.byteOffset + vectors.byteLength)),
    );
    await write('docstore.json', JSON.stringify(docstore));
    await this.pool.write(join(directory, 'index.faiss'));
  }

  /** The k most similar documents to a text query. */
  async similaritySearch(query: string, k = 4, filter?: Filter, signal?: AbortSignal): Promise<Document[]> {
    return (await this.similaritySearchWithScore(query, k, filter, signal)).map(([doc]) => doc);
  }

  /** The k most similar documents with their scores (see `info().scoreOrder`: lower-is-closer for l2). */
  async similaritySearchWithScore(
    query: string,
    k = 4,
    filter?: Filter,
    signal?: AbortSignal,
  ): Promise<[Document, number][]> {
    checkQuery(query);
    checkK(k);
    checkFilter(filter);
    const vector = await this.requireEmbeddings('similaritySearch').embedQuery(query);
    return this.similaritySearchVectorWithScore(vector, k, filter, signal);
  }

  /** Search by vector: the k nearest documents with scores. */
  async similaritySearchVectorWithScore(
    vector: readonly number[] | Float32Array,
    k = 4,
    filter?: Filter,
    signal?: AbortSignal,
  ): Promise<[Document, number][]> {
    checkK(k);
    const f = checkFilter(filter);
    const query = FaissStore.prepare(toVector(vector, this.pool.dimension, 'query vector'), this.metric);
    const hits = await this.searchFiltered(query, k, f, signal);
    return hits.map(([document, score]) => [document, score]);
  }

  /** Relevant and diverse: fetch `fetchK` candidates, re-rank with maximal marginal relevance, return k. */
  async maxMarginalRelevanceSearch(query: string, options: MmrOptions = {}): Promise<Document[]> {
    checkQuery(query);
    const { k, fetchK, lambdaMult } = checkMmr(options);
    const f = checkFilter(options.filter);
    const embedded = await this.requireEmbeddings('maxMarginalRelevanceSearch').embedQuery(query);
    const vector = FaissStore.prepare(
      toVector(embedded, this.pool.dimension, 'query embedding'),
      this.metric,
    );
    const candidates = await this.searchFiltered(vector, fetchK, f, options.signal);
    const picked = maximalMarginalRelevance(
      vector,
      candidates.map(([, , label]) => this.pool.vector(label)),
      k,
      lambdaMult,
    );
    return picked.map((i) => candidates[i]![0]);
  }

  /** Size, dimension, metric, score order and pool state. */
  info() {
    return {
      documents: this.documents.length,
      dimension: this.pool.dimension,
      metric: this.metric,
      scoreOrder: scoreOrderOf(this.metric) as ScoreOrder,
      ...this.pool.info(),
    };
  }

  /** Stops the workers: queued searches are rejected, those being searched finish. Idempotent. */
  close(): Promise<void> {
    return this.pool.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** @internal Test hook. */
  crashWorkerForTest(index = 0, when: 'now' | 'next-search' | 'every-search' = 'now'): void {
    this.pool.crashWorkerForTest(index, when);
  }

  /**
   * Searches and applies the filter. Filtered searches ask for more than k (10 × k, at least 50) and widen to
   * the whole index when too few pass, so a selective filter still finds its k matches.
   */
  private searchFiltered(
    query: Float32Array,
    k: number,
    filter: Filter | undefined,
    signal?: AbortSignal,
  ): Promise<Hit[]> {
    const total = this.pool.ntotal;
    if (total === 0) return Promise.resolve([]);
    // The unfiltered path is the hot one: one promise, no intermediate arrays.
    if (!filter)
      return this.pool
        .search(query, Math.min(k, total), signal)
        .then((hits) => this.collect(hits, undefined, k));
    return (async () => {
      let fetch = Math.min(total, Math.max(k * 10, 50));
      while (true) {
        const hits = this.collect(await this.pool.search(query, fetch, signal), filter, k);
        if (hits.length >= k || fetch >= total) return hits;
        fetch = total;
      }
    })();
  }

  /** Turns pool hits into documents and scores, skipping misses and filtered-out documents. */
  private collect(hits: SearchHits, filter: Filter | undefined, k: number): Hit[] {
    const out: Hit[] = [];
    const end = hits.offset + hits.count;
    for (let i = hits.offset; i < end && out.length < k; i++) {
      const label = hits.labels[i]!;
      if (label < 0) continue;
      const document = this.documents[label];
      if (!document || (filter && !matches(filter, document.metadata, document))) continue;
      out.push([document, hits.distances[i]!, label]);
    }
    return out;
  }

  private requireEmbeddings(method: string): Embeddings {
    if (!this.embeddings) {
      throw new RetrievalError(
        'invalid_argument',
        `${method} needs embeddings: pass them to fromVectors/load, or use the vector search methods`,
      );
    }
    return this.embeddings;
  }
}
