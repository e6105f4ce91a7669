import type { ProviderV1 } from '../../spec/provider-v1.js';
import type { HealthStatus } from '../provider-metrics.js';
import type { RoutingStrategy } from '../routing-strategy.js';
import { explore } from './explore.js';
import { sortByLatency } from './sort-by-latency.js';

const RANK: Record<HealthStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 };

export interface LatencyStrategyOptions {
  /** Share of requests led by a provider lacking recent latency data. Default: the router's `exploration`. */
  exploration?: number;
}

/**
 * The seed's best-available: healthy providers first, then degraded, then unhealthy (from live metrics);
 * within a group the lowest rolling latency first, providers with no latency samples yet first of all.
 * A small share of requests (`exploration`) leads with a healthy or degraded provider lacking recent data.
 */
export function bestAvailable(options: LatencyStrategyOptions = {}): RoutingStrategy {
  return {
    name: 'best-available',
    order(providers, context) {
      const groups: ProviderV1[][] = [[], [], []];
      for (const provider of providers) groups[RANK[context.metrics(provider).health]]!.push(provider);
      const ordered = groups.flatMap((group) =>
        sortByLatency(group, (p) => context.metrics(p).rollingAvgLatencyMs),
      );
      const ctx =
        options.exploration === undefined ? context : { ...context, exploration: options.exploration };
      return explore(ordered, ctx, (p) => context.metrics(p).health !== 'unhealthy');
    },
  };
}
