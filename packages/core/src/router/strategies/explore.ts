import type { ProviderV1 } from '../../spec/provider-v1.js';
import type { StrategyContext } from '../routing-strategy.js';

/**
 * With probability `context.exploration`, moves one provider that lacks recent latency data (chosen at
 * random among `eligible`) to the front. Without this, a latency ranking only ever learns about the
 * provider it already prefers: one bad sample, or a recovery nobody measures, would stick for good.
 */
export function explore(
  ordered: ProviderV1[],
  context: StrategyContext,
  eligible: (provider: ProviderV1) => boolean,
): ProviderV1[] {
  const rate = context.exploration ?? 0;
  if (rate <= 0 || ordered.length < 2 || context.random() >= rate) return ordered;
  const candidates = ordered.slice(1).filter((p) => eligible(p) && context.metrics(p).needsLatencyData);
  if (candidates.length === 0) return ordered;
  const pick = candidates[Math.floor(context.random() * candidates.length)]!;
  return [pick, ...ordered.filter((p) => p !== pick)];
}
