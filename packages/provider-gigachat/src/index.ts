export { GIGACHAT_PRICES, gigachatPricing } from './gigachat-pricing.js';
export {
  createGigaChat,
  GIGACHAT_AUTH_URL,
  GIGACHAT_BASE_URL,
  type GigaChatSettings,
} from './gigachat-provider.js';
export type { GigaChatScope } from './gigachat-token-manager.js';
