import type { ProviderV1 } from '../../spec/provider-v1.js';
import type { RoutingStrategy } from '../routing-strategy.js';

/**
 * Providers whose (cached) health check passes, in registration order, then the failing ones as a last
 * resort (the seed also tried every provider when none was healthy).
 */
export function firstAvailable(): RoutingStrategy {
  return {
    name: 'first-available',
    async order(providers, context) {
      const verdicts = await Promise.all(providers.map((p) => context.isHealthy(p)));
      const healthy: ProviderV1[] = [];
      const unhealthy: ProviderV1[] = [];
      for (const [i, provider] of providers.entries()) (verdicts[i] ? healthy : unhealthy).push(provider);
      return [...healthy, ...unhealthy];
    },
  };
}
