import { type RoutingStrategy, rotate } from '../routing-strategy.js';

/** Each request starts at the next provider in turn; the others follow in circular order as fallbacks. */
export function roundRobin(): RoutingStrategy {
  let next = 0;
  return {
    name: 'round-robin',
    order(providers) {
      const ordered = rotate(providers, next);
      next = (next + 1) % Math.max(1, providers.length);
      return ordered;
    },
  };
}
