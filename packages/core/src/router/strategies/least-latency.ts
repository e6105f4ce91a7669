import type { RoutingStrategy } from '../routing-strategy.js';
import type { LatencyStrategyOptions } from './best-available.js';
import { explore } from './explore.js';
import { sortByLatency } from './sort-by-latency.js';

/**
 * Lowest rolling latency first; for streams the rolling time to first token, which is what a streaming user
 * waits for. Providers without latency samples count as "no data" and come first, unless their recent
 * requests say `unhealthy` (then last: otherwise a dead provider, which never produces a sample, would lead
 * forever). A small share of requests (`exploration`) leads with a provider lacking recent data.
 */
export function leastLatency(options: LatencyStrategyOptions = {}): RoutingStrategy {
  return {
    name: 'least-latency',
    order(providers, context) {
      const ordered = sortByLatency(providers, (p) => {
        const m = context.metrics(p);
        const latency = context.streaming
          ? (m.rollingAvgTtftMs ?? m.rollingAvgLatencyMs)
          : m.rollingAvgLatencyMs;
        if (latency !== null) return latency;
        return m.health === 'unhealthy' ? Number.POSITIVE_INFINITY : null;
      });
      const ctx =
        options.exploration === undefined ? context : { ...context, exploration: options.exploration };
      return explore(ordered, ctx, () => true);
    },
  };
}
