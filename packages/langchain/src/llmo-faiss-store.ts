import type { Callbacks } from '@langchain/core/callbacks/manager';
import { Document, type DocumentInterface } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { type MaxMarginalRelevanceSearchOptions, VectorStore } from '@langchain/core/vectorstores';
import {
  FaissStore,
  type FaissStoreOptions,
  type Filter,
  type Document as LlmoDocument,
} from '@llmo/retrieval';

const toLangChain = (doc: LlmoDocument) =>
  new Document({ pageContent: doc.pageContent, metadata: doc.metadata, id: doc.id });
const toLlmo = (doc: DocumentInterface, id?: string): LlmoDocument => ({
  pageContent: doc.pageContent,
  metadata: doc.metadata ?? {},
  ...((id ?? doc.id) ? { id: id ?? doc.id } : {}),
});

/**
 * A LangChain vector store over `@llmo/retrieval`: searches run in its FAISS worker pool, off the event loop,
 * batched with other concurrent searches. `asRetriever({ searchType: 'similarity' | 'mmr', k })` works as with
 * any LangChain store. Filters are metadata equalities or a predicate. Scores follow the store's metric (`l2`:
 * distance, lower is closer; `cosine` / `inner-product`: higher is closer).
 */
export class LlmoFaissStore extends VectorStore {
  declare FilterType: Filter;

  constructor(
    embeddings: EmbeddingsInterface,
    /** The underlying store, for `info()`, `save()` and anything LangChain has no word for. */
    readonly store: FaissStore,
  ) {
    super(embeddings, {});
  }

  _vectorstoreType(): string {
    return 'llmo-faiss';
  }

  static override async fromDocuments(
    documents: DocumentInterface[],
    embeddings: EmbeddingsInterface,
    options: FaissStoreOptions = {},
  ): Promise<LlmoFaissStore> {
    const store = await FaissStore.fromDocuments(
      documents.map((doc) => toLlmo(doc)),
      embeddings,
      options,
    );
    return new LlmoFaissStore(embeddings, store);
  }

  static override async fromTexts(
    texts: string[],
    metadatas: object[] | object,
    embeddings: EmbeddingsInterface,
    options: FaissStoreOptions = {},
  ): Promise<LlmoFaissStore> {
    const documents = texts.map(
      (pageContent, i) =>
        new Document({ pageContent, metadata: { ...(Array.isArray(metadatas) ? metadatas[i] : metadatas) } }),
    );
    return LlmoFaissStore.fromDocuments(documents, embeddings, options);
  }

  /** Loads a directory written by `save()` (or by `FaissStore.save`). */
  static async load(
    directory: string,
    embeddings: EmbeddingsInterface,
    options: FaissStoreOptions = {},
  ): Promise<LlmoFaissStore> {
    return new LlmoFaissStore(embeddings, await FaissStore.load(directory, embeddings, options));
  }

  save(directory: string): Promise<void> {
    return this.store.save(directory);
  }

  async addVectors(
    vectors: number[][],
    documents: DocumentInterface[],
    options?: { ids?: string[] },
  ): Promise<string[]> {
    return this.store.addVectors(
      vectors,
      documents.map((doc, i) => toLlmo(doc, options?.ids?.[i])),
    );
  }

  async addDocuments(documents: DocumentInterface[], options?: { ids?: string[] }): Promise<string[]> {
    const vectors = await this.embeddings.embedDocuments(documents.map((doc) => doc.pageContent));
    return this.addVectors(vectors, documents, options);
  }

  override async delete(params: { ids: string[] }): Promise<void> {
    await this.store.delete({ ids: params.ids });
  }

  async similaritySearchVectorWithScore(
    query: number[],
    k: number,
    filter?: this['FilterType'],
  ): Promise<[DocumentInterface, number][]> {
    const hits = await this.store.similaritySearchVectorWithScore(query, k, filter);
    return hits.map(([doc, score]) => [toLangChain(doc), score]);
  }

  /** LangChain's `lambda` is the store's `lambdaMult`: 1 = relevance only, 0 = diversity only. */
  override async maxMarginalRelevanceSearch(
    query: string,
    options: MaxMarginalRelevanceSearchOptions<this['FilterType']>,
    _callbacks?: Callbacks,
  ): Promise<DocumentInterface[]> {
    const docs = await this.store.maxMarginalRelevanceSearch(query, {
      k: options.k,
      ...(options.fetchK !== undefined ? { fetchK: options.fetchK } : {}),
      ...(options.lambda !== undefined ? { lambdaMult: options.lambda } : {}),
      ...(options.filter !== undefined ? { filter: options.filter } : {}),
    });
    return docs.map(toLangChain);
  }

  /** Stops the store's workers (idempotent). */
  close(): Promise<void> {
    return this.store.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
