export type { CallWarning } from './call-warning.js';
export type {
  AssistantMessage,
  ChatMessage,
  Prompt,
  SystemMessage,
  ToolCall,
  ToolMessage,
  UserMessage,
} from './chat-message.js';
export type {
  CallSettings,
  ChatRequest,
  JsonSchema,
  ProviderOptions,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
} from './chat-request.js';
export type { FinishReason } from './finish-reason.js';
export type { ModelPricing, PriceTable } from './model-pricing.js';
export type { GenerateResult, ModelInfo, ProviderCapabilities, ProviderV1 } from './provider-v1.js';
export type { StreamPart } from './stream-part.js';
export type { ProviderUsage, TokenUsage } from './token-usage.js';
