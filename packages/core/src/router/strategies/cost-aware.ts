import type { RoutingStrategy } from '../routing-strategy.js';

export interface CostAwareOptions {
  /**
   * Conversion of each currency into one unit of comparison, e.g. `{ USD: 1, RUB: 0.011 }`. Needed only when
   * providers price in different currencies; without it amounts are compared as they are.
   */
  rates?: Record<string, number>;
  /** Skip providers whose metrics say `unhealthy`, unless nothing else is left. Default true. */
  avoidUnhealthy?: boolean;
}

/**
 * Cheapest estimated cost for this request first (input and output prices × the request's estimated
 * tokens); ties broken by rolling latency. Providers with no known price come after every priced one (an
 * unknown price is never taken for free), and unhealthy providers go last.
 */
export function costAware(options: CostAwareOptions = {}): RoutingStrategy {
  const avoidUnhealthy = options.avoidUnhealthy ?? true;
  return {
    name: 'cost-aware',
    order(providers, context) {
      const keyed = providers.map((provider, index) => {
        const cost = context.estimateCost(provider);
        const rate = cost ? (options.rates?.[cost.currency] ?? 1) : 1;
        const metrics = context.metrics(provider);
        return {
          provider,
          index,
          unhealthy: avoidUnhealthy && metrics.health === 'unhealthy' ? 1 : 0,
          unpriced: cost ? 0 : 1,
          cost: cost ? cost.amount * rate : 0,
          latency: metrics.rollingAvgLatencyMs ?? 0,
        };
      });
      keyed.sort(
        (a, b) =>
          a.unhealthy - b.unhealthy ||
          a.unpriced - b.unpriced ||
          a.cost - b.cost ||
          a.latency - b.latency ||
          a.index - b.index,
      );
      return keyed.map((k) => k.provider);
    },
  };
}
