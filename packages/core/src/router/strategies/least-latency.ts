import type { RoutingStrategy } from '../routing-strategy.js';
import { sortByLatency } from './sort-by-latency.js';

/**
 * Lowest rolling latency first, ignoring health; for streams the rolling time to first token, which is
 * what a streaming user waits for. Providers without data first.
 */
export function leastLatency(): RoutingStrategy {
  return {
    name: 'least-latency',
    order(providers, context) {
      return sortByLatency(providers, (p) => {
        const m = context.metrics(p);
        if (m.totalRequests === 0) return null;
        const latency = context.streaming
          ? (m.rollingAvgTtftMs ?? m.rollingAvgLatencyMs)
          : m.rollingAvgLatencyMs;
        return latency ?? Number.POSITIVE_INFINITY;
      });
    },
  };
}
