import { RouterError } from '../errors/router-error.js';
import { BaseRouter } from './base-router.js';
import { createStrategy } from './create-strategy.js';
import type { BaseRouterOptions } from './router-options.js';
import type { RoutingStrategy } from './routing-strategy.js';
import { STRATEGY_NAMES, type StrategyName } from './strategy-names.js';

export interface RouterOptions extends Omit<BaseRouterOptions, 'strategy'> {
  /** A strategy name or a strategy object. Default `'round-robin'`, as in the seed. */
  strategy?: StrategyName | RoutingStrategy;
  /** Weights per provider name for the `'weighted'` strategy. */
  weights?: Record<string, number>;
}

/**
 * Routes requests across providers with a named or custom strategy, retries, fallback, a circuit breaker,
 * metrics, usage records and cost.
 *
 * @example
 * const router = new Router({ strategy: 'best-available' });
 * router.addProvider(createMockProvider({ name: 'a', model: 'mock-normal' }));
 * const result = await router.route('What is Python?');
 */
export class Router extends BaseRouter {
  constructor(options: RouterOptions = {}) {
    const { strategy = 'round-robin', weights, ...rest } = options ?? {};
    super({ ...rest, strategy: resolveStrategy(strategy, weights) });
  }
}

function resolveStrategy(
  strategy: StrategyName | RoutingStrategy,
  weights?: Record<string, number>,
): RoutingStrategy {
  if (typeof strategy !== 'string') return strategy;
  if (!(STRATEGY_NAMES as readonly string[]).includes(strategy)) {
    const problem = `unknown strategy "${strategy}". Valid strategies: ${STRATEGY_NAMES.join(', ')}; or pass a strategy object with name and order().`;
    throw new RouterError({
      code: 'invalid-options',
      message: `Invalid Router options:\n  - strategy: ${problem}`,
      issues: [{ path: ['strategy'], message: problem }],
    });
  }
  return createStrategy(strategy as StrategyName, weights);
}
