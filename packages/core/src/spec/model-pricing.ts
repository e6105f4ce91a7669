/**
 * Prices of one model, per 1,000 tokens, in an explicit ISO 4217 currency
 * (RUB for GigaChat and YandexGPT, USD for most others).
 */
export interface ModelPricing {
  inputPer1K: number;
  outputPer1K: number;
  currency: string;
  /**
   * Price per 1,000 prompt tokens read from the provider's prompt cache (Anthropic: 0.1× input; OpenAI and
   * Gemini: a discounted input price). Default: `inputPer1K`.
   */
  cacheReadPer1K?: number;
  /** Price per 1,000 prompt tokens written to the prompt cache (Anthropic: 1.25× input). Default: `inputPer1K`. */
  cacheWritePer1K?: number;
}

/** Price table keyed by provider type, then model; a `default` model entry applies to unknown models. */
export type PriceTable = Record<string, Record<string, ModelPricing>>;
