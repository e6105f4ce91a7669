import type { ModelPricing } from '@llmo/core/provider';
import { yandexModelName } from './yandexgpt-model-uri.js';

const rub = (per1K: number): ModelPricing => ({ inputPer1K: per1K, outputPer1K: per1K, currency: 'RUB' });

/**
 * YandexGPT sync prices in RUB per 1,000 tokens of prompt plus completion, VAT included, from a snapshot of
 * Yandex Cloud's price list (docs `rub-generating_new.md`); the seed's older table had 1.50 (Pro) and 0.75
 * (Lite). Check the current list and override with `pricing` or the Router's `prices` if it moved.
 */
export const YANDEXGPT_PRICES: Record<string, ModelPricing> = {
  'yandexgpt-lite': rub(0.2),
  yandexgpt: rub(1.2),
};

export function yandexgptPricing(model: string): ModelPricing | undefined {
  return YANDEXGPT_PRICES[yandexModelName(model)];
}
