/** A document: its text and metadata, as LangChain's `Document` (so those fit as they are). */
export interface Document<M extends Record<string, unknown> = Record<string, unknown>> {
  pageContent: string;
  metadata: M;
  /** Stable id in the store; generated when not given. */
  id?: string;
}

/** Anything that embeds text; LangChain's `Embeddings` fits structurally. */
export interface Embeddings {
  embedDocuments(texts: string[]): Promise<number[][]>;
  embedQuery(text: string): Promise<number[]>;
}

/** Metadata equalities (`{ lang: 'ru' }`) or a predicate over the document. */
export type Filter = Record<string, unknown> | ((document: Document) => boolean);

/**
 * - `l2`: squared Euclidean distance (IndexFlatL2). Score: distance, **lower is closer**.
 * - `inner-product`: dot product (IndexFlatIP). Score: similarity, **higher is closer**.
 * - `cosine`: vectors normalised, then inner product. Score: cosine similarity in [-1, 1], **higher is closer**.
 */
export type Metric = 'l2' | 'inner-product' | 'cosine';

export type ScoreOrder = 'lower-is-closer' | 'higher-is-closer';

export const scoreOrderOf = (metric: Metric): ScoreOrder =>
  metric === 'l2' ? 'lower-is-closer' : 'higher-is-closer';
