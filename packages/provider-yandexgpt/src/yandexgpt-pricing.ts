import type { ModelPricing } from '@llmo/core/provider';

const rub = (per1K: number): ModelPricing => ({ inputPer1K: per1K, outputPer1K: per1K, currency: 'RUB' });

/**
 * YandexGPT sync prices in RUB per 1,000 tokens of prompt plus completion, VAT included, from a snapshot of
 * Yandex Cloud's price list (docs `rub-generating_new.md`); the seed's older table had 1.50 (Pro) and 0.75
 * (Lite). Check the current list and override with `pricing` or the Router's `prices` if it moved.
 *
 * Keys are exact model paths: the model name, and the same with its `/latest` branch (the service reads a
 * missing branch as `/latest`). Other branches are different model versions (`yandexgpt/rc` has been
 * YandexGPT 5.1 Pro while `latest` was 5) and fine-tuned models (`…@suffix`) are priced on their own, so they
 * are left unpriced here rather than guessed.
 */
export const YANDEXGPT_PRICES: Record<string, ModelPricing> = {
  'yandexgpt-lite': rub(0.2),
  'yandexgpt-lite/latest': rub(0.2),
  yandexgpt: rub(1.2),
  'yandexgpt/latest': rub(1.2),
};

/**
 * The price of a model given as a path (`yandexgpt-lite`, `yandexgpt/latest`) or as a `gpt://<folder>/<path>`
 * URI; undefined when that exact path is not listed (or the URI is of another kind).
 */
export function yandexgptPricing(model: string): ModelPricing | undefined {
  let path: string;
  if (/^[a-z]+:\/\//.test(model)) {
    const match = /^gpt:\/\/[^/]+\/(.+)$/.exec(model);
    if (!match) return undefined;
    path = match[1]!;
  } else {
    // As yandexModelUri does when it builds the URI.
    path = model.replace(/^\/+/, '');
  }
  return Object.hasOwn(YANDEXGPT_PRICES, path) ? YANDEXGPT_PRICES[path] : undefined;
}
