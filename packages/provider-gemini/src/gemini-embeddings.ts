import { cancelledError, type HttpCall, type HttpClient, ProviderError } from '@llmo/core/provider';
import { batchEmbedContentsSchema, embedContentSchema } from './gemini-api.js';
import { modelPath } from './gemini-request.js';

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

export interface EmbedContext {
  provider: string;
  embeddingModel: string;
  http: HttpClient;
  /** Builds a call with the key, the headers and the error mapping. */
  keyed: (call: {
    path: string;
    body?: unknown;
    signal?: AbortSignal;
    headers?: Record<string, string>;
  }) => Promise<HttpCall>;
}

/**
 * The provider's `embed`: `embedContent` for one value, `batchEmbedContents` for more, at most
 * `MAX_EMBED_BATCH` per call, the calls one after another so the vectors keep the order of the values.
 */
export function createEmbed(context: EmbedContext): GeminiEmbed {
  const { provider, embeddingModel, http, keyed } = context;
  const path = modelPath(embeddingModel);
  const resource = embeddingModel.includes('/') ? embeddingModel : `models/${embeddingModel}`;

  const batch = async (request: GeminiEmbedRequest, values: readonly string[]) => {
    const one = (text: string) => ({
      content: { parts: [{ text }] },
      taskType: request.taskType,
      // `title` is only valid with RETRIEVAL_DOCUMENT (protocol note §7).
      title: request.taskType === 'RETRIEVAL_DOCUMENT' ? request.title : undefined,
      outputDimensionality: request.outputDimensionality,
    });
    const common = { signal: request.signal, headers: request.headers };
    if (values.length === 1) {
      const call = await keyed({ path: `/${path}:embedContent`, body: one(values[0]!), ...common });
      const json = await http.json({ ...call, schema: embedContentSchema, what: 'embedding' });
      return { vectors: [json.embedding.values], tokens: json.usageMetadata?.promptTokenCount ?? undefined };
    }
    const call = await keyed({
      path: `/${path}:batchEmbedContents`,
      // Each request names the model of the URL (it must match).
      body: { requests: values.map((text) => ({ model: resource, ...one(text) })) },
      ...common,
    });
    const json = await http.json({ ...call, schema: batchEmbedContentsSchema, what: 'embeddings' });
    if (json.embeddings.length !== values.length) {
      throw new ProviderError({
        kind: 'invalid_response',
        provider,
        message: `${provider}: batchEmbedContents returned ${json.embeddings.length} embeddings for ${values.length} values`,
      });
    }
    return {
      vectors: json.embeddings.map((e) => e.values),
      tokens: json.usageMetadata?.promptTokenCount ?? undefined,
    };
  };

  return async (request) => {
    checkEmbedRequest(request, provider);
    if (request.signal?.aborted) throw cancelledError(provider);
    const embeddings: number[][] = [];
    let tokens: number | undefined;
    for (let i = 0; i < request.values.length; i += MAX_EMBED_BATCH) {
      const { vectors, tokens: used } = await batch(request, request.values.slice(i, i + MAX_EMBED_BATCH));
      embeddings.push(...vectors);
      if (used !== undefined) tokens = (tokens ?? 0) + used;
    }
    return { embeddings, ...(tokens !== undefined ? { usage: { promptTokens: tokens } } : {}) };
  };
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
