// `@llmo/provider-anthropic/protocol`: the Messages API body mapping, shared by `createAnthropic` and every
// provider that speaks the same JSON on another endpoint (`@llmo/provider-vertex` for Claude on Vertex AI:
// `rawPredict` / `streamRawPredict`). The request body, the response and stream mapping, the error spec, usage
// and stop reasons live here once; the main entry keeps its public API. Edge-safe.

export {
  type AnthropicMessageResponse,
  type AnthropicUsage,
  messageSchema,
  tokenCountSchema,
} from './anthropic-api.js';
export { type AnthropicChatOptions, type AnthropicPosted, anthropicChatMethods } from './anthropic-chat.js';
export { anthropicErrors } from './anthropic-errors.js';
export { type AnthropicPrompt, toAnthropicPrompt } from './anthropic-messages.js';
export { type AnthropicModelPricing, anthropicPricing, withCachePrices } from './anthropic-pricing.js';
export {
  ANTHROPIC_CALL_RULES,
  ANTHROPIC_VERSION,
  type AnthropicRequestOptions,
  buildAnthropicRequest,
  defaultMaxTokens,
} from './anthropic-request.js';
export {
  type AnthropicResultContext,
  anthropicGenerateResult,
  readAnthropicResult,
} from './anthropic-response.js';
export {
  type AnthropicStreamContext,
  anthropicResponseStream,
  anthropicStreamInit,
  anthropicStreamParts,
  anthropicStreamSource,
} from './anthropic-stream.js';
export { mergeUsage, toProviderUsage, usageMetadata } from './anthropic-usage.js';
export { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';
