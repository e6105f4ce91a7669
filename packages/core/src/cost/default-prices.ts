import type { PriceTable } from '../spec/model-pricing.js';

const rub = (per1K: number) => ({ inputPer1K: per1K, outputPer1K: per1K, currency: 'RUB' });
const free = { inputPer1K: 0, outputPer1K: 0, currency: 'USD' };

/**
 * Prices the router knows without being told: the seed's table (one RUB price for input and output, per
 * 1,000 tokens) and the free local providers. Provider packages carry fuller tables in their `pricing`;
 * the router's `prices` option overrides both.
 */
export const DEFAULT_PRICES: PriceTable = {
  // Exact model ids only: a model not listed is unpriced, never priced as a guess (the seed's `default`
  // rows for GigaChat and YandexGPT priced any unknown model at 1.5 RUB).
  gigachat: { GigaChat: rub(1), 'GigaChat-Pro': rub(2), 'GigaChat-Plus': rub(1.5) },
  yandexgpt: { 'yandexgpt/latest': rub(1.5), 'yandexgpt-lite/latest': rub(0.75) },
  // Local and mock providers are free by type: declared, not guessed.
  ollama: { default: free },
  mock: { default: free },
};
