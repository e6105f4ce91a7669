// `@llmo/provider-gemini/protocol`: the GenerateContent body mapping, shared by `createGemini` and every
// provider that speaks the same JSON on another endpoint (`@llmo/provider-vertex` for Gemini on Vertex AI).
// The request body, the response and stream mapping, the google.rpc.Status error spec, usage and finish
// reasons live here once; the main entry keeps its public API. Edge-safe.

export {
  countTokensSchema,
  type GeminiResponse,
  type GeminiUsageMetadata,
  generateContentResponseSchema,
} from './gemini-api.js';
export { type GeminiChatOptions, type GeminiPosted, geminiChatMethods } from './gemini-chat.js';
export { geminiContextWindow } from './gemini-context-windows.js';
export { geminiErrors, isGeminiErrorBody, retryDelayMs } from './gemini-errors.js';
export {
  type GeminiGenerateContext,
  geminiGenerateResult,
  readGeminiGenerateResult,
} from './gemini-generate.js';
export { GeminiToolCallMemory } from './gemini-messages.js';
export { asGeminiPricing, type GeminiModelPricing, geminiPricing } from './gemini-pricing.js';
export {
  buildGeminiRequest,
  GEMINI_CALL_RULES,
  type GeminiRequestOptions,
  MAX_STOP_SEQUENCES,
} from './gemini-request.js';
export { safetySettingsSchema } from './gemini-settings.js';
export {
  type GeminiStreamContext,
  geminiResponseStream,
  geminiSseBatches,
  geminiSseValues,
  geminiStreamInit,
  geminiStreamParts,
  geminiStreamSource,
} from './gemini-stream.js';
export { type GeminiCallMetadata, toProviderUsage, usageMetadata } from './gemini-usage.js';
export { BLOCKING_FINISH_REASONS, mapGeminiFinishReason } from './map-gemini-finish-reason.js';
