// @llmo/gateway/node: the gateway as a Node server: configuration files, pino logs rolled daily, Prometheus
// metrics, graceful shutdown and reload on signals.

export { createGatewayLogger, type GatewayLoggerOptions } from './node/create-logger.js';
export { DailyFileStream, type DailyFileStreamOptions } from './node/daily-file-stream.js';
export { DEFAULT_CONFIG_YAML } from './node/default-config.js';
export {
  type RedisLimiterStore,
  type RedisLimiterStoreOptions,
  redisLimiterStore,
} from './node/redis-limiter-store.js';
export { type RunningGateway, type StartGatewayOptions, startGateway } from './node/start-gateway.js';
