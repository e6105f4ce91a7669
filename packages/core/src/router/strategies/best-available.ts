import type { ProviderV1 } from '../../spec/provider-v1.js';
import type { HealthStatus } from '../provider-metrics.js';
import type { RoutingStrategy } from '../routing-strategy.js';
import { sortByLatency } from './sort-by-latency.js';

const RANK: Record<HealthStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 };

/**
 * The seed's best-available: healthy providers first, then degraded, then unhealthy (from live metrics);
 * within a group the lowest rolling latency first, providers with no data yet first of all.
 */
export function bestAvailable(): RoutingStrategy {
  return {
    name: 'best-available',
    order(providers, context) {
      const groups: ProviderV1[][] = [[], [], []];
      for (const provider of providers) groups[RANK[context.metrics(provider).health]]!.push(provider);
      return groups.flatMap((group) =>
        sortByLatency(group, (p) => {
          const m = context.metrics(p);
          return m.totalRequests === 0 ? null : (m.rollingAvgLatencyMs ?? Number.POSITIVE_INFINITY);
        }),
      );
    },
  };
}
