import type { ModelPricing } from '@llmo/core/provider';
import type { BedrockUsage } from './bedrock-api.js';

/**
 * On-demand list prices in USD per 1,000 tokens (Amazon Bedrock pricing page, us-east-1, standard tier), for a
 * few common models. Keys are model ids without the cross-region prefix (`us.`, `eu.`, `apac.`, `global.`) and
 * without the `-v1:0` suffix. Anything else has no default price: pass `pricing` to `createBedrock`.
 */
export const BEDROCK_PRICES: Readonly<Record<string, ModelPricing>> = {
  'anthropic.claude-sonnet-4-5-20250929': { inputPer1K: 0.003, outputPer1K: 0.015, currency: 'USD' },
  'anthropic.claude-sonnet-4-20250514': { inputPer1K: 0.003, outputPer1K: 0.015, currency: 'USD' },
  'anthropic.claude-haiku-4-5-20251001': { inputPer1K: 0.001, outputPer1K: 0.005, currency: 'USD' },
  'anthropic.claude-3-5-haiku-20241022': { inputPer1K: 0.0008, outputPer1K: 0.004, currency: 'USD' },
  'anthropic.claude-3-5-sonnet-20240620': { inputPer1K: 0.003, outputPer1K: 0.015, currency: 'USD' },
  'amazon.nova-pro': { inputPer1K: 0.0008, outputPer1K: 0.0032, currency: 'USD' },
  'amazon.nova-lite': { inputPer1K: 0.00006, outputPer1K: 0.00024, currency: 'USD' },
  'amazon.nova-micro': { inputPer1K: 0.000035, outputPer1K: 0.00014, currency: 'USD' },
};

/** The key of a model id in `BEDROCK_PRICES`: no region prefix, no ARN, no `-vN:M` suffix. */
export function priceKey(modelId: string): string {
  const last = modelId.includes('/') ? modelId.slice(modelId.lastIndexOf('/') + 1) : modelId;
  return last.replace(/^(us|eu|apac|global|us-gov|jp|au|ca)\./, '').replace(/-v\d+(:\d+)?$/, '');
}

export function bedrockPricing(modelId: string): ModelPricing | undefined {
  return BEDROCK_PRICES[priceKey(modelId)];
}

/** What `providerMetadata.bedrock` carries. */
export interface BedrockCallMetadata {
  stopReason?: string;
  latencyMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

export function usageMetadata(
  usage: BedrockUsage | null | undefined,
  extra: { stopReason?: string; latencyMs?: number },
): { bedrock: BedrockCallMetadata } {
  const metadata: BedrockCallMetadata = {
    stopReason: extra.stopReason,
    latencyMs: extra.latencyMs,
    inputTokens: usage?.inputTokens ?? undefined,
    outputTokens: usage?.outputTokens ?? undefined,
    cacheReadInputTokens: usage?.cacheReadInputTokens ?? undefined,
    cacheWriteInputTokens: usage?.cacheWriteInputTokens ?? undefined,
  };
  for (const key of Object.keys(metadata) as (keyof BedrockCallMetadata)[])
    if (metadata[key] === undefined) delete metadata[key];
  return { bedrock: metadata };
}
