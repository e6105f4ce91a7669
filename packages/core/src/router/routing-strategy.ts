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
  /**
   * Estimated cost of this request on the provider, from its prices and the request's size; undefined when
   * the provider's model has no known price (never treat that as free).
   */
  estimateCost(provider: ProviderV1): { amount: number; currency: string } | undefined;
  /** Uniform in [0, 1); seeded when the router has a `seed`. */
  random(): number;
  /**
   * The router's `exploration` share (0..1): how often a latency-ranking strategy should lead with a provider
   * that lacks recent data. Strategies may ignore it.
   */
  readonly exploration: number;
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
