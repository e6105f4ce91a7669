// @llmo/ai-sdk: the llmo router as a Vercel AI SDK language model (AI SDK 6: V3, AI SDK 5: V2), and any AI SDK
// language model as an llmo provider.

export { createLlmoModel, createLlmoModelV2 } from './create-llmo-model.js';
export { type AISDKLanguageModel, fromAISDK } from './from-ai-sdk.js';
export type { FromAISDKSettings } from './from-ai-sdk-settings.js';
export type { LlmoModelOptions } from './llmo-model-options.js';
export { LLMO_OPTIONS_KEY } from './to-route-options.js';
