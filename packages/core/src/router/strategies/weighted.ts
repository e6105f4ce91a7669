import { RouterError } from '../../errors/router-error.js';
import type { ProviderV1 } from '../../spec/provider-v1.js';
import type { RoutingStrategy } from '../routing-strategy.js';

export interface WeightedOptions {
  /** Weight per provider name; unlisted providers weigh `defaultWeight`. A weight of 0 makes it last resort. */
  weights: Record<string, number>;
  defaultWeight?: number;
}

function assertWeight(what: string, weight: unknown): void {
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
    throw new RouterError({
      code: 'invalid-options',
      message: `Invalid weighted strategy options:\n  - ${what}: must be a finite number ≥ 0 (got ${String(weight)}); 0 makes a provider a last resort.`,
    });
  }
}

/**
 * Weighted random order without replacement: a provider with weight 3 leads three times as often as one
 * with weight 1. Zero-weight providers come last, as fallbacks only. Weights are looked up as own keys only,
 * so a provider named `constructor` or `toString` is weighed like any other.
 */
export function weighted(options: WeightedOptions): RoutingStrategy {
  const weights = new Map<string, number>();
  for (const [name, weight] of Object.entries(options.weights ?? {})) {
    assertWeight(`weights.${name}`, weight);
    weights.set(name, weight);
  }
  const defaultWeight = options.defaultWeight ?? 1;
  assertWeight('defaultWeight', defaultWeight);
  const weightOf = (p: ProviderV1) => weights.get(p.name) ?? defaultWeight;
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
