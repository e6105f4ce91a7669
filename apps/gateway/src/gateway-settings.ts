import type { LlmoConfig } from '@llmo/config';
import { defaultRouteOptions, type ResolvedGatewayConfig, resolveGatewayConfig } from '@llmo/config';
import { ApiKeys } from './api-keys.js';
import type { KeyLimits } from './key-limits.js';
import type { RequestLogger } from './request-logger.js';

/** The answer of `/chat/fallback` when every provider failed and the configuration sets none. */
export const BUILT_IN_DEFAULT_MESSAGE = 'The assistant is unavailable right now. Please try again later.';

/**
 * Everything the gateway reads from the configuration, built once and swapped whole on reload, so a request
 * sees either the old settings or the new ones, never a mix.
 */
export interface GatewaySettings {
  gateway: ResolvedGatewayConfig;
  keys: ApiKeys;
  limits: KeyLimits;
  /** `defaults:` as a preferred provider. */
  preferredProvider: string | undefined;
  defaultMessage: string;
}

export async function buildSettings(
  config: LlmoConfig | undefined,
  /** The gateway's limits, one for its whole life: reloads keep every key's window (see `KeyLimits`). */
  limits: KeyLimits,
  logger?: RequestLogger,
): Promise<GatewaySettings> {
  const gateway = resolveGatewayConfig(config?.gateway);
  const keys = await ApiKeys.create(gateway.keys, (index) =>
    // The position only: the key itself is never logged.
    logger?.warn(
      { event: 'gateway_key_trimmed', key_index: index },
      `gateway.keys[${index}].key has whitespace around it (a trailing newline?); it was trimmed`,
    ),
  );
  return {
    gateway,
    keys,
    limits,
    preferredProvider: config ? defaultRouteOptions(config).preferredProvider : undefined,
    defaultMessage: gateway.defaultMessage ?? BUILT_IN_DEFAULT_MESSAGE,
  };
}
