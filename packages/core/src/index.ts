// @llmo/core: the provider contract, the router and its strategies, metrics, usage and cost. Edge-safe.

export { DEFAULT_PRICES } from './cost/default-prices.js';
export { estimatePromptTokens, estimateTokens } from './cost/estimate-tokens.js';
export { computeCost, resolvePricing } from './cost/resolve-pricing.js';
export { resolveUsage } from './cost/resolve-usage.js';
export { type Attempt, formatAttempts } from './errors/attempt.js';
export { CALLER_KINDS, type ErrorKind, RETRYABLE_KINDS } from './errors/error-kind.js';
export { LlmoError } from './errors/llmo-error.js';
export { ModelNotFoundError, type ModelNotFoundErrorOptions } from './errors/model-not-found-error.js';
export { ProviderError, type ProviderErrorOptions } from './errors/provider-error.js';
export { RouteFailedError, type RouteFailureReason } from './errors/route-failed-error.js';
export { RouterError, type RouterErrorCode, type RouterErrorIssue } from './errors/router-error.js';
export { StreamInterruptedError } from './errors/stream-interrupted-error.js';
export type { AttemptInfo, AttemptWrapper } from './router/attempt-wrapper.js';
export type { RetryPolicy } from './router/backoff.js';
export { BaseRouter, type CloseReport, type ProviderMetricsView } from './router/base-router.js';
export {
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitPermit,
  type CircuitState,
} from './router/circuit-breaker.js';
export { createStrategy } from './router/create-strategy.js';
export type { StreamCommitment } from './router/execute-stream.js';
export type { Logger } from './router/logger.js';
export type { ListModelsOptions, ProviderModelList } from './router/model-list-cache.js';
export {
  HEALTH_THRESHOLDS,
  type HealthStatus,
  ProviderMetrics,
  type ProviderMetricsSnapshot,
} from './router/provider-metrics.js';
export type { Capability, RouteOptions } from './router/route-options.js';
export type { RouteResult } from './router/route-result.js';
export { RouteStream } from './router/route-stream.js';
export { Router, type RouterOptions } from './router/router.js';
export type {
  RequestSettings,
  RouterEvent,
  RouterEventListener,
  RouterEventMap,
  RouterEventName,
} from './router/router-events.js';
export type { BaseRouterOptions } from './router/router-options.js';
export type { RoutingStrategy, StrategyContext } from './router/routing-strategy.js';
export { bestAvailable, type LatencyStrategyOptions } from './router/strategies/best-available.js';
export { type CostAwareOptions, costAware } from './router/strategies/cost-aware.js';
export { firstAvailable } from './router/strategies/first-available.js';
export { leastLatency } from './router/strategies/least-latency.js';
export { random } from './router/strategies/random.js';
export { roundRobin } from './router/strategies/round-robin.js';
export { type WeightedOptions, weighted } from './router/strategies/weighted.js';
export { STRATEGY_NAMES, type StrategyName } from './router/strategy-names.js';
export type { WarningHandler } from './router/warnings.js';
export { toMessages } from './spec/chat-message.js';
export type * from './spec/index.js';
export { isContentPart, type ReadyParts, readyPartsOf } from './spec/stream-part.js';
export { MemoryUsageStore } from './usage/memory-usage-store.js';
export type { UsageDeliveryOptions } from './usage/usage-delivery-options.js';
export type { UsageBatchCallback, UsageCallback } from './usage/usage-dispatcher.js';
export type { UsageCloseReport, UsageDeliveryEvent, UsageStats } from './usage/usage-events.js';
export { createUsageRecordId, toUsagePayload, type UsageRecord } from './usage/usage-record.js';
export type { UsageStore } from './usage/usage-store.js';
