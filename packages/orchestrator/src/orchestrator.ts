import type { ChatMessage } from '@llmo/core';
import { answerWithCache } from './answer-with-cache.js';
import { askPlan } from './ask-plan.js';
import type { Answer } from './ask-until-valid.js';
import type { AnswerCache } from './cache/answer-cache.js';
import { createAnswerCache } from './cache/create-answer-cache.js';
import { SingleFlight } from './cache/single-flight.js';
import { checkInput } from './check-input.js';
import { OrchestratorError } from './errors/orchestrator-error.js';
import { ResponseValidationError } from './errors/response-validation-error.js';
import { freshResult } from './fresh-result.js';
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
import { planRequest } from './plan-request.js';
import type { OutputSchema } from './response/output-schema.js';
import type { ResponseValidator } from './response/process-response.js';
import { semanticThresholdWarning, semanticThresholdWarnings } from './tasks/semantic-threshold-warnings.js';
import type { OutputFormat } from './tasks/task-config.js';
import { TaskRegistry } from './tasks/task-registry.js';
import type { PromptTemplate } from './templates/prompt-template.js';
import { TemplateRegistry } from './templates/template-registry.js';
import { estimateTokenCounter, type TokenCount, type TokenCounter } from './tokens/token-counter.js';
import { WarningPrinter } from './warning-printer.js';

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
  readonly #warnings: WarningPrinter;

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
    this.#warnings = new WarningPrinter(options);
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
    this.#cache = createAnswerCache(options, this.#now, (message) => this.#warnings.warn(message));
    // Once each (warnOnce): a task added later through `tasks.add()` is checked when it is first processed.
    for (const warning of semanticThresholdWarnings(this.tasks, options)) this.#warnings.warnOnce(warning);
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
        this.#warnings.warn(`a request-end listener threw: ${(error as Error)?.message ?? String(error)}`);
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
    const plan = await planRequest({
      request,
      requestId,
      tasks: this.tasks,
      templates: this.templates,
      tokenCounter: this.tokenCounter,
      router: this.#router,
      options: this.#options,
      progress,
      warnOnce: (message) => this.#warnings.warnOnce(message),
    });
    const ignored = semanticThresholdWarning(plan.taskType, plan.task, this.#options);
    if (ignored) this.#warnings.warnOnce(ignored);
    const validators = this.#validators.get(plan.taskType) ?? [];
    const ask = (signal: AbortSignal | undefined) =>
      askPlan({ router: this.#router, plan, request, validators }, signal);
    const elapsed = () => this.#now() - started;

    const ttl = plan.task.cacheTtlMs ?? 0;
    const cache = ttl > 0 ? this.#cache : undefined;
    if (!cache) return freshResult(plan.base, await ask(request.signal), 'off', elapsed());
    return answerWithCache({
      plan,
      request,
      cache,
      ttl,
      flights: this.#flights,
      semanticCache: this.#options.semanticCache,
      validators,
      ask,
      progress,
      elapsed,
    });
  }
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
