import type { ProviderV1 } from '../spec/provider-v1.js';
import type { ProviderMetrics } from './provider-metrics.js';

/** What a strategy may look at when ordering providers for one request. */
export interface StrategyContext {
  /** True for `routeStream()`; least-latency then ranks by time to first token. */
  readonly streaming: boolean;
  /** Live metrics of a provider (health, latencies, counts). */
  metrics(provider: ProviderV1): ProviderMetrics;
  /** The provider's cached health check (TTL-bound; never one probe per request). */
  isHealthy(provider: ProviderV1): Promise<boolean>;
  /** Estimated cost of this request on the provider, from its prices and the request's size. */
  estimateCost(provider: ProviderV1): { amount: number; currency: string };
  /** Uniform in [0, 1); seeded when the router has a `seed`. */
  random(): number;
}

/**
 * Orders all providers for one request: the router tries them in that order. Implement this for a custom
 * strategy; it may keep state (round-robin does) and may be async.
 */
export interface RoutingStrategy {
  readonly name: string;
  order(
    providers: readonly ProviderV1[],
    context: StrategyContext,
  ): readonly ProviderV1[] | Promise<readonly ProviderV1[]>;
}

/** Rotates a list so it starts at `start`, keeping the rest in circular order (the seed's fallback order). */
export function rotate<T>(items: readonly T[], start: number): T[] {
  if (items.length === 0) return [];
  const offset = ((start % items.length) + items.length) % items.length;
  return [...items.slice(offset), ...items.slice(0, offset)];
}
