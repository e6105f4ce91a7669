export { yandexModelUri } from './yandexgpt-model-uri.js';
export { YANDEXGPT_PRICES, yandexgptPricing } from './yandexgpt-pricing.js';
export { createYandexGPT, YANDEXGPT_BASE_URL, type YandexGPTSettings } from './yandexgpt-provider.js';
