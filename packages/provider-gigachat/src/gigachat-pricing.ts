import type { ModelPricing } from '@llmo/core/provider';

const rub = (per1K: number): ModelPricing => ({ inputPer1K: per1K, outputPer1K: per1K, currency: 'RUB' });

/**
 * GigaChat prices in RUB per 1,000 tokens (prompt and completion alike), by exact model id. The first three are
 * the seed's table; the GigaChat 2 line is from Sber's public pay-as-you-go list (developers.sber.ru/docs/ru/gigachat/api/tariffs),
 * which could not be re-checked from here: override with `pricing` or the Router's `prices` if yours differ.
 * Precached prompt tokens are not billed by Sber; this table prices every prompt token.
 */
const MODEL_PRICES: Record<string, ModelPricing> = {
  GigaChat: rub(1),
  'GigaChat-Pro': rub(2),
  'GigaChat-Plus': rub(1.5),
  'GigaChat-2': rub(0.2),
  'GigaChat-2-Pro': rub(1.5),
  'GigaChat-2-Max': rub(1.95),
  'GigaChat-Max': rub(1.95),
};

/** Early-access (`-preview`) ids that cost as their model, listed one by one (preview id → model). */
export const GIGACHAT_PREVIEW_ALIASES: Readonly<Record<string, string>> = {
  'GigaChat-preview': 'GigaChat',
  'GigaChat-Pro-preview': 'GigaChat-Pro',
  'GigaChat-Max-preview': 'GigaChat-Max',
  'GigaChat-2-preview': 'GigaChat-2',
  'GigaChat-2-Pro-preview': 'GigaChat-2-Pro',
  'GigaChat-2-Max-preview': 'GigaChat-2-Max',
};

/** Every priced model id, the `-preview` aliases included. An id not listed here is unpriced. */
export const GIGACHAT_PRICES: Record<string, ModelPricing> = {
  ...MODEL_PRICES,
  ...Object.fromEntries(
    Object.entries(GIGACHAT_PREVIEW_ALIASES).map(([preview, model]) => [preview, MODEL_PRICES[model]!]),
  ),
};

/** The price of exactly this model id (case as Sber spells it), or undefined when it is not listed. */
export function gigachatPricing(model: string): ModelPricing | undefined {
  return Object.hasOwn(GIGACHAT_PRICES, model) ? GIGACHAT_PRICES[model] : undefined;
}
