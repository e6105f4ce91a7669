import { type RoutingStrategy, rotate } from '../routing-strategy.js';

/** A uniformly random first provider; the others follow in circular order, as in the seed. */
export function random(): RoutingStrategy {
  return {
    name: 'random',
    order(providers, context) {
      return rotate(providers, Math.floor(context.random() * providers.length));
    },
  };
}
