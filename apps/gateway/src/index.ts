// @llmo/gateway: llmo as an HTTP service. This entry is the web-standard app (Hono), mountable anywhere;
// files, logs, signals and the server are in `@llmo/gateway/node`.

export { type ApiKeyEntry, ApiKeys, presentedKey } from './api-keys.js';
export { createGateway, type Gateway, type GatewayOptions } from './create-gateway.js';
export type { GatewayEnv } from './gateway-env.js';
export { GatewayHttpError, type OpenAIErrorType } from './gateway-http-error.js';
export { BUILT_IN_DEFAULT_MESSAGE, type GatewaySettings } from './gateway-settings.js';
export type { GatewayStatsSnapshot } from './gateway-stats.js';
export {
  type LimiterSpec,
  type LimiterStore,
  memoryLimiterStore,
} from './key-limits.js';
export { type ChatCompletionRequest, chatCompletionRequestSchema } from './openai-schemas.js';
export type { RequestLogger, RequestLogLine } from './request-logger.js';
export { type MetricsSource, readiness } from './routes/ops-routes.js';
export { AUTO_MODEL } from './select-providers.js';
