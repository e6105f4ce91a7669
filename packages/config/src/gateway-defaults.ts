import type {
  GatewayConfig,
  GatewayCorsConfig,
  GatewayKeyConfig,
  GatewayLimitsConfig,
  GatewayLogsConfig,
  GatewayRedisConfig,
} from './config-types.js';

/** The gateway's settings with every default filled in, as `@llmo/gateway` reads them. */
export interface ResolvedGatewayConfig {
  host: string;
  port: number;
  keys: GatewayKeyConfig[];
  defaultMessage: string | undefined;
  cors: GatewayCorsConfig | undefined;
  logs: Required<Omit<GatewayLogsConfig, 'retentionDays'>> & Pick<GatewayLogsConfig, 'retentionDays'>;
  limits: Required<Pick<GatewayLimitsConfig, 'maxBodyBytes' | 'shutdownTimeoutMs'>> &
    Pick<GatewayLimitsConfig, 'requestTimeoutMs' | 'maxConcurrentRequests'>;
  /** With its key prefix filled in; undefined: limits counted per process. */
  redis: Required<GatewayRedisConfig> | undefined;
}

export const GATEWAY_DEFAULTS = {
  host: '127.0.0.1',
  port: 8000,
  logs: { dir: 'logs', level: 'info', stdout: true, file: true },
  limits: { maxBodyBytes: 1_048_576, shutdownTimeoutMs: 10_000 },
  redisKeyPrefix: 'llmo:gateway:',
} as const;

/** `gateway:` with its defaults (a configuration without the section gets all of them). */
export function resolveGatewayConfig(gateway: GatewayConfig = {}): ResolvedGatewayConfig {
  return {
    host: gateway.host ?? GATEWAY_DEFAULTS.host,
    port: gateway.port ?? GATEWAY_DEFAULTS.port,
    keys: gateway.keys ?? [],
    defaultMessage: gateway.defaultMessage,
    cors: gateway.cors,
    logs: { ...GATEWAY_DEFAULTS.logs, ...gateway.logs },
    limits: { ...GATEWAY_DEFAULTS.limits, ...gateway.limits },
    redis: gateway.redis && {
      url: gateway.redis.url,
      keyPrefix: gateway.redis.keyPrefix ?? GATEWAY_DEFAULTS.redisKeyPrefix,
    },
  };
}
