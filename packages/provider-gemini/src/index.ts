export {
  type EmbeddingSource,
  type GeminiEmbed,
  type GeminiEmbeddingsOptions,
  type GeminiEmbeddingTaskType,
  type GeminiEmbedRequest,
  type GeminiEmbedResult,
  geminiEmbeddings,
  MAX_EMBED_BATCH,
} from './gemini-embeddings.js';
export { geminiErrors } from './gemini-errors.js';
export { SKIP_THOUGHT_SIGNATURE } from './gemini-messages.js';
export {
  GEMINI_EMBEDDING_PRICES,
  GEMINI_PRICES,
  type GeminiModelPricing,
  type GeminiTokenCounts,
  geminiCost,
  geminiPricing,
} from './gemini-pricing.js';
export {
  createGemini,
  DEFAULT_EMBEDDING_MODEL,
  GEMINI_API_VERSION,
  GEMINI_BASE_URL,
  type GeminiProvider,
  type GeminiSettings,
} from './gemini-provider.js';
export { modelPath } from './gemini-request.js';
export { toGeminiSchema } from './gemini-schema.js';
export type { GeminiCallMetadata } from './gemini-usage.js';
