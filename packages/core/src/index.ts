// @llmo/core: the provider contract, the router and its strategies, metrics, usage and cost. Edge-safe.
export type * from './spec/index.js';
export { toMessages } from './spec/chat-message.js';
export { isContentPart } from './spec/stream-part.js';

export { LlmoError } from './errors/llmo-error.js';
export { ProviderError, type ProviderErrorOptions } from './errors/provider-error.js';
export { type ErrorKind, RETRYABLE_KINDS, CALLER_KINDS } from './errors/error-kind.js';
export { RouteFailedError, type RouteFailureReason } from './errors/route-failed-error.js';
export { StreamInterruptedError } from './errors/stream-interrupted-error.js';
export { RouterError, type RouterErrorCode } from './errors/router-error.js';
export { type Attempt, formatAttempts } from './errors/attempt.js';

export { BaseRouter, type ProviderMetricsView } from './router/base-router.js';
export { Router, type RouterOptions } from './router/router.js';
export type { BaseRouterOptions } from './router/router-options.js';
export type { RouteOptions, Capability } from './router/route-options.js';
export type { RouteResult } from './router/route-result.js';
export { RouteStream } from './router/route-stream.js';
export type { RoutingStrategy, StrategyContext } from './router/routing-strategy.js';
export { STRATEGY_NAMES, type StrategyName } from './router/strategy-names.js';
export { roundRobin } from './router/strategies/round-robin.js';
export { random } from './router/strategies/random.js';
export { firstAvailable } from './router/strategies/first-available.js';
export { bestAvailable } from './router/strategies/best-available.js';
export { leastLatency } from './router/strategies/least-latency.js';
export { weighted, type WeightedOptions } from './router/strategies/weighted.js';
export { costAware, type CostAwareOptions } from './router/strategies/cost-aware.js';
export {
  HEALTH_THRESHOLDS,
  ProviderMetrics,
  type HealthStatus,
  type ProviderMetricsSnapshot,
} from './router/provider-metrics.js';
export { CircuitBreaker, type CircuitState, type CircuitBreakerOptions } from './router/circuit-breaker.js';
export type { RetryPolicy } from './router/backoff.js';
export type {
  RouterEvent,
  RouterEventListener,
  RouterEventMap,
  RouterEventName,
} from './router/router-events.js';
export type { Logger } from './router/logger.js';
export type { WarningHandler } from './router/warnings.js';

export { toUsagePayload, type UsageRecord } from './usage/usage-record.js';
export type { UsageCallback } from './usage/usage-dispatcher.js';
export { DEFAULT_PRICES } from './cost/default-prices.js';
export { computeCost, resolvePricing } from './cost/resolve-pricing.js';
export { estimateTokens, estimatePromptTokens } from './cost/estimate-tokens.js';
export { resolveUsage } from './cost/resolve-usage.js';
