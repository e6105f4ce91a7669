/** Strategy names a `Router` accepts as strings. */
export const STRATEGY_NAMES = [
  'round-robin',
  'random',
  'first-available',
  'best-available',
  'weighted',
  'least-latency',
  'cost-aware',
] as const;

export type StrategyName = (typeof STRATEGY_NAMES)[number];
