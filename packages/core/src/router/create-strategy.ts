import type { RoutingStrategy } from './routing-strategy.js';
import { bestAvailable } from './strategies/best-available.js';
import { costAware } from './strategies/cost-aware.js';
import { firstAvailable } from './strategies/first-available.js';
import { leastLatency } from './strategies/least-latency.js';
import { random } from './strategies/random.js';
import { roundRobin } from './strategies/round-robin.js';
import { weighted } from './strategies/weighted.js';
import type { StrategyName } from './strategy-names.js';

/** Builds a strategy from its name (this is what makes `Router` carry every strategy; `BaseRouter` does not). */
export function createStrategy(name: StrategyName, weights: Record<string, number> = {}): RoutingStrategy {
  switch (name) {
    case 'round-robin':
      return roundRobin();
    case 'random':
      return random();
    case 'first-available':
      return firstAvailable();
    case 'best-available':
      return bestAvailable();
    case 'weighted':
      return weighted({ weights });
    case 'least-latency':
      return leastLatency();
    case 'cost-aware':
      return costAware();
  }
}
