export { OPENAI_PRICES, openaiPricing } from './openai-pricing.js';
export { createOpenAI, OPENAI_BASE_URL, type OpenAISettings } from './openai-provider.js';
