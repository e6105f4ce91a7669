// @llmo/validators: check API keys before use, with typed error codes. Edge-safe.

export { type AnthropicKeyCheck, validateAnthropic } from './validate-anthropic.js';
export { type BedrockKeyCheck, validateBedrock } from './validate-bedrock.js';
export { type GeminiKeyCheck, validateGemini } from './validate-gemini.js';
export {
  GIGACHAT_SCOPES,
  type GigaChatKeyCheck,
  type GigaChatScope,
  validateGigaChat,
} from './validate-gigachat.js';
export { type KeyCheck, validateMany } from './validate-many.js';
export { type OpenAIKeyCheck, validateOpenAI } from './validate-openai.js';
export { type VertexCredentialCheck, validateVertex } from './validate-vertex.js';
export { validateYandexGPT, type YandexGPTKeyCheck } from './validate-yandexgpt.js';
export type { ValidationErrorCode, ValidationResult } from './validation-result.js';
