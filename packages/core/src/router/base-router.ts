import { estimatePromptTokens } from '../cost/estimate-tokens.js';
import { computeCost, resolvePricing } from '../cost/resolve-pricing.js';
import { RouteFailedError } from '../errors/route-failed-error.js';
import { RouterError } from '../errors/router-error.js';
import { onAbort } from '../provider-utils/on-abort.js';
import { type ChatMessage, type Prompt, toMessages } from '../spec/chat-message.js';
import type { ChatRequest } from '../spec/chat-request.js';
import type { ModelPricing } from '../spec/model-pricing.js';
import type { ModelInfo, ProviderV1 } from '../spec/provider-v1.js';
import type { UsageCloseReport, UsageDeliveryEvent, UsageStats } from '../usage/usage-dispatcher.js';
import { UsageDispatcher } from '../usage/usage-dispatcher.js';
import { applyRouteHints, describeRemovals, type HintRemoval } from './apply-route-hints.js';
import { AttemptScope } from './attempt-scope.js';
import type { AttemptWrapper } from './attempt-wrapper.js';
import type { RetryPolicy } from './backoff.js';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.js';
import { emitRouteFailure, executeGenerate } from './execute-generate.js';
import { executeStream, type StreamHooks } from './execute-stream.js';
import { HealthCache } from './health-cache.js';
import { type ListModelsOptions, ModelListCache, type ProviderModelList } from './model-list-cache.js';
import { checkMessages } from './prompt-check.js';
import { messagesSchema } from './prompt-schema.js';
import { ProviderMetrics, type ProviderMetricsSnapshot } from './provider-metrics.js';
import { createRandom } from './random-source.js';
import { type RouteOptions, routeOptionsSchema } from './route-options.js';
import { checkRouteOptions } from './route-options-check.js';
import type { RouteResult } from './route-result.js';
import { RouteStream } from './route-stream.js';
import {
  type RequestSettings,
  type RouterEvent,
  RouterEventEmitter,
  type RouterEventListener,
  type RouterEventName,
} from './router-events.js';
import {
  type BaseRouterOptions,
  baseRouterOptionsSchema,
  isStrategyOnly,
  validateOptions,
} from './router-options.js';
import type { ProviderState, RequestContext, RouterRuntime } from './router-runtime.js';
import type { StrategyContext } from './routing-strategy.js';
import { stoppedError } from './run-attempts.js';
import { printWarning, type WarningHandler } from './warnings.js';

export type ProviderMetricsView = ProviderMetricsSnapshot & { circuit: CircuitState };

/** What `close()` reports: whether everything finished in time, and what was still open if not. */
export interface CloseReport {
  /** True when every request in flight ended and every usage record was delivered (or given up) in time. */
  drained: boolean;
  /** Requests still running when the timeout elapsed. */
  requestsInFlight: number;
  usage: UsageCloseReport;
}

let requestCounter = 0;
const NO_REMOVALS: readonly HintRemoval[] = [];

/**
 * The router without strategy names: give it a strategy object (`roundRobin()`, `bestAvailable()`…), and a
 * bundle carries only that strategy. `Router` adds names ('best-available') on top.
 */
export class BaseRouter {
  /** Replaced (never mutated) on every change, so requests in flight keep the list they started with. */
  private providers: readonly ProviderV1[] = [];
  /** Keyed by name, but a state belongs to the provider object it was made for (see `stateFor`). */
  private readonly states = new Map<string, { provider: ProviderV1; state: ProviderState }>();
  private readonly runtime: RouterRuntime;
  private readonly events: RouterEventEmitter;
  private readonly usage: UsageDispatcher;
  private readonly warnedPrices = new Set<string>();
  private readonly modelLists = new ModelListCache();
  private readonly breakerOptions: { failureThreshold: number; cooldownMs: number } | undefined;
  private closed = false;
  private inFlight = 0;
  /** Resolves when the last request in flight ends, once `close()` waits for it. */
  private idle: Promise<void> | undefined;
  private wakeIdle: (() => void) | undefined;

  constructor(options: BaseRouterOptions) {
    const o = isStrategyOnly(options)
      ? options
      : (validateOptions(baseRouterOptionsSchema(), options, 'Invalid Router options') as BaseRouterOptions);
    const warn: WarningHandler = o.onWarning === false ? () => {} : (o.onWarning ?? printWarning);
    const retry: RetryPolicy = {
      maxRetries: 2,
      initialDelayMs: 250,
      maxDelayMs: 8_000,
      factor: 2,
      maxRetryAfterMs: 30_000,
      maxPasses: 3,
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
      ...o.usageDelivery,
      callback: o.usageCallback,
      url: o.callbackUrl,
      headers: o.callbackHeaders,
      timeoutMs: o.callbackTimeoutMs ?? 5_000,
      fetch: o.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      warn,
      onEvent: (event) => this.emitUsageEvent(event),
    });
    const random = createRandom(o.seed);
    const prices = o.prices;
    this.runtime = {
      strategy: o.strategy,
      retry,
      timeoutMs: o.timeoutMs ?? 60_000,
      firstChunkTimeoutMs: o.firstChunkTimeoutMs,
      idleTimeoutMs: o.idleTimeoutMs ?? 30_000,
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
      attemptWrappers: this.attemptWrappers,
      random,
      stateFor: (provider) => this.stateFor(provider),
      pricingFor: (provider) => this.pricingFor(provider, prices),
    };
    this.exploration = o.exploration ?? 0.05;
  }

  private readonly exploration: number;
  /** See `wrapAttempts`; the runtime reads the same array. */
  private readonly attemptWrappers: AttemptWrapper[] = [];

  /**
   * Runs `wrapper` around each provider call from now on (`generate()`, or `stream()` and its reads up to the
   * first content part), with the attempt's request id, provider, model and retry; returns the function that
   * removes it. For instrumentation that must be in effect inside the provider call, such as a tracer making the
   * attempt's span the active one so HTTP client spans nest under it (`@llmo/otel` does). The wrapper must call
   * `run` once; one that throws or never calls it cannot break the request (the router warns).
   */
  wrapAttempts(wrapper: AttemptWrapper): () => void {
    if (typeof wrapper !== 'function') {
      throw new RouterError({
        code: 'invalid-options',
        message: 'wrapAttempts(wrapper): pass a function (info, run) => run()',
      });
    }
    const entry: AttemptWrapper = (info, run) => wrapper(info, run);
    this.attemptWrappers.push(entry);
    return () => {
      const index = this.attemptWrappers.indexOf(entry);
      if (index !== -1) this.attemptWrappers.splice(index, 1);
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
    this.states.set(provider.name, { provider, state: this.newState(provider) });
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
   * Replaces the whole provider set at once, synchronously: it throws a `RouterError` (an empty list,
   * duplicate names, a closed router) and leaves the old set in place, or returns with the new set active.
   * Requests in flight finish on the providers they started with, and their results are recorded on the
   * states they started with, never on a replacement of the same name. With `preserveMetrics`, the state
   * (metrics and circuit) of providers whose name stays is carried over to the new object (a model change
   * under the same name is warned about); states of removed providers are dropped.
   */
  updateProviders(providers: readonly ProviderV1[], options: { preserveMetrics?: boolean } = {}): void {
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
    const states = new Map<string, { provider: ProviderV1; state: ProviderState }>();
    for (const provider of providers) {
      const previous = old.get(provider.name);
      const kept =
        previous === provider || options.preserveMetrics ? this.states.get(provider.name)?.state : undefined;
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
      states.set(provider.name, { provider, state: kept ?? this.newState(provider) });
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

  /**
   * The models a provider's endpoint offers (`GET /v1/models` and the like), fetched once per provider and
   * cached; `{ refresh: true }` asks again. With a name, resolves with that provider's list and rejects with
   * a `RouterError` when no provider has that name (`unknown-provider`) or it cannot list models
   * (`models-unavailable`), or with the provider's own error when the listing fails. Without a name,
   * resolves with one entry per provider, in registration order, whose `status` says whether it was
   * `listed`, is `unsupported` (the provider has no `listModels`) or `failed` (with the `error`).
   */
  listModels(provider: string, options?: ListModelsOptions): Promise<ModelInfo[]>;
  listModels(provider?: undefined, options?: ListModelsOptions): Promise<ProviderModelList[]>;
  async listModels(
    provider?: string,
    options: ListModelsOptions = {},
  ): Promise<ModelInfo[] | ProviderModelList[]> {
    if (provider === undefined) return this.modelLists.all(this.providers, options);
    const found = this.providers.find((p) => p.name === provider);
    if (!found) {
      const names = this.providers.map((p) => `"${p.name}"`).join(', ');
      throw new RouterError({
        code: 'unknown-provider',
        message: `No provider is named "${provider}"; the router has ${names || 'no providers'}.`,
      });
    }
    return this.modelLists.get(found, options);
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

  /**
   * Sends a prompt through the strategy's order with retries and fallback; resolves with the first success.
   * Invalid prompts and options throw a `RouterError` before any provider is touched.
   */
  async route(prompt: Prompt, options: RouteOptions = {}): Promise<RouteResult> {
    const context = this.createContext(prompt, options, false);
    this.requestStarted();
    context.begin();
    try {
      const order = await this.orderFor(context);
      return await executeGenerate(this.runtime, context, order);
    } catch (error) {
      emitRouteFailure(this.runtime, context, error);
      throw error;
    } finally {
      context.dispose();
      this.requestEnded();
    }
  }

  /**
   * Streams a prompt. Iterate it for text deltas, `.parts` for typed parts, `await .result` for the final
   * result. Falls back to the next provider only before the first chunk. Invalid prompts and options throw
   * here, synchronously; the request (and its deadline) starts when the stream is first read.
   */
  routeStream(prompt: Prompt, options: RouteOptions = {}): RouteStream {
    const context = this.createContext(prompt, options, true);
    let ended = false;
    const hooks: StreamHooks = {
      order: () => this.orderFor(context),
      start: () => {
        // Created before close(), read after it: refused like any request after close().
        this.assertOpen();
        this.requestStarted();
        context.begin();
      },
      done: () => {
        if (ended) return;
        ended = true;
        this.requestEnded();
      },
    };
    return new RouteStream((settle) => executeStream(this.runtime, context, hooks, settle));
  }

  /**
   * Waits until every usage record queued so far has been delivered or given up; with a sink that is down
   * that can take as long as the retry budget (minutes). `close({ timeoutMs })` is the bounded call.
   */
  flushUsage(): Promise<void> {
    return this.usage.flush();
  }

  /** Usage delivery counters: queued, in flight, delivered, retried, dropped (queue full), failed. */
  getUsageStats(): UsageStats {
    return this.usage.stats();
  }

  /**
   * Refuses new requests, waits for the requests in flight to end, then drains the usage queue, all within
   * `timeoutMs` (default 10 s). Resolves with a report: `drained` is false when something was still running
   * or undelivered at the timeout (it never hangs). Safe to call twice.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<CloseReport> {
    this.closed = true;
    const timeoutMs = options.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    if (this.inFlight > 0) {
      // One promise shared by every close() call, so a second call cannot take the first one's wake-up.
      this.idle ??= new Promise<void>((resolve) => {
        this.wakeIdle = resolve;
      });
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        this.idle,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    }
    const requestsInFlight = this.inFlight;
    const usage = await this.usage.close({ timeoutMs: Math.max(0, deadline - Date.now()) });
    return { drained: requestsInFlight === 0 && usage.drained, requestsInFlight, usage };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private requestStarted(): void {
    this.inFlight++;
  }

  private requestEnded(): void {
    this.inFlight--;
    if (this.inFlight === 0) this.wakeIdle?.();
  }

  private emitUsageEvent(event: UsageDeliveryEvent): void {
    const { record } = event;
    const base = {
      recordId: record.id,
      requestId: record.requestId,
      provider: record.provider,
      message: event.message,
    };
    if (event.type === 'usage-dropped') this.events.emit('usage-dropped', { ...base, reason: event.reason });
    else
      this.events.emit('usage-failed', {
        ...base,
        reason: event.reason,
        attempts: event.attempts,
        status: event.status,
      });
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

  /**
   * The state of this very provider object. A provider that was removed or replaced by another object of
   * the same name while its request was in flight gets a detached state that is then dropped (attempts
   * already running hold the state they started with; see ProviderTurn).
   */
  private stateFor(provider: ProviderV1): ProviderState {
    const entry = this.states.get(provider.name);
    return entry?.provider === provider ? entry.state : this.newState(provider);
  }

  private pricingFor(provider: ProviderV1, prices: BaseRouterOptions['prices']): ModelPricing | undefined {
    const pricing = resolvePricing(provider, prices);
    const key = `${provider.providerType}/${provider.model}`;
    if (!pricing && !this.warnedPrices.has(key)) {
      this.warnedPrices.add(key);
      this.runtime.warn({
        code: 'unknown-price',
        message: `No price known for ${key}: its cost is reported as 0 with costKnown: false, cost-aware ranks it last and maxCost excludes it. Pass prices: { '${provider.providerType}': { '${provider.model}': { inputPer1K, outputPer1K, currency } } } to the Router (a zero price declares it free).`,
      });
    }
    return pricing;
  }

  private createContext(prompt: Prompt, rawOptions: RouteOptions, streaming: boolean): RequestContext {
    this.assertOpen();
    const messages = validatePrompt(prompt);
    // The common options are checked without zod; the schema runs for the rest, and to name a problem.
    const options =
      rawOptions === undefined
        ? ({} as RouteOptions)
        : (checkRouteOptions(rawOptions) ??
          (validateOptions(routeOptionsSchema(), rawOptions, 'Invalid route options') as RouteOptions));
    const {
      signal: callerSignal,
      headers,
      preferredProvider,
      excludeProviders,
      requiredCapabilities,
      maxCost,
      timeoutMs,
      firstChunkTimeoutMs,
      idleTimeoutMs,
      deadlineMs,
      tenantId,
      platformKeyId,
      ...settings
    } = options;
    const request: ChatRequest = { ...settings, messages, headers };
    const deadlineTotal = deadlineMs ?? this.runtime.deadlineMs;
    // A scope only when there is a deadline; otherwise attempts follow the caller's signal directly.
    let deadline: AttemptScope | undefined;
    const context: RequestContext = {
      requestId: `req_${Date.now().toString(36)}_${(++requestCounter).toString(36)}`,
      streaming,
      request,
      options,
      signal: callerSignal,
      deadlineAt: undefined,
      startedAt: performance.now(),
      attempts: [],
      tenantId: tenantId ?? this.runtime.tenantId,
      platformKeyId: platformKeyId ?? this.runtime.platformKeyId,
      begin() {
        const mutable = context as { -readonly [K in keyof RequestContext]: RequestContext[K] };
        mutable.startedAt = performance.now();
        if (deadlineTotal === undefined || deadline) return;
        deadline = new AttemptScope(callerSignal, deadlineTotal, () => new Error('deadline'));
        mutable.signal = deadline.signal;
        mutable.deadlineAt = Date.now() + deadlineTotal;
      },
      isCallerAborted: () => callerSignal?.aborted === true,
      isDeadlineExceeded: () => deadline?.timedOut === true && callerSignal?.aborted !== true,
      dispose: () => deadline?.dispose(),
    };
    return context;
  }

  /**
   * The strategy's order narrowed by the request's hints. Always emits `route-start` (the router's caller
   * then emits exactly one `route-end`), even when the strategy throws or the hints leave no provider.
   */
  private async orderFor(context: RequestContext): Promise<ProviderV1[]> {
    const providers = this.providers;
    const start = (candidates: string[]) => {
      if (this.events.has('route-start'))
        this.events.emit('route-start', {
          requestId: context.requestId,
          streaming: context.streaming,
          candidates,
          settings: requestSettings(context.request),
        });
    };
    if (providers.length === 0) {
      start([]);
      throw new RouteFailedError({
        reason: 'no-candidates',
        attempts: [],
        detail: 'no providers registered; call addProvider() first',
      });
    }
    let promptTokens: number | undefined;
    const estimateCost = (provider: ProviderV1) => {
      const pricing = this.runtime.pricingFor(provider);
      if (!pricing) return undefined;
      promptTokens ??= context.options.promptTokens ?? estimatePromptTokens(context.request.messages);
      const completionTokens = context.request.maxTokens ?? this.runtime.defaultCompletionTokens;
      const { amount, currency } = computeCost({ promptTokens, completionTokens }, pricing);
      return { amount, currency };
    };
    const strategyContext: StrategyContext = {
      streaming: context.streaming,
      metrics: (provider) => this.stateFor(provider).metrics,
      isHealthy: (provider) => this.runtime.health.check(provider),
      estimateCost,
      random: () => this.runtime.random(),
      exploration: this.exploration,
    };
    let ordered: ProviderV1[];
    try {
      const given = await raceSignal(
        Promise.resolve(this.runtime.strategy.order(providers, strategyContext)),
        context.signal,
      );
      ordered = registeredOnly(given, providers);
    } catch (error) {
      start([]);
      if (context.signal?.aborted) throw stoppedError(context);
      throw new RouterError({
        code: 'strategy-failed',
        message: `The routing strategy "${this.runtime.strategy.name}" failed: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      });
    }
    const o = context.options;
    const hinted =
      o.excludeProviders !== undefined ||
      o.requiredCapabilities !== undefined ||
      o.maxCost !== undefined ||
      o.promptTokens !== undefined ||
      o.preferredProvider !== undefined;
    const { order, removed } = hinted
      ? applyRouteHints(ordered, o, estimateCost)
      : { order: ordered, removed: NO_REMOVALS };
    start(order.map((p) => p.name));
    if (order.length === 0) {
      const why = removed.length > 0 ? describeRemovals(removed) : 'the strategy returned no provider to try';
      throw new RouteFailedError({ reason: 'no-candidates', attempts: [], detail: why });
    }
    return order;
  }
}

/**
 * The strategy's order, checked: only providers of the current set (the same objects), each once. Anything
 * else would run outside the router's bookkeeping (a stale object gets a detached state and a circuit that
 * never opens), so it is the strategy's bug, reported as one.
 */
function registeredOnly(given: unknown, providers: readonly ProviderV1[]): ProviderV1[] {
  if (!Array.isArray(given)) throw new TypeError(`order() returned ${typeof given}, not an array`);
  const list = given as unknown[];
  let duplicates = false;
  // Small lists (a handful of providers): linear scans beat allocating sets on the hot path.
  for (let i = 0; i < list.length; i++) {
    const p = list[i];
    if (!providers.includes(p as ProviderV1)) {
      const name = typeof p === 'object' && p !== null ? String((p as ProviderV1).name) : String(p);
      throw new TypeError(`order() returned "${name}", which is not one of the router's current providers`);
    }
    if (!duplicates && list.indexOf(p) !== i) duplicates = true;
  }
  return duplicates ? [...new Set(list as ProviderV1[])] : (list as ProviderV1[]);
}

/** Settles with `promise`, or rejects as soon as `signal` aborts (a slow strategy must not outlive it). */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const unlink = onAbort(signal, reject);
    promise.then(resolve, reject).finally(unlink);
  });
}

/** Validates a prompt at the boundary, so no provider ever builds a request from malformed messages. */
function validatePrompt(prompt: Prompt): ChatMessage[] {
  if (typeof prompt === 'string' ? prompt.trim() === '' : Array.isArray(prompt) && prompt.length === 0) {
    throw new RouterError({
      code: 'invalid-options',
      message: 'The prompt is empty: pass a non-empty string or at least one message.',
    });
  }
  if (typeof prompt === 'string') return toMessages(prompt);
  const checked = Array.isArray(prompt) ? checkMessages(prompt) : undefined;
  return (
    checked ??
    (validateOptions(messagesSchema(), { messages: prompt }, 'Invalid prompt').messages as ChatMessage[])
  );
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

/** The sampling settings a request set, for `route-start`. */
function requestSettings(request: ChatRequest): RequestSettings {
  const settings: RequestSettings = {};
  if (request.temperature !== undefined) settings.temperature = request.temperature;
  if (request.topP !== undefined) settings.topP = request.topP;
  if (request.maxTokens !== undefined) settings.maxTokens = request.maxTokens;
  if (request.stop !== undefined) settings.stop = [...request.stop];
  if (request.seed !== undefined) settings.seed = request.seed;
  return settings;
}
