import { ProviderError } from '@llmo/core/provider';

/** Embedding task types of the Gemini API (protocol note §7). */
export type GeminiEmbeddingTaskType =
  | 'TASK_TYPE_UNSPECIFIED'
  | 'RETRIEVAL_QUERY'
  | 'RETRIEVAL_DOCUMENT'
  | 'SEMANTIC_SIMILARITY'
  | 'CLASSIFICATION'
  | 'CLUSTERING'
  | 'QUESTION_ANSWERING'
  | 'FACT_VERIFICATION'
  | 'CODE_RETRIEVAL_QUERY';

export interface GeminiEmbedRequest {
  /** The texts to embed; one vector each, in this order. */
  values: readonly string[];
  taskType?: GeminiEmbeddingTaskType;
  /** A document title; sent only with `RETRIEVAL_DOCUMENT` (the API ignores it otherwise). */
  title?: string;
  /** Keep this many dimensions (the API truncates from the end). */
  outputDimensionality?: number;
  signal?: AbortSignal;
  /** Extra HTTP headers for these calls. */
  headers?: Record<string, string>;
}

export interface GeminiEmbedResult {
  /** One vector per value, in request order. */
  embeddings: number[][];
  /** Input tokens, when the API reported them. */
  usage?: { promptTokens: number };
}

/** What `provider.embed` is. */
export type GeminiEmbed = (request: GeminiEmbedRequest) => Promise<GeminiEmbedResult>;

/**
 * The largest batch one `batchEmbedContents` call takes on the Gemini API; more values are sent in several
 * calls, one after another.
 */
export const MAX_EMBED_BATCH = 100;

/** Checks an embed request before anything is sent: values are non-empty strings. */
export function checkEmbedRequest(request: GeminiEmbedRequest, provider: string): void {
  const values: unknown = request?.values;
  const bad = !Array.isArray(values)
    ? 'values must be an array of strings'
    : values.findIndex((v) => typeof v !== 'string' || v.trim() === '') >= 0
      ? `values[${values.findIndex((v) => typeof v !== 'string' || v.trim() === '')}] must be a non-empty string`
      : undefined;
  if (bad) throw new ProviderError({ kind: 'bad_request', provider, message: `${provider}: embed: ${bad}` });
}

/** Anything with `embed`, i.e. a Gemini provider. */
export interface EmbeddingSource {
  embed: GeminiEmbed;
}

export interface GeminiEmbeddingsOptions {
  /** Task type for documents. Default `RETRIEVAL_DOCUMENT`. */
  documentTaskType?: GeminiEmbeddingTaskType;
  /** Task type for queries. Default `RETRIEVAL_QUERY`. */
  queryTaskType?: GeminiEmbeddingTaskType;
  outputDimensionality?: number;
}

/**
 * The provider's embeddings as the `{ embedDocuments, embedQuery }` object that `@llmo/retrieval`'s
 * `FaissStore` (and LangChain) take: documents and queries with their own task types, as Google recommends
 * for retrieval.
 *
 * @example
 * const store = await FaissStore.fromDocuments(docs, geminiEmbeddings(gemini), { metric: 'cosine' });
 */
export function geminiEmbeddings(
  source: EmbeddingSource,
  options: GeminiEmbeddingsOptions = {},
): {
  embedDocuments(texts: string[]): Promise<number[][]>;
  embedQuery(text: string): Promise<number[]>;
} {
  return {
    async embedDocuments(texts) {
      if (texts.length === 0) return [];
      const { embeddings } = await source.embed({
        values: texts,
        taskType: options.documentTaskType ?? 'RETRIEVAL_DOCUMENT',
        outputDimensionality: options.outputDimensionality,
      });
      return embeddings;
    },
    async embedQuery(text) {
      const { embeddings } = await source.embed({
        values: [text],
        taskType: options.queryTaskType ?? 'RETRIEVAL_QUERY',
        outputDimensionality: options.outputDimensionality,
      });
      return embeddings[0]!;
    },
  };
}
