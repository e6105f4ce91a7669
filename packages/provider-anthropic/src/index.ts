export {
  ANTHROPIC_PRICES,
  type AnthropicModelPricing,
  type AnthropicTokenCounts,
  anthropicCost,
  anthropicPricing,
} from './anthropic-pricing.js';
export {
  ANTHROPIC_BASE_URL,
  type AnthropicProvider,
  type AnthropicSettings,
  createAnthropic,
} from './anthropic-provider.js';
export { ANTHROPIC_VERSION, defaultMaxTokens } from './anthropic-request.js';
export type { AnthropicUsageMetadata } from './anthropic-usage.js';
