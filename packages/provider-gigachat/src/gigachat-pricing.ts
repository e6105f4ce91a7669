import type { ModelPricing } from '@llmo/core/provider';

const rub = (per1K: number): ModelPricing => ({ inputPer1K: per1K, outputPer1K: per1K, currency: 'RUB' });

/**
 * GigaChat prices in RUB per 1,000 tokens (prompt and completion alike). The first three are the seed's
 * table; the GigaChat 2 line is from Sber's public pay-as-you-go list (developers.sber.ru/docs/ru/gigachat/api/tariffs),
 * which could not be re-checked from here: override with `pricing` or the Router's `prices` if yours differ.
 * Precached prompt tokens are not billed by Sber; this table prices every prompt token.
 */
export const GIGACHAT_PRICES: Record<string, ModelPricing> = {
  GigaChat: rub(1),
  'GigaChat-Pro': rub(2),
  'GigaChat-Plus': rub(1.5),
  'GigaChat-2': rub(0.2),
  'GigaChat-2-Pro': rub(1.5),
  'GigaChat-2-Max': rub(1.95),
  'GigaChat-Max': rub(1.95),
};

/** The price of a model; `-preview` variants cost as their model. */
export function gigachatPricing(model: string): ModelPricing | undefined {
  return GIGACHAT_PRICES[model] ?? GIGACHAT_PRICES[model.replace(/-preview$/, '')];
}
