import type { ChatMessage, ResponseFormat } from '@llmo/core';
import { type Answer, askUntilValid } from './ask-until-valid.js';
import { AnswerCache } from './cache/answer-cache.js';
import { cacheKey } from './cache/cache-key.js';
import type { CachedAnswer } from './cache/cache-store.js';
import { MemoryCacheStore } from './cache/memory-cache-store.js';
import { SingleFlight } from './cache/single-flight.js';
import { MemoryVectorIndex } from './cache/vector-index.js';
import { checkInput } from './check-input.js';
import { OrchestratorError } from './errors/orchestrator-error.js';
import { ResponseValidationError } from './errors/response-validation-error.js';
import { throwIfAborted } from './errors/throw-if-aborted.js';
import { failureEvent, logFields, type RequestProgress, successEvent } from './metrics/describe-request.js';
import type { RequestEndEvent, RequestEndListener } from './metrics/request-end-event.js';
import { TaskMetrics, type TaskMetricsSnapshot } from './metrics/task-metrics.js';
import type {
  OrchestratorOptions,
  OrchestratorRouter,
  ProcessRequest,
  ProcessResult,
  ProcessValue,
} from './orchestrator-options.js';
import { orchestratorOptionsSchema } from './orchestrator-options-schema.js';
import { preparePrompt } from './prepare-prompt.js';
import { processRequestSchema } from './process-request-schema.js';
import {
  type CompiledSchema,
  compileSchema,
  isStandardSchema,
  type OutputSchema,
} from './response/output-schema.js';
import { processResponse, type ResponseValidator } from './response/process-response.js';
import { selectModels } from './tasks/select-models.js';
import type { OutputFormat } from './tasks/task-config.js';
import { TaskRegistry } from './tasks/task-registry.js';
import type { PromptTemplate } from './templates/prompt-template.js';
import { TemplateRegistry } from './templates/template-registry.js';
import { estimateTokenCounter, type TokenCount, type TokenCounter } from './tokens/token-counter.js';

const ZERO_USAGE = { promptTokens: 0, completionTokens: 0, totalTokens: 0, estimated: false };
const DEFAULT_RETRIES = 2;
/** The metrics label of requests whose task type is not registered (or not a string). */
const UNKNOWN_TASK = '(unknown)';

/**
 * The request flow over a Router: render the task's template, fit history and context into its token
 * budget, turn the task's criteria into routing hints, route, parse and validate the answer (asking again
 * with the errors, a bounded number of times), cache it, and count it per task type.
 */
export class Orchestrator {
  readonly tasks: TaskRegistry;
  readonly templates: TemplateRegistry;
  readonly tokenCounter: TokenCounter;
  readonly #router: OrchestratorRouter;
  readonly #cache: AnswerCache | undefined;
  readonly #flights = new SingleFlight<Answer>();
  readonly #metrics = new TaskMetrics();
  readonly #validators = new Map<string, ResponseValidator[]>();
  readonly #listeners = new Set<RequestEndListener>();
  readonly #options: OrchestratorOptions;
  readonly #now: () => number;
  readonly #warned = new Set<string>();

  constructor(options: OrchestratorOptions) {
    if (
      !options ||
      typeof options !== 'object' ||
      !options.router ||
      typeof options.router.route !== 'function'
    )
      throw new OrchestratorError({
        code: 'invalid-options',
        message:
          'createOrchestrator: `router` must be a Router from @llmo/core (with route, getProviders, getMetrics)',
      });
    checkInput(orchestratorOptionsSchema(), options, 'createOrchestrator');
    this.#options = options;
    this.#router = options.router;
    this.tasks = new TaskRegistry(options.tasks ?? {});
    this.templates =
      // A list is copied into a new registry; anything else is taken as a registry (not `instanceof`: an app
      // may hold two copies of this package).
      Array.isArray(options.templates) || options.templates === undefined
        ? new TemplateRegistry((options.templates as readonly PromptTemplate[] | undefined) ?? [])
        : (options.templates as TemplateRegistry);
    // The estimate by default: the exact tokenizer's ranks (1–2 MB each) enter a bundle only when the app
    // imports createTokenCounter, never through the orchestrator itself.
    this.tokenCounter = options.tokenCounter ?? estimateTokenCounter;
    this.#now = options.now ?? Date.now;
    const store =
      options.cache === false
        ? undefined
        : typeof options.cache === 'object'
          ? options.cache
          : new MemoryCacheStore({ now: this.#now });
    this.#cache = store
      ? new AnswerCache({
          store,
          vectors: options.semanticCache?.index ?? new MemoryVectorIndex(),
          ...(options.semanticCache ? { embed: options.semanticCache.embed } : {}),
          now: this.#now,
          warn: (message) => this.#warn(message),
        })
      : undefined;
    // A semantic threshold needs both the cache (cacheTtlMs > 0: the answers live in it) and an embedder; without
    // them it would be silently ignored.
    for (const taskType of this.tasks.types()) {
      const task = this.tasks.get(taskType);
      if (task.semanticThreshold === undefined) continue;
      if (!options.semanticCache)
        this.#warn(
          `task "${taskType}": semanticThreshold is ignored without the orchestrator's semanticCache option ({ embed })`,
        );
      else if (!((task.cacheTtlMs ?? 0) > 0) || options.cache === false)
        this.#warn(
          `task "${taskType}": semanticThreshold is ignored without a cache (cacheTtlMs > 0 and cache not false): the similar answers live in it`,
        );
    }
    for (const [taskType, validators] of Object.entries(options.validators ?? {}))
      for (const validator of validators) this.registerValidator(taskType, validator);
  }

  /** Adds a check run on every answer of a task type, after its schema. */
  registerValidator(taskType: string, validator: ResponseValidator): this {
    this.tasks.get(taskType);
    const list = this.#validators.get(taskType) ?? [];
    list.push(validator);
    this.#validators.set(taskType, list);
    return this;
  }

  /**
   * Calls `listener` once per `process()` call, when it ends (success or failure), synchronously. A listener
   * that throws is reported as a warning and never breaks a request. Returns the unsubscribe function.
   */
  on(type: 'request-end', listener: RequestEndListener): () => void {
    if (type !== 'request-end')
      throw new OrchestratorError({
        code: 'invalid-options',
        message: `on: unknown event "${String(type)}"; the event is "request-end"`,
      });
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(event: RequestEndEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#warn(`a request-end listener threw: ${(error as Error)?.message ?? String(error)}`);
      }
    }
  }

  /** Counters per task type: requests, errors, latency, tokens, cost, cache hits, validation retries. */
  getMetrics(): Record<string, TaskMetricsSnapshot> {
    return this.#metrics.snapshot();
  }

  /** Cacheable requests in flight: distinct runs, and the callers waiting on them (coalesced ones included). */
  inFlight(): { flights: number; waiters: number } {
    return this.#flights.stats();
  }

  /** Counts a prompt before sending it: exact for models with a known encoding, else an estimate (marked). */
  countTokens(prompt: string | readonly ChatMessage[], model?: string): Promise<TokenCount> {
    return typeof prompt === 'string'
      ? this.tokenCounter.count(prompt, model)
      : this.tokenCounter.countMessages(prompt, model);
  }

  async process<
    S extends OutputSchema | undefined = undefined,
    F extends OutputFormat | undefined = undefined,
  >(
    request: ProcessRequest<S> & { outputFormat?: F },
  ): Promise<
    ProcessResult<ProcessValue<F extends undefined ? (S extends undefined ? undefined : 'json') : F, S>>
  > {
    const started = this.#now();
    const requestId = crypto.randomUUID();
    const progress: RequestProgress = { cache: 'off', usedDefault: false };
    let result: (ProcessResult & { savedCost?: { amount: number; currency: string } }) | undefined;
    let failure: unknown;
    try {
      result = await this.#process(
        request as ProcessRequest<OutputSchema | undefined>,
        requestId,
        started,
        progress,
      );
    } catch (error) {
      failure = error;
    }
    // Outside the try: a listener, the metrics or a logger that throws can neither fail a request that
    // succeeded nor count it twice. Exactly one event per request.
    if (result) {
      const event = successEvent(result);
      this.#emit(event);
      this.#metrics.record(event);
      this.#log(
        'info',
        logFields(event, {
          ...(result.route ? { routerRequestId: result.route.requestId } : {}),
          currency: result.cost.currency,
        }),
        'orchestrator_request_completed',
      );
      return result as never;
    }
    // A task type this orchestrator does not know is counted under one fixed label: a caller's typo or free
    // text must not become a metrics entry and a Prometheus label of its own.
    const taskType =
      typeof request?.taskType === 'string' && this.tasks.has(request.taskType)
        ? request.taskType
        : UNKNOWN_TASK;
    const event = failureEvent(requestId, taskType, this.#now() - started, failure, progress);
    this.#emit(event);
    this.#metrics.record(event);
    this.#log(
      'warn',
      logFields(event, {
        error: failure,
        ...(ResponseValidationError.isInstance(failure) && failure.requestId
          ? { routerRequestId: failure.requestId }
          : {}),
      }),
      'orchestrator_request_failed',
    );
    throw failure;
  }

  /** The logger's line; a logger that throws is ignored (it must never fail or double-count a request). */
  #log(level: 'info' | 'warn', fields: Record<string, unknown>, message: string): void {
    try {
      this.#options.logger?.[level](fields, message);
    } catch {
      // Nowhere safer to report it: the logger is the reporting channel that failed.
    }
  }

  async #process(
    request: ProcessRequest<OutputSchema | undefined>,
    requestId: string,
    started: number,
    progress: RequestProgress,
  ): Promise<ProcessResult & { savedCost?: { amount: number; currency: string } }> {
    // Checked, not parsed: the request is used as given (context items keep the caller's own fields).
    checkInput(processRequestSchema(), request, 'process');
    throwIfAborted(request.signal);
    const { taskType } = request;
    const task = this.tasks.get(taskType);
    const format: OutputFormat =
      request.outputFormat ?? (request.schema ? 'json' : (task.outputFormat ?? 'text'));
    if (request.schema && format !== 'json')
      throw new OrchestratorError({
        code: 'invalid-options',
        message: `process: a schema validates JSON answers; outputFormat is "${format}" (use "json" or drop the schema)`,
      });
    const warnings: string[] = [];

    // 1. The models the task allows; the first one's tokenizer counts the prompt.
    const preliminary = selectModels(taskType, task, this.#router, this.#defaultModel());
    const firstModel = this.#router.getProviders().find((p) => p.name === preliminary.candidates[0])?.model;
    const tokenizer = await this.tokenCounter.forModel(firstModel);

    // 2. The template, then history and context within the budget.
    const {
      messages,
      template,
      history: trimmed,
      context: pruned,
    } = preparePrompt({
      taskType,
      task,
      request,
      templates: this.templates,
      tokenizer,
    });
    if (template) progress.template = template;
    let promptTokens = await this.tokenCounter.countMessages(messages, firstModel);

    // 3. Routing hints, now that the prompt's size is known (context windows).
    const selection = selectModels(taskType, task, this.#router, {
      ...this.#defaultModel(),
      promptTokens: promptTokens.tokens,
    });
    progress.usedDefault = selection.usedDefault;
    // The first preferred model may not fit the prompt (its context window) and drop out: then the model the
    // router tries first counts it, for the result and for the router's own context-window check. The budget
    // was fitted with the first model's tokenizer; encodings differ by a few percent.
    const routedModel = this.#router.getProviders().find((p) => p.name === selection.candidates[0])?.model;
    if (routedModel !== firstModel)
      promptTokens = await this.tokenCounter.countMessages(messages, routedModel);
    warnings.push(...selection.warnings);
    // Routing warnings hold for every request of the task until the router changes: printed once each (every
    // result still lists them), not once per request.
    for (const warning of selection.warnings) this.#warnOnce(warning);

    // 4. Format and schema.
    const schema: CompiledSchema | undefined = request.schema ? compileSchema(request.schema) : undefined;
    const responseFormat: ResponseFormat | undefined =
      format !== 'json'
        ? undefined
        : schema?.jsonSchema
          ? {
              type: 'json-schema',
              schema: schema.jsonSchema,
              name: taskType,
              strict: task.strictSchema ?? false,
            }
          : { type: 'json' };

    const base = {
      requestId,
      taskType,
      ...(template ? { template } : {}),
      format,
      promptTokens,
      context: {
        included: pruned.included.map((s) => s.item),
        dropped: pruned.dropped.map((s) => s.item),
        historyDropped: trimmed.dropped.length,
        tokens: pruned.tokens + trimmed.tokens,
        estimated: tokenizer.estimated,
      },
      selection: {
        candidates: selection.candidates,
        removed: selection.removed,
        usedDefault: selection.usedDefault,
      },
      warnings,
    };

    const validators = this.#validators.get(taskType) ?? [];
    const ask = (signal: AbortSignal | undefined) =>
      askUntilValid({
        router: this.#router,
        taskType,
        messages,
        format,
        schema,
        responseFormat,
        validators,
        signal,
        routeOptions: {
          ...request.routeOptions,
          ...selection.hints,
          // A count from a real tokenizer lets the router itself skip a provider whose context window the
          // prompt cannot fit (and estimate maxCost from it); not with the default model, which is used anyway.
          ...(!promptTokens.estimated && !selection.usedDefault ? { promptTokens: promptTokens.tokens } : {}),
          ...(task.temperature !== undefined ? { temperature: task.temperature } : {}),
          ...(task.maxTokens !== undefined ? { maxTokens: task.maxTokens } : {}),
        },
        maxRetries: task.maxValidationRetries ?? DEFAULT_RETRIES,
        ...(task.codeLanguage ? { codeLanguage: task.codeLanguage } : {}),
      });
    // A cached or shared answer's text, read again with this request's format, schema and validators: the
    // value is this request's own object (a caller mutating its result cannot change what others get), of its
    // own schema's output type (Dates rebuilt after a Redis round trip), and an answer this request's schema
    // rejects is not served to it.
    const reread = (text: string) =>
      processResponse(text, {
        format,
        ...(schema ? { schema } : {}),
        validators,
        taskType,
        ...(task.codeLanguage ? { codeLanguage: task.codeLanguage } : {}),
      });

    const ttl = task.cacheTtlMs ?? 0;
    const cache = ttl > 0 ? this.#cache : undefined;
    if (!cache) {
      const answer = await ask(request.signal);
      return {
        ...base,
        ...fromAnswer(answer),
        cache: 'off',
        cacheHit: false,
        latencyMs: this.#now() - started,
      };
    }

    // 5. The exact cache, keyed on everything that changes the answer; identical requests in flight share one.
    // The semantic scope is the same minus the messages, whose meaning the embedding compares instead.
    const settings = {
      v: 1,
      taskType,
      template,
      candidates: selection.candidates,
      format,
      responseFormat,
      schemaVendor: isStandardSchema(request.schema) ? request.schema['~standard'].vendor : undefined,
      codeLanguage: task.codeLanguage,
      temperature: task.temperature,
      maxTokens: task.maxTokens,
      seed: request.routeOptions?.seed,
      topP: request.routeOptions?.topP,
      stop: request.routeOptions?.stop,
    };
    const key = await cacheKey({ ...settings, messages });
    const served = (
      entry: CachedAnswer,
      value: unknown,
      status: 'hit' | 'semantic',
      similarity?: number,
    ): ProcessResult & { savedCost: { amount: number; currency: string } } => ({
      ...base,
      value,
      text: entry.text,
      provider: entry.provider,
      model: entry.model,
      usage: { ...ZERO_USAGE },
      cost: { amount: 0, currency: entry.cost.currency, known: entry.cost.known },
      attempts: [],
      validationRetries: 0,
      cache: status,
      cacheHit: true,
      ...(similarity !== undefined ? { similarity } : {}),
      savedCost: { amount: entry.cost.amount, currency: entry.cost.currency },
      latencyMs: this.#now() - started,
    });
    if (!request.bypassCache) {
      const cached = await cache.lookup(key, request.signal);
      if (cached) {
        const again = await reread(cached.text);
        if (again.ok) return served(cached, again.value, 'hit');
      }
    }
    const semantic =
      task.semanticThreshold !== undefined && this.#options.semanticCache
        ? await cache.embed(messages, await cacheKey(settings), request.signal)
        : undefined;
    if (semantic && !request.bypassCache) {
      const similar = await cache.similar(semantic, task.semanticThreshold as number);
      if (similar) {
        const again = await reread(similar.entry.text);
        if (again.ok) return served(similar.entry, again.value, 'semantic', similar.score);
      }
    }
    // Awaited, so the next request reads its own write; a store's failures are warnings (AnswerCache), and a
    // network store bounds its own calls (RedisCacheStore's opTimeoutMs).
    const keep = async (fresh: Answer) => {
      // A truncated answer is never cached: the next request deserves a chance at a whole one.
      if (fresh.route.finishReason !== 'length') {
        await cache.save(key, fresh, ttl);
        if (semantic) await cache.index(semantic, key);
      }
    };
    // Callers share a run only when they would send the same call: the same limits and the same identity
    // (headers, tenant, platform key), so nobody runs under another caller's deadline or is billed to another
    // caller's tenant.
    const routeOptions = request.routeOptions ?? {};
    const flightKey = await cacheKey({
      key,
      headers: routeOptions.headers,
      timeoutMs: routeOptions.timeoutMs,
      deadlineMs: routeOptions.deadlineMs,
      tenantId: routeOptions.tenantId,
      platformKeyId: routeOptions.platformKeyId,
    });
    // Read before run() with nothing awaited between: whether this caller starts the run or waits on another's
    // decides who counts a failed run's spend and re-asks (the owner, once).
    progress.cache = this.#flights.has(flightKey) ? 'coalesced' : 'miss';
    const { value: answer, joined } = await this.#flights.run(flightKey, request.signal, async (signal) => {
      const fresh = await ask(signal);
      await keep(fresh);
      return fresh;
    });
    if (joined) {
      const again = await reread(answer.text);
      if (again.ok)
        return {
          ...base,
          ...fromAnswer(answer),
          value: again.value,
          usage: { ...ZERO_USAGE },
          cost: { ...answer.cost, amount: 0 },
          attempts: [],
          validationRetries: 0,
          cache: 'coalesced',
          cacheHit: true,
          savedCost: { amount: answer.cost.amount, currency: answer.cost.currency },
          latencyMs: this.#now() - started,
        };
      // The shared answer does not pass this caller's schema (one the key could not tell apart): its own ask.
      progress.cache = 'miss';
      const own = await ask(request.signal);
      await keep(own);
      return {
        ...base,
        ...fromAnswer(own),
        cache: 'miss',
        cacheHit: false,
        latencyMs: this.#now() - started,
      };
    }
    return {
      ...base,
      ...fromAnswer(answer),
      cache: 'miss',
      cacheHit: false,
      latencyMs: this.#now() - started,
    };
  }

  #defaultModel(): { defaultModel?: string } {
    return this.#options.defaultModel ? { defaultModel: this.#options.defaultModel } : {};
  }

  /** `#warn`, once per distinct message (bounded: past 1000 distinct messages, the record starts over). */
  #warnOnce(message: string): void {
    if (this.#warned.has(message)) return;
    if (this.#warned.size >= 1000) this.#warned.clear();
    this.#warned.add(message);
    this.#warn(message);
  }

  #warn(message: string): void {
    const handler = this.#options.onWarning;
    if (handler === false) return;
    if (handler) {
      // A handler that throws must not turn a warning (a store that failed, a listener that threw) into a
      // failed request: warnings are documented never to fail one.
      try {
        handler(message);
      } catch {
        // Ignored, as a throwing logger is.
      }
    }
    // biome-ignore lint/suspicious/noConsole: the documented default printer, as core's onWarning has.
    else console.warn(`[llmo/orchestrator] ${message}`);
  }
}

function fromAnswer(answer: Answer) {
  return {
    value: answer.value,
    text: answer.text,
    provider: answer.route.provider,
    model: answer.route.model,
    usage: { ...answer.usage },
    cost: { ...answer.cost },
    attempts: answer.attempts,
    validationRetries: answer.validationRetries,
    route: answer.route,
  };
}

/**
 * Creates an orchestrator over a Router.
 *
 * @example
 * const orchestrator = createOrchestrator({
 *   router,
 *   tasks: { summarize: { preferredModels: ['gpt-4o-mini'], tokenBudget: 4000, cacheTtlMs: 60_000 } },
 *   templates: [{ id: 'summarize', version: '1', user: 'Summarize: {{ text }}', requiredVariables: ['text'] }],
 * });
 * const { value } = await orchestrator.process({ taskType: 'summarize', templateId: 'summarize', variables: { text } });
 */
export function createOrchestrator(options: OrchestratorOptions): Orchestrator {
  return new Orchestrator(options);
}
