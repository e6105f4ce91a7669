import type { Attempt } from '../errors/attempt.js';
import type { ChatRequest } from '../spec/chat-request.js';
import type { ModelPricing } from '../spec/model-pricing.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import type { UsageDispatcher } from '../usage/usage-dispatcher.js';
import type { AttemptWrapper } from './attempt-wrapper.js';
import type { RetryPolicy } from './backoff.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { HealthCache } from './health-cache.js';
import type { Logger } from './logger.js';
import type { ProviderMetrics } from './provider-metrics.js';
import type { RouteOptions } from './route-options.js';
import type { RouterEventEmitter } from './router-events.js';
import type { RoutingStrategy } from './routing-strategy.js';
import type { WarningHandler } from './warnings.js';

/**
 * Metrics and breaker of one registered provider. Attempts hold a reference to the state they started with,
 * so a provider replaced while its requests run never receives their late results.
 */
export interface ProviderState {
  metrics: ProviderMetrics;
  breaker: CircuitBreaker | undefined;
}

/** What the request executor needs from the router; keeps the loop testable and the router small. */
export interface RouterRuntime {
  readonly strategy: RoutingStrategy;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  readonly firstChunkTimeoutMs: number | undefined;
  readonly idleTimeoutMs: number;
  readonly deadlineMs: number | undefined;
  readonly events: RouterEventEmitter;
  readonly usage: UsageDispatcher;
  readonly logger: Logger | undefined;
  readonly warn: WarningHandler;
  readonly health: HealthCache;
  readonly tenantId: string | undefined;
  readonly platformKeyId: string | undefined;
  readonly defaultCompletionTokens: number;
  readonly sessionCost: Record<string, number>;
  /** Run around each provider call (`router.wrapAttempts`); empty unless something registered one. */
  readonly attemptWrappers: readonly AttemptWrapper[];
  random(): number;
  stateFor(provider: ProviderV1): ProviderState;
  pricingFor(provider: ProviderV1): ModelPricing | undefined;
}

/** One routed request as it runs. */
export interface RequestContext {
  readonly requestId: string;
  readonly streaming: boolean;
  /** The request providers get (without signal; each attempt adds its own). */
  readonly request: ChatRequest;
  readonly options: RouteOptions;
  /** Aborts on the caller's signal or the deadline; undefined when the request has neither. */
  readonly signal: AbortSignal | undefined;
  readonly deadlineAt: number | undefined;
  readonly startedAt: number;
  /**
   * Starts the request's clock and deadline timer. Called when the work starts (a stream's when it is first
   * read), so a stream nobody reads holds no timer.
   */
  begin(): void;
  readonly attempts: Attempt[];
  readonly tenantId: string | undefined;
  readonly platformKeyId: string | undefined;
  isDeadlineExceeded(): boolean;
  isCallerAborted(): boolean;
  /** Stops the deadline timer and detaches from the caller's signal. */
  dispose(): void;
}
