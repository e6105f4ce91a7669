import { estimatePromptTokens } from '../cost/estimate-tokens.js';
import { computeCost, resolvePricing } from '../cost/resolve-pricing.js';
import { RouteFailedError } from '../errors/route-failed-error.js';
import { RouterError } from '../errors/router-error.js';
import { type Prompt, toMessages } from '../spec/chat-message.js';
import type { ChatRequest } from '../spec/chat-request.js';
import type { ModelPricing } from '../spec/model-pricing.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import { UsageDispatcher } from '../usage/usage-dispatcher.js';
import { applyRouteHints } from './apply-route-hints.js';
import { AttemptScope } from './attempt-scope.js';
import type { RetryPolicy } from './backoff.js';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.js';
import { executeGenerate } from './execute-generate.js';
import { executeStream } from './execute-stream.js';
import { HealthCache } from './health-cache.js';
import { ProviderMetrics, type ProviderMetricsSnapshot } from './provider-metrics.js';
import { createRandom } from './random-source.js';
import { type RouteOptions, routeOptionsSchema } from './route-options.js';
import type { RouteResult } from './route-result.js';
import { RouteStream } from './route-stream.js';
import {
  type RouterEvent,
  RouterEventEmitter,
  type RouterEventListener,
  type RouterEventName,
} from './router-events.js';
import { type BaseRouterOptions, baseRouterOptionsSchema, validateOptions } from './router-options.js';
import type { ProviderState, RequestContext, RouterRuntime } from './router-runtime.js';
import type { StrategyContext } from './routing-strategy.js';
import { printWarning, type WarningHandler } from './warnings.js';

export type ProviderMetricsView = ProviderMetricsSnapshot & { circuit: CircuitState };

let requestCounter = 0;

/**
 * The router without strategy names: give it a strategy object (`roundRobin()`, `bestAvailable()`…), and a
 * bundle carries only that strategy. `Router` adds names ('best-available') on top.
 */
export class BaseRouter {
  /** Replaced (never mutated) on every change, so requests in flight keep the list they started with. */
  private providers: readonly ProviderV1[] = [];
  private readonly states = new Map<string, ProviderState>();
  private readonly runtime: RouterRuntime;
  private readonly events: RouterEventEmitter;
  private readonly usage: UsageDispatcher;
  private readonly warnedPrices = new Set<string>();
  private readonly breakerOptions: { failureThreshold: number; cooldownMs: number } | undefined;
  private closed = false;

  constructor(options: BaseRouterOptions) {
    const o = validateOptions(
      baseRouterOptionsSchema,
      options,
      'Invalid Router options',
    ) as BaseRouterOptions;
    const warn: WarningHandler = o.onWarning === false ? () => {} : (o.onWarning ?? printWarning);
    const retry: RetryPolicy = {
      maxRetries: 2,
      initialDelayMs: 250,
      maxDelayMs: 8_000,
      factor: 2,
      maxRetryAfterMs: 30_000,
      ...o.retry,
    };
    this.breakerOptions =
      o.circuitBreaker === false
        ? undefined
        : { failureThreshold: 5, cooldownMs: 30_000, ...o.circuitBreaker };
    this.events = new RouterEventEmitter((error) =>
      warn({ code: 'event-listener-failed', message: `A router event listener threw: ${String(error)}` }),
    );
    this.usage = new UsageDispatcher({
      callback: o.usageCallback,
      url: o.callbackUrl,
      headers: o.callbackHeaders,
      timeoutMs: o.callbackTimeoutMs ?? 5_000,
      fetch: o.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      warn,
    });
    const random = createRandom(o.seed);
    const prices = o.prices;
    this.runtime = {
      strategy: o.strategy,
      retry,
      timeoutMs: o.timeoutMs ?? 60_000,
      deadlineMs: o.deadlineMs,
      events: this.events,
      usage: this.usage,
      logger: o.logger,
      warn,
      health: new HealthCache(o.healthCheck?.ttlMs ?? 30_000, o.healthCheck?.timeoutMs ?? 5_000),
      tenantId: o.tenantId,
      platformKeyId: o.platformKeyId,
      defaultCompletionTokens: o.defaultCompletionTokens ?? 256,
      sessionCost: {},
      random,
      stateFor: (provider) => this.stateFor(provider),
      pricingFor: (provider) => this.pricingFor(provider, prices),
    };
  }

  /** Adds a provider. Throws when its name is taken or its specification version is unknown. */
  addProvider(provider: ProviderV1): this {
    this.assertOpen();
    assertProvider(provider);
    if (this.providers.some((p) => p.name === provider.name)) {
      throw new RouterError({
        code: 'duplicate-provider',
        message: `A provider named "${provider.name}" is already registered; names must be unique. Give it another name or call removeProvider("${provider.name}") first.`,
      });
    }
    this.providers = [...this.providers, provider];
    this.states.set(provider.name, this.newState(provider));
    return this;
  }

  /** Removes a provider and its metrics. Requests in flight on it finish. Returns whether it existed. */
  removeProvider(name: string): boolean {
    const before = this.providers.length;
    this.providers = this.providers.filter((p) => p.name !== name);
    this.states.delete(name);
    this.runtime.health.forget(name);
    return this.providers.length !== before;
  }

  /**
   * Replaces the whole provider set at once. An empty list or duplicate names are rejected and the old set
   * stays. Requests in flight finish on the providers they started with. With `preserveMetrics`, metrics
   * of providers whose name stays are kept (a model change under the same name is warned about); metrics
   * of removed providers are dropped.
   */
  async updateProviders(
    providers: readonly ProviderV1[],
    options: { preserveMetrics?: boolean } = {},
  ): Promise<void> {
    this.assertOpen();
    if (!Array.isArray(providers) || providers.length === 0) {
      throw new RouterError({
        code: 'no-providers',
        message: 'updateProviders() needs at least one provider; the current set is unchanged.',
      });
    }
    providers.forEach(assertProvider);
    const names = providers.map((p) => p.name);
    const duplicates = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
    if (duplicates.length > 0) {
      throw new RouterError({
        code: 'duplicate-provider',
        message: `updateProviders() got duplicate names: ${duplicates.map((d) => `"${d}"`).join(', ')}; the current set is unchanged.`,
      });
    }
    const old = new Map(this.providers.map((p) => [p.name, p]));
    const states = new Map<string, ProviderState>();
    for (const provider of providers) {
      const previous = old.get(provider.name);
      const kept = options.preserveMetrics ? this.states.get(provider.name) : undefined;
      if (kept && previous && previous.model !== provider.model) {
        const message = `Provider "${provider.name}" changed model ${previous.model} → ${provider.model}; its metrics were kept and mix both models.`;
        this.runtime.logger?.warn(
          {
            event: 'provider_model_changed',
            provider: provider.name,
            from: previous.model,
            to: provider.model,
          },
          message,
        );
        this.runtime.warn({ code: 'model-changed', message });
      }
      if (kept) kept.metrics.model = provider.model;
      states.set(provider.name, kept ?? this.newState(provider));
      if (previous !== provider) this.runtime.health.forget(provider.name);
    }
    this.states.clear();
    for (const [name, state] of states) this.states.set(name, state);
    this.providers = [...providers];
  }

  /** The registered providers, in registration order. */
  getProviders(): readonly ProviderV1[] {
    return this.providers;
  }

  /** A plain snapshot of every provider's metrics, keyed by provider name. */
  getMetrics(): Record<string, ProviderMetricsView> {
    const out: Record<string, ProviderMetricsView> = {};
    for (const provider of this.providers) {
      const state = this.stateFor(provider);
      out[provider.name] = { ...state.metrics.snapshot(), circuit: state.breaker?.state ?? 'closed' };
    }
    return out;
  }

  /** Total cost of successful attempts since the router was created, per currency (never summed across). */
  getSessionCost(): Record<string, number> {
    return { ...this.runtime.sessionCost };
  }

  /** Subscribes to a lifecycle event (or `'*'` for all); returns the unsubscribe function. */
  on<K extends RouterEventName>(type: K, listener: RouterEventListener<K>): () => void;
  on(type: '*', listener: (event: RouterEvent) => void): () => void;
  on(type: RouterEventName | '*', listener: (event: never) => void): () => void {
    return this.events.on(type, listener as (event: RouterEvent) => void);
  }

  /** Sends a prompt through the strategy's order with retries and fallback; resolves with the first success. */
  async route(prompt: Prompt, options: RouteOptions = {}): Promise<RouteResult> {
    const context = this.createContext(prompt, options, false);
    try {
      const order = await this.orderFor(context);
      return await executeGenerate(this.runtime, context, order);
    } finally {
      context.dispose();
    }
  }

  /**
   * Streams a prompt. Iterate it for text deltas, `.parts` for typed parts, `await .result` for the final
   * result. Falls back to the next provider only before the first chunk.
   */
  routeStream(prompt: Prompt, options: RouteOptions = {}): RouteStream {
    const context = this.createContext(prompt, options, true);
    return new RouteStream((settle) =>
      executeStream(this.runtime, context, () => this.orderFor(context), settle),
    );
  }

  /** Waits until every usage record delivered so far has been handed to its sink. */
  flushUsage(): Promise<void> {
    return this.usage.flush();
  }

  /** Flushes pending usage deliveries and refuses new requests. Safe to call twice. */
  async close(): Promise<void> {
    this.closed = true;
    await this.usage.flush();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private assertOpen(): void {
    if (this.closed)
      throw new RouterError({ code: 'closed', message: 'This router is closed; create a new one.' });
  }

  private newState(provider: ProviderV1): ProviderState {
    const breaker = this.breakerOptions
      ? new CircuitBreaker(this.breakerOptions, Date.now, (from, to) =>
          this.events.emit('circuit-state-change', { provider: provider.name, from, to }),
        )
      : undefined;
    return { metrics: new ProviderMetrics(provider.name, provider.model), breaker };
  }

  private stateFor(provider: ProviderV1): ProviderState {
    const state = this.states.get(provider.name);
    // A provider removed while its request was in flight records into a detached state that is then dropped.
    return state ?? this.newState(provider);
  }

  private pricingFor(provider: ProviderV1, prices: BaseRouterOptions['prices']): ModelPricing | undefined {
    const pricing = resolvePricing(provider, prices);
    const key = `${provider.providerType}/${provider.model}`;
    if (!pricing && !this.warnedPrices.has(key)) {
      this.warnedPrices.add(key);
      this.runtime.warn({
        code: 'unknown-price',
        message: `No price known for ${key}; its cost is reported as 0. Pass prices: { '${provider.providerType}': { '${provider.model}': { inputPer1K, outputPer1K, currency } } } to the Router.`,
      });
    }
    return pricing;
  }

  private createContext(prompt: Prompt, rawOptions: RouteOptions, streaming: boolean): RequestContext {
    this.assertOpen();
    if (typeof prompt === 'string' ? prompt.trim() === '' : !Array.isArray(prompt) || prompt.length === 0) {
      throw new RouterError({
        code: 'invalid-options',
        message: 'The prompt is empty: pass a non-empty string or at least one message.',
      });
    }
    // Skip the parse on the hot path when no options were given.
    const options =
      rawOptions === undefined || (rawOptions.constructor === Object && Object.keys(rawOptions).length === 0)
        ? ({} as RouteOptions)
        : (validateOptions(routeOptionsSchema, rawOptions, 'Invalid route options') as RouteOptions);
    const {
      signal: callerSignal,
      headers,
      preferredProvider,
      excludeProviders,
      requiredCapabilities,
      maxCost,
      timeoutMs,
      deadlineMs,
      tenantId,
      platformKeyId,
      ...settings
    } = options;
    const request: ChatRequest = { ...settings, messages: toMessages(prompt), headers };
    const deadlineTotal = deadlineMs ?? this.runtime.deadlineMs;
    // A scope only when there is a deadline; otherwise attempts follow the caller's signal directly.
    const deadline =
      deadlineTotal !== undefined
        ? new AttemptScope(callerSignal, deadlineTotal, () => new Error('deadline'))
        : undefined;
    return {
      requestId: `req_${Date.now().toString(36)}_${(++requestCounter).toString(36)}`,
      streaming,
      request,
      options,
      signal: deadline?.signal ?? callerSignal,
      deadlineAt: deadlineTotal !== undefined ? Date.now() + deadlineTotal : undefined,
      startedAt: performance.now(),
      attempts: [],
      tenantId: tenantId ?? this.runtime.tenantId,
      platformKeyId: platformKeyId ?? this.runtime.platformKeyId,
      isCallerAborted: () => callerSignal?.aborted === true,
      isDeadlineExceeded: () => deadline?.timedOut === true && callerSignal?.aborted !== true,
      dispose: () => deadline?.dispose(),
    };
  }

  private async orderFor(context: RequestContext): Promise<ProviderV1[]> {
    const providers = this.providers;
    if (providers.length === 0) {
      throw new RouteFailedError({
        reason: 'no-candidates',
        attempts: [],
        detail: 'no providers registered; call addProvider() first',
      });
    }
    let promptTokens: number | undefined;
    const estimateCost = (provider: ProviderV1) => {
      promptTokens ??= estimatePromptTokens(context.request.messages);
      const completionTokens = context.request.maxTokens ?? this.runtime.defaultCompletionTokens;
      return computeCost({ promptTokens, completionTokens }, this.runtime.pricingFor(provider));
    };
    const strategyContext: StrategyContext = {
      streaming: context.streaming,
      metrics: (provider) => this.stateFor(provider).metrics,
      isHealthy: (provider) => this.runtime.health.check(provider),
      estimateCost,
      random: () => this.runtime.random(),
    };
    const ordered = await this.runtime.strategy.order(providers, strategyContext);
    const order = applyRouteHints(ordered, context.options, estimateCost);
    if (this.events.has('route-start'))
      this.events.emit('route-start', {
        requestId: context.requestId,
        streaming: context.streaming,
        candidates: order.map((p) => p.name),
      });
    if (order.length === 0) {
      throw new RouteFailedError({
        reason: 'no-candidates',
        attempts: [],
        detail: 'the request hints excludeProviders, requiredCapabilities or maxCost left none',
      });
    }
    return order;
  }
}

function assertProvider(provider: ProviderV1): void {
  const p = provider as Partial<ProviderV1> | undefined;
  if (!p || typeof p !== 'object') {
    throw new RouterError({
      code: 'invalid-options',
      message: 'A provider must be an object created by a provider factory such as createMockProvider().',
    });
  }
  if (p.specificationVersion !== 'v1') {
    throw new RouterError({
      code: 'unsupported-specification',
      message: `Provider "${String(p.name)}" implements specification "${String(p.specificationVersion)}", but this @llmo/core supports "v1". Upgrade @llmo/core or use a provider release built for v1.`,
    });
  }
  if (typeof p.name !== 'string' || p.name.trim() === '') {
    throw new RouterError({ code: 'invalid-options', message: 'A provider needs a non-empty `name`.' });
  }
  for (const method of ['generate', 'stream', 'healthCheck'] as const) {
    if (typeof p[method] !== 'function') {
      throw new RouterError({
        code: 'invalid-options',
        message: `Provider "${p.name}" has no ${method}() method; it does not implement ProviderV1.`,
      });
    }
  }
}
