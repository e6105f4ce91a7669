import type { ModelPricing, StrategyName } from '@llmo/core';
import type { ProviderType } from './provider-packages.js';

/**
 * `router:`: the Router's options that a file can hold, passed to `new Router()` and validated by it. Usage
 * delivery lives under `usage:`; functions (logger, onWarning, fetch) are given in code.
 */
export interface RouterConfig {
  /** Default `round-robin`. */
  strategy?: StrategyName;
  /** For `weighted`: weight per provider name. */
  weights?: Record<string, number>;
  retry?: {
    maxRetries?: number;
    initialDelayMs?: number;
    maxDelayMs?: number;
    factor?: number;
    maxRetryAfterMs?: number;
    maxPasses?: number;
  };
  timeoutMs?: number;
  firstChunkTimeoutMs?: number;
  idleTimeoutMs?: number;
  exploration?: number;
  deadlineMs?: number;
  circuitBreaker?: false | { failureThreshold?: number; cooldownMs?: number };
  healthCheck?: { ttlMs?: number; timeoutMs?: number };
  /** Price overrides by provider type and model: `{ openai: { gpt-4o: { inputPer1K, outputPer1K, currency } } }`. */
  prices?: Record<string, Record<string, ModelPricing>>;
  tenantId?: string;
  platformKeyId?: string;
  seed?: number;
  defaultCompletionTokens?: number;
}

/** A fallback model: its id, or its id with its own prices. */
export type FallbackModel = string | { model: string; pricing?: ModelPricing };

/**
 * One entry of `providers:`. `name`, `type`, `model`, `fallbackModels` and `enabled` are the configuration's;
 * every other key is a setting of the provider's factory (`apiKey`, `baseURL`, `headers`, `timeoutMs`,
 * `pricing`, `capabilities`, and the provider's own), checked by that factory.
 */
export interface ProviderConfig {
  name: string;
  type: ProviderType;
  model: string;
  /** Models tried in order after `model` fails, on the same endpoint: one provider each, `<name>/<model>`. */
  fallbackModels?: FallbackModel[];
  /** `false` leaves the provider out (e.g. in one environment's overlay). Default true. */
  enabled?: boolean;
  [setting: string]: unknown;
}

/** `defaults:`: what a request that names no provider or model uses. */
export interface DefaultsConfig {
  /** A provider `name` (or an expanded `<name>/<model>`). */
  provider?: string;
  /** One of that provider's models (its `model` or a fallback model); with no provider, any configured model. */
  model?: string;
}

/** `usage:`: where usage records go. */
export interface UsageConfig {
  /** POST each usage record (snake_case JSON) to this http(s) URL, through core's HTTP sink. */
  callbackUrl?: string;
  callbackHeaders?: Record<string, string>;
  /** Default 5000. */
  callbackTimeoutMs?: number;
  /** Core's `usageDelivery`: `{ batchSize, maxBatchWaitMs, concurrency, maxQueueSize, retry }`. */
  delivery?: {
    batchSize?: number;
    maxBatchWaitMs?: number;
    concurrency?: number;
    maxQueueSize?: number;
    retry?: { maxAttempts?: number; initialDelayMs?: number; maxDelayMs?: number };
  };
  /** Append one JSON line per usage record to this file (Node entry only); relative to the config file. */
  costLog?: string;
}

/** One API key of the gateway. Give `key` (the secret itself) or `keyHash` (`sha256:<hex>` of it). */
export interface GatewayKeyConfig {
  key?: string;
  keyHash?: string;
  /** Carried into usage records as the tenant id. */
  tenant: string;
  /** A label for logs (the key itself is never logged). */
  name?: string;
  /** Requests per minute; unset: no limit. */
  rpm?: number;
  /** Tokens per minute; unset: no limit. */
  tpm?: number;
  /** Provider names or model ids this key may use; unset: all. */
  models?: string[];
  /**
   * May read every tenant's data: `/stats` and the dashboard. When keys are configured, only admin keys may;
   * unset: false.
   */
  admin?: boolean;
}

export interface GatewayCorsConfig {
  /** Allowed origins, or `"*"`. */
  origins: string[] | '*';
  methods?: string[];
  headers?: string[];
  credentials?: boolean;
  maxAgeSeconds?: number;
}

export interface GatewayLogsConfig {
  /** Default `logs` (relative to the config file). */
  dir?: string;
  /** Default `info`. */
  level?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  /** Default true. */
  stdout?: boolean;
  /** Write `dir/app.log`, rolled daily. Default true. */
  file?: boolean;
  /** Rolled files kept; unset: all. */
  retentionDays?: number;
}

export interface GatewayLimitsConfig {
  /** Largest request body. Default 1048576 (1 MiB). */
  maxBodyBytes?: number;
  /** Time allowed per request, retries and fallbacks included. Unset: the router's deadline. */
  requestTimeoutMs?: number;
  /** How long SIGTERM waits for requests in flight. Default 10000. */
  shutdownTimeoutMs?: number;
  /** Requests served at once; past it, 503. Unset: no limit. */
  maxConcurrentRequests?: number;
}

/** `gateway.redis:`: state shared by every gateway process (today: the per-key rate limit windows). */
export interface GatewayRedisConfig {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS); usually `${REDIS_URL}`. */
  url: string;
  /** Prepended to every key the gateway writes. Default `llmo:gateway:`. */
  keyPrefix?: string;
}

/** `gateway:`: the HTTP service's settings (read by `@llmo/gateway`; nothing here serves them). */
export interface GatewayConfig {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 8000. */
  port?: number;
  /** API keys; with none, the gateway asks for no key. */
  keys?: GatewayKeyConfig[];
  /** Answered by `/chat/fallback` when every provider fails. */
  defaultMessage?: string;
  cors?: GatewayCorsConfig;
  logs?: GatewayLogsConfig;
  limits?: GatewayLimitsConfig;
  /** Shares the rate limit windows between gateway processes; unset: each process counts alone. */
  redis?: GatewayRedisConfig;
}

/** A whole configuration, as `parseConfig` / `loadConfig` return it (validated, `${VAR}` replaced). */
export interface LlmoConfig {
  router?: RouterConfig;
  providers: ProviderConfig[];
  defaults?: DefaultsConfig;
  usage?: UsageConfig;
  gateway?: GatewayConfig;
}
