import type { ChatMessage, ResponseFormat, RouteResult } from '@llmo/core';
import { cacheKey } from './cache/cache-key.js';
import type { CachedAnswer, CacheStore } from './cache/cache-store.js';
import { MemoryCacheStore } from './cache/memory-cache-store.js';
import { SingleFlight } from './cache/single-flight.js';
import { MemoryVectorIndex, type VectorIndex } from './cache/vector-index.js';
import { pruneContext } from './context/prune-context.js';
import { trimHistory } from './context/trim-history.js';
import { OrchestratorError } from './errors/orchestrator-error.js';
import { type ResponseAttempt, ResponseValidationError } from './errors/response-validation-error.js';
import { throwIfAborted } from './errors/throw-if-aborted.js';
import type { RequestEndEvent, RequestEndListener } from './metrics/request-end-event.js';
import { TaskMetrics, type TaskMetricsSnapshot } from './metrics/task-metrics.js';
import type {
  OrchestratorOptions,
  OrchestratorRouter,
  ProcessRequest,
  ProcessResult,
  ProcessValue,
} from './orchestrator-options.js';
import { feedbackMessage } from './response/feedback-message.js';
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
import { buildMessages } from './templates/build-messages.js';
import { TemplateRegistry } from './templates/template-registry.js';
import { estimateTokenCounter, type TokenCount, type TokenCounter } from './tokens/token-counter.js';

/** What one ask-and-check loop produced: shared by every caller of a coalesced request. */
interface Answer {
  value: unknown;
  text: string;
  route: RouteResult;
  usage: ProcessResult['usage'];
  cost: ProcessResult['cost'];
  attempts: RouteResult['attempts'];
  validationRetries: number;
}

const ZERO_USAGE = { promptTokens: 0, completionTokens: 0, totalTokens: 0, estimated: false };
const DEFAULT_RETRIES = 2;

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
  readonly #store: CacheStore | undefined;
  readonly #flights = new SingleFlight<Answer>();
  readonly #metrics = new TaskMetrics();
  readonly #validators = new Map<string, ResponseValidator[]>();
  readonly #listeners = new Set<RequestEndListener>();
  readonly #vectors: VectorIndex;
  readonly #options: OrchestratorOptions;
  readonly #now: () => number;

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
    this.#options = options;
    this.#router = options.router;
    this.tasks = new TaskRegistry(options.tasks ?? {});
    this.templates =
      options.templates instanceof TemplateRegistry
        ? options.templates
        : new TemplateRegistry(options.templates ?? []);
    // The estimate by default: the exact tokenizer's ranks (1–2 MB each) enter a bundle only when the app
    // imports createTokenCounter, never through the orchestrator itself.
    this.tokenCounter = options.tokenCounter ?? estimateTokenCounter;
    this.#now = options.now ?? Date.now;
    this.#store =
      options.cache === false
        ? undefined
        : typeof options.cache === 'object'
          ? options.cache
          : new MemoryCacheStore({ now: this.#now });
    this.#vectors = options.semanticCache?.index ?? new MemoryVectorIndex();
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
    const taskType = typeof request?.taskType === 'string' ? request.taskType : String(request?.taskType);
    let cache: ProcessResult['cache'] = 'off';
    try {
      const result = await this.#process(
        request as ProcessRequest<OutputSchema | undefined>,
        requestId,
        started,
      );
      cache = result.cache;
      this.#emit({
        type: 'request-end',
        requestId,
        taskType,
        ...(result.template ? { template: result.template } : {}),
        provider: result.provider,
        model: result.model,
        status: 'success',
        cache,
        latencyMs: result.latencyMs,
        promptTokens: result.usage.promptTokens,
        completionTokens: result.usage.completionTokens,
        ...(result.cost.amount > 0
          ? { cost: { amount: result.cost.amount, currency: result.cost.currency } }
          : {}),
        ...(result.savedCost ? { savedCost: result.savedCost } : {}),
        validationRetries: result.cacheHit ? 0 : result.validationRetries,
        usedDefault: result.selection.usedDefault,
      });
      this.#metrics.record({
        taskType,
        latencyMs: result.latencyMs,
        promptTokens: result.usage.promptTokens,
        completionTokens: result.usage.completionTokens,
        ...(result.cost.amount > 0 ? { cost: result.cost } : {}),
        cache,
        ...(result.savedCost ? { savedCost: result.savedCost } : {}),
        validationRetries: result.cacheHit ? 0 : result.validationRetries,
        usedDefault: result.selection.usedDefault,
      });
      this.#options.logger?.info(
        withoutUndefined({
          request_id: requestId,
          router_request_id: result.route?.requestId,
          task_type: taskType,
          template_id: result.template?.id,
          template_version: result.template?.version,
          provider: result.provider,
          model: result.model,
          cache,
          latency_ms: result.latencyMs,
          prompt_tokens: result.usage.promptTokens,
          completion_tokens: result.usage.completionTokens,
          cost: result.cost.amount,
          currency: result.cost.currency,
          validation_retries: result.validationRetries,
          success: true,
        }),
        'orchestrator_request_completed',
      );
      return result as never;
    } catch (error) {
      const latencyMs = this.#now() - started;
      const errorType = (error as { name?: string })?.name ?? 'Error';
      const failedAsks = ResponseValidationError.isInstance(error) ? error.attempts.length : 0;
      const lastAsk = ResponseValidationError.isInstance(error) ? error.attempts.at(-1) : undefined;
      this.#emit({
        type: 'request-end',
        requestId,
        taskType,
        ...(lastAsk ? { provider: lastAsk.provider, model: lastAsk.model } : {}),
        status: 'error',
        errorType,
        cache,
        latencyMs,
        promptTokens: 0,
        completionTokens: 0,
        validationRetries: Math.max(0, failedAsks - 1),
        usedDefault: false,
      });
      this.#metrics.record({
        taskType,
        latencyMs,
        error: errorType,
        cache,
        validationRetries: Math.max(0, failedAsks - 1),
      });
      this.#options.logger?.warn(
        {
          request_id: requestId,
          task_type: taskType,
          latency_ms: latencyMs,
          success: false,
          error_type: errorType,
          ...(typeof (error as { code?: unknown })?.code === 'string'
            ? { error_code: (error as { code: string }).code }
            : {}),
        },
        'orchestrator_request_failed',
      );
      throw error;
    }
  }

  async #process(
    request: ProcessRequest<OutputSchema | undefined>,
    requestId: string,
    started: number,
  ): Promise<ProcessResult & { savedCost?: { amount: number; currency: string } }> {
    if (!request || typeof request !== 'object')
      throw new OrchestratorError({
        code: 'invalid-options',
        message: 'process: pass a request object with a taskType',
      });
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

    // 1. The template.
    const templateId = request.templateId ?? task.templateId;
    const variables = request.variables ?? {};
    let system: string | undefined;
    let user: string;
    let template: ProcessResult['template'];
    if (templateId) {
      const rendered = this.templates.render(templateId, variables, request.templateVersion);
      system = rendered.system;
      user = rendered.user;
      template = { id: rendered.id, version: rendered.version };
    } else if (typeof variables.input === 'string') user = variables.input;
    else
      throw new OrchestratorError({
        code: 'invalid-options',
        message: `task "${taskType}" has no templateId and the request names none; pass templateId, or variables.input as the prompt`,
      });

    // 2. The models the task allows; the first one's tokenizer counts the prompt.
    const preliminary = selectModels(taskType, task, this.#router, this.#defaultModel());
    const firstModel = this.#router.getProviders().find((p) => p.name === preliminary.candidates[0])?.model;
    const tokenizer = await this.tokenCounter.forModel(firstModel);

    // 3. History and context within the budget: the rendered prompt first, then history, then context.
    const budget = task.tokenBudget ?? Number.POSITIVE_INFINITY;
    const fixed = buildMessages({ ...(system !== undefined ? { system } : {}), user });
    const fixedTokens = fixed.reduce((sum, m) => sum + 3 + tokenizer.count(m.content), 3);
    if (fixedTokens > budget)
      throw new OrchestratorError({
        code: 'context-too-large',
        message: `task "${taskType}": the rendered prompt alone takes ${fixedTokens} tokens${tokenizer.estimated ? ' (estimated)' : ''}, over the task's tokenBudget of ${budget}; shorten the variables or raise tokenBudget`,
      });
    const left = budget - fixedTokens;
    const history = request.history ?? [];
    const historyBudget = history.length > 0 ? Math.floor(left * (task.historyShare ?? 0.5)) : 0;
    const trimmed = trimHistory(history, Number.isFinite(left) ? historyBudget : left, tokenizer);
    const pruned = pruneContext(request.context ?? [], {
      budget: left - trimmed.tokens,
      tokenizer,
      ...(task.contextStrategy ? { strategy: task.contextStrategy } : {}),
      ...(task.contextWeights ? { weights: task.contextWeights } : {}),
    });
    const messages = buildMessages({
      ...(system !== undefined ? { system } : {}),
      context: pruned.included.map((s) => s.item.content),
      history: trimmed.messages,
      user,
    });
    const promptTokens = await this.tokenCounter.countMessages(messages, firstModel);

    // 4. Routing hints, now that the prompt's size is known (context windows).
    const selection = selectModels(taskType, task, this.#router, {
      ...this.#defaultModel(),
      promptTokens: promptTokens.tokens,
    });
    warnings.push(...selection.warnings);
    for (const warning of selection.warnings) this.#warn(warning);

    // 5. Format and schema.
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

    const ask = (signal: AbortSignal | undefined) =>
      this.#ask({
        taskType,
        messages,
        format,
        schema,
        responseFormat,
        signal,
        routeOptions: {
          ...request.routeOptions,
          ...selection.hints,
          ...(task.temperature !== undefined ? { temperature: task.temperature } : {}),
          ...(task.maxTokens !== undefined ? { maxTokens: task.maxTokens } : {}),
        },
        maxRetries: task.maxValidationRetries ?? DEFAULT_RETRIES,
        ...(task.codeLanguage ? { codeLanguage: task.codeLanguage } : {}),
      });

    const ttl = task.cacheTtlMs ?? 0;
    const store = ttl > 0 ? this.#store : undefined;
    if (!store) {
      const answer = await ask(request.signal);
      return {
        ...base,
        ...fromAnswer(answer),
        cache: 'off',
        cacheHit: false,
        latencyMs: this.#now() - started,
      };
    }

    // 6. The exact cache, keyed on everything that changes the answer; identical requests in flight share one.
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
    if (!request.bypassCache) {
      const cached = await this.#lookup(store, key);
      if (cached) {
        return {
          ...base,
          value: cached.value,
          text: cached.text,
          provider: cached.provider,
          model: cached.model,
          usage: { ...ZERO_USAGE },
          cost: { amount: 0, currency: cached.cost.currency, known: cached.cost.known },
          attempts: [],
          validationRetries: 0,
          cache: 'hit',
          cacheHit: true,
          savedCost: { amount: cached.cost.amount, currency: cached.cost.currency },
          latencyMs: this.#now() - started,
        };
      }
    }
    const semantic =
      task.semanticThreshold !== undefined && this.#options.semanticCache
        ? await this.#embed(messages, await cacheKey(settings), request.signal)
        : undefined;
    if (semantic && !request.bypassCache) {
      const similar = await this.#similar(store, semantic, task.semanticThreshold as number);
      if (similar)
        return {
          ...base,
          value: similar.entry.value,
          text: similar.entry.text,
          provider: similar.entry.provider,
          model: similar.entry.model,
          usage: { ...ZERO_USAGE },
          cost: { amount: 0, currency: similar.entry.cost.currency, known: similar.entry.cost.known },
          attempts: [],
          validationRetries: 0,
          cache: 'semantic',
          cacheHit: true,
          similarity: similar.score,
          savedCost: { amount: similar.entry.cost.amount, currency: similar.entry.cost.currency },
          latencyMs: this.#now() - started,
        };
    }
    const { value: answer, joined } = await this.#flights.run(key, request.signal, async (signal) => {
      const fresh = await ask(signal);
      // A truncated answer is never cached: the next request deserves a chance at a whole one.
      if (fresh.route.finishReason !== 'length') {
        await this.#save(store, key, fresh, ttl);
        if (semantic) await this.#index(semantic, key);
      }
      return fresh;
    });
    if (joined)
      return {
        ...base,
        ...fromAnswer(answer),
        usage: { ...ZERO_USAGE },
        cost: { ...answer.cost, amount: 0 },
        attempts: [],
        cache: 'coalesced',
        cacheHit: true,
        savedCost: { amount: answer.cost.amount, currency: answer.cost.currency },
        latencyMs: this.#now() - started,
      };
    return {
      ...base,
      ...fromAnswer(answer),
      cache: 'miss',
      cacheHit: false,
      latencyMs: this.#now() - started,
    };
  }

  /** Routes, checks, and asks again with the problems fed back, at most `maxRetries` more times. */
  async #ask(input: {
    taskType: string;
    messages: ChatMessage[];
    format: OutputFormat;
    schema: CompiledSchema | undefined;
    responseFormat: ResponseFormat | undefined;
    signal: AbortSignal | undefined;
    routeOptions: Record<string, unknown>;
    maxRetries: number;
    codeLanguage?: string;
  }): Promise<Answer> {
    const failures: ResponseAttempt[] = [];
    const attempts: RouteResult['attempts'] = [];
    const usage = { ...ZERO_USAGE };
    let cost: Answer['cost'] | undefined;
    let messages = input.messages;
    const validators = this.#validators.get(input.taskType) ?? [];
    let requestId = '';
    for (let ask = 0; ask <= input.maxRetries; ask++) {
      throwIfAborted(input.signal);
      const route = await this.#router.route(messages, {
        ...input.routeOptions,
        ...(input.responseFormat ? { responseFormat: input.responseFormat } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
      });
      requestId = route.requestId;
      attempts.push(...route.attempts);
      usage.promptTokens += route.usage.promptTokens;
      usage.completionTokens += route.usage.completionTokens;
      usage.totalTokens += route.usage.totalTokens;
      usage.estimated ||= route.usage.estimated;
      cost = addCost(cost, route.cost);
      const processed = await processResponse(route.text, {
        format: input.format,
        ...(input.schema ? { schema: input.schema } : {}),
        validators,
        taskType: input.taskType,
        ...(input.codeLanguage ? { codeLanguage: input.codeLanguage } : {}),
      });
      if (processed.ok)
        return {
          value: processed.value,
          text: route.text,
          route,
          usage,
          cost: cost as Answer['cost'],
          attempts,
          validationRetries: ask,
        };
      failures.push({
        raw: route.text,
        provider: route.provider,
        model: route.model,
        stage: processed.stage,
        issues: processed.issues,
      });
      messages = [
        ...messages,
        { role: 'assistant', content: route.text },
        { role: 'user', content: feedbackMessage(input.format, processed.stage, processed.issues) },
      ];
    }
    throw new ResponseValidationError({ taskType: input.taskType, requestId, attempts: failures });
  }

  /** The prompt's embedding and scope, or undefined (with a warning) when the embedding call fails. */
  async #embed(
    messages: readonly ChatMessage[],
    scope: string,
    signal: AbortSignal | undefined,
  ): Promise<{ scope: string; vector: readonly number[] } | undefined> {
    const text = messages.map((m) => `${m.role}: ${m.content}`).join('\n');
    try {
      const vector = await (
        this.#options.semanticCache as { embed: (t: string, s?: AbortSignal) => Promise<readonly number[]> }
      ).embed(text, signal);
      if (!Array.isArray(vector) || vector.length === 0) throw new Error('embed returned no vector');
      return { scope, vector };
    } catch (error) {
      throwIfAborted(signal);
      this.#warn(
        `semantic cache skipped: the embedding failed: ${(error as Error)?.message ?? String(error)}`,
      );
      return undefined;
    }
  }

  /** The cached answer of the most similar request in scope, when similar enough and still in the store. */
  async #similar(
    store: CacheStore,
    semantic: { scope: string; vector: readonly number[] },
    threshold: number,
  ): Promise<{ entry: CachedAnswer; score: number } | undefined> {
    try {
      const match = await this.#vectors.nearest(semantic.scope, semantic.vector);
      if (!match || match.score < threshold) return undefined;
      const entry = await store.get(match.key);
      // Expired or evicted from the store: the vector points nowhere now.
      if (!entry) await this.#vectors.remove(semantic.scope, match.key);
      return entry ? { entry, score: match.score } : undefined;
    } catch (error) {
      this.#warn(
        `semantic cache lookup failed, treated as a miss: ${(error as Error)?.message ?? String(error)}`,
      );
      return undefined;
    }
  }

  async #index(semantic: { scope: string; vector: readonly number[] }, key: string): Promise<void> {
    try {
      await this.#vectors.add(semantic.scope, semantic.vector, key);
    } catch (error) {
      this.#warn(`semantic cache write failed: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  async #lookup(store: CacheStore, key: string): Promise<CachedAnswer | undefined> {
    try {
      return await store.get(key);
    } catch (error) {
      this.#warn(`cache lookup failed, treated as a miss: ${(error as Error)?.message ?? String(error)}`);
      return undefined;
    }
  }

  async #save(store: CacheStore, key: string, answer: Answer, ttlMs: number): Promise<void> {
    try {
      await store.set(
        key,
        {
          value: answer.value,
          text: answer.text,
          provider: answer.route.provider,
          model: answer.route.model,
          usage: answer.usage,
          cost: answer.cost,
          createdAt: this.#now(),
        },
        ttlMs,
      );
    } catch (error) {
      this.#warn(
        `cache write failed (the answer is returned, not cached): ${(error as Error)?.message ?? String(error)}`,
      );
    }
  }

  #defaultModel(): { defaultModel?: string } {
    return this.#options.defaultModel ? { defaultModel: this.#options.defaultModel } : {};
  }

  #warn(message: string): void {
    const handler = this.#options.onWarning;
    if (handler === false) return;
    if (handler) handler(message);
    // biome-ignore lint/suspicious/noConsole: the documented default printer, as core's onWarning has.
    else console.warn(`[llmo/orchestrator] ${message}`);
  }
}

/** Log fields without the absent ones (a cache hit has no router request id, a bare prompt no template). */
function withoutUndefined(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out;
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

function addCost(total: Answer['cost'] | undefined, next: RouteResult['cost']): Answer['cost'] {
  if (!total) return { ...next };
  // Asks may land on providers priced in different currencies; the sum is kept in the first one's currency
  // only when they agree, else it is marked unknown rather than adding roubles to dollars.
  if (total.currency !== next.currency)
    return { amount: total.amount, currency: total.currency, known: false };
  return {
    amount: Math.round((total.amount + next.amount) * 1e10) / 1e10,
    currency: total.currency,
    known: total.known && next.known,
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
