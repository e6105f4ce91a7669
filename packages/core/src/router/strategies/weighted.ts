import type { ProviderV1 } from '../../spec/provider-v1.js';
import type { RoutingStrategy } from '../routing-strategy.js';

export interface WeightedOptions {
  /** Weight per provider name; unlisted providers weigh `defaultWeight`. A weight of 0 makes it last resort. */
  weights: Record<string, number>;
  defaultWeight?: number;
}

/**
 * Weighted random order without replacement: a provider with weight 3 leads three times as often as one
 * with weight 1. Zero-weight providers come last, as fallbacks only.
 */
export function weighted(options: WeightedOptions): RoutingStrategy {
  const weightOf = (p: ProviderV1) => Math.max(0, options.weights[p.name] ?? options.defaultWeight ?? 1);
  return {
    name: 'weighted',
    order(providers, context) {
      const pool = providers.filter((p) => weightOf(p) > 0);
      const zero = providers.filter((p) => weightOf(p) === 0);
      const ordered: ProviderV1[] = [];
      while (pool.length > 0) {
        const total = pool.reduce((sum, p) => sum + weightOf(p), 0);
        let pick = context.random() * total;
        let index = 0;
        for (; index < pool.length - 1; index++) {
          pick -= weightOf(pool[index]!);
          if (pick < 0) break;
        }
        ordered.push(pool.splice(index, 1)[0]!);
      }
      return [...ordered, ...zero];
    },
  };
}
