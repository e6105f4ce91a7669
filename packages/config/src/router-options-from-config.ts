import type { RouterOptions } from '@llmo/core';
import type { LlmoConfig } from './config-types.js';

/** Router options a file cannot hold (functions), or that live elsewhere in it, and where instead. */
export const ROUTER_KEYS_ELSEWHERE: Readonly<Record<string, string>> = {
  callbackUrl: 'it belongs under usage: (usage.callbackUrl)',
  callbackHeaders: 'it belongs under usage: (usage.callbackHeaders)',
  callbackTimeoutMs: 'it belongs under usage: (usage.callbackTimeoutMs)',
  usageDelivery: 'it belongs under usage: (usage.delivery)',
  usageCallback:
    'a function cannot come from a file; pass it in code: createRouterFromConfig(config, { router: { usageCallback } })',
  logger:
    'a logger cannot come from a file; pass it in code: createRouterFromConfig(config, { router: { logger } })',
  onWarning:
    'a function cannot come from a file; pass it in code: createRouterFromConfig(config, { router: { onWarning } })',
  fetch: 'a function cannot come from a file; pass it in code: createRouterFromConfig(config, { fetch })',
};

/** Where a Router option came from in the configuration: `usageDelivery.batchSize` → `usage.delivery.batchSize`. */
export function configPathOfRouterOption(path: readonly PropertyKey[]): PropertyKey[] {
  const [first, ...rest] = path;
  if (first === 'usageDelivery') return ['usage', 'delivery', ...rest];
  if (first === 'callbackUrl' || first === 'callbackHeaders' || first === 'callbackTimeoutMs')
    return ['usage', first, ...rest];
  return ['router', ...path];
}

/** The Router options a configuration's `router:` and `usage:` sections describe (cost log aside). */
export function routerOptionsFromConfig(config: Pick<LlmoConfig, 'router' | 'usage'>): RouterOptions {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config.router ?? {})) {
    if (!(key in ROUTER_KEYS_ELSEWHERE) && value !== undefined) options[key] = value;
  }
  const usage = config.usage;
  if (usage?.callbackUrl !== undefined) options.callbackUrl = usage.callbackUrl;
  if (usage?.callbackHeaders !== undefined) options.callbackHeaders = usage.callbackHeaders;
  if (usage?.callbackTimeoutMs !== undefined) options.callbackTimeoutMs = usage.callbackTimeoutMs;
  if (usage?.delivery !== undefined) options.usageDelivery = usage.delivery;
  return options as RouterOptions;
}
