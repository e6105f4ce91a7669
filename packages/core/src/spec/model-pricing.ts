/**
 * Prices of one model, per 1,000 tokens, in an explicit ISO 4217 currency
 * (RUB for GigaChat and YandexGPT, USD for most others).
 */
export interface ModelPricing {
  inputPer1K: number;
  outputPer1K: number;
  currency: string;
}

/** Price table keyed by provider type, then model; a `default` model entry applies to unknown models. */
export type PriceTable = Record<string, Record<string, ModelPricing>>;
