import type { Answer } from './ask-until-valid.js';
import type { AnswerCache } from './cache/answer-cache.js';
import { cacheKey } from './cache/cache-key.js';
import type { CachedAnswer } from './cache/cache-store.js';
import type { SingleFlight } from './cache/single-flight.js';
import { freshResult, fromAnswer } from './fresh-result.js';
import type { RequestProgress } from './metrics/describe-request.js';
import type { OrchestratorOptions, ProcessRequest, ProcessResult } from './orchestrator-options.js';
import type { RequestPlan } from './plan-request.js';
import { isStandardSchema, type OutputSchema } from './response/output-schema.js';
import { processResponse, type ResponseValidator } from './response/process-response.js';

const ZERO_USAGE = { promptTokens: 0, completionTokens: 0, totalTokens: 0, estimated: false };

export interface AnswerWithCacheInput {
  plan: RequestPlan;
  request: ProcessRequest<OutputSchema | undefined>;
  cache: AnswerCache;
  /** The task's cacheTtlMs (above 0). */
  ttl: number;
  flights: SingleFlight<Answer>;
  semanticCache: OrchestratorOptions['semanticCache'];
  validators: readonly ResponseValidator[];
  /** Asks the router for this request under `signal`. */
  ask: (signal: AbortSignal | undefined) => Promise<Answer>;
  /** The request's `cache` status is set here for a failure's event. */
  progress: RequestProgress;
  /** Milliseconds since the request started. */
  elapsed: () => number;
}

/**
 * Answers a cacheable request: from the exact cache, else from a similar request's answer (semantic), else by
 * asking, sharing one run between identical requests in flight; a fresh answer is kept for the next ones.
 */
export async function answerWithCache(
  input: AnswerWithCacheInput,
): Promise<ProcessResult & { savedCost?: { amount: number; currency: string } }> {
  const { plan, request, cache, ttl, ask, progress, elapsed } = input;
  const { taskType, task, format, schema, messages, base } = plan;
  // A cached or shared answer's text, read again with this request's format, schema and validators: the
  // value is this request's own object (a caller mutating its result cannot change what others get), of its
  // own schema's output type (Dates rebuilt after a Redis round trip), and an answer this request's schema
  // rejects is not served to it.
  const reread = (text: string) =>
    processResponse(text, {
      format,
      ...(schema ? { schema } : {}),
      validators: input.validators,
      taskType,
      ...(task.codeLanguage ? { codeLanguage: task.codeLanguage } : {}),
    });

  // 5. The exact cache, keyed on everything that changes the answer; identical requests in flight share one.
  // The semantic scope is the same minus the messages, whose meaning the embedding compares instead.
  const settings = {
    v: 1,
    taskType,
    template: plan.template,
    candidates: plan.selection.candidates,
    format,
    responseFormat: plan.responseFormat,
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
    latencyMs: elapsed(),
  });
  if (!request.bypassCache) {
    const cached = await cache.lookup(key, request.signal);
    if (cached) {
      const again = await reread(cached.text);
      if (again.ok) return served(cached, again.value, 'hit');
    }
  }
  const semantic =
    task.semanticThreshold !== undefined && input.semanticCache
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
  progress.cache = input.flights.has(flightKey) ? 'coalesced' : 'miss';
  const {
    value: answer,
    joined,
    inherited,
  } = await input.flights.run(flightKey, request.signal, async (signal) => {
    const fresh = await ask(signal);
    await keep(fresh);
    return fresh;
  });
  if (joined) {
    const again = await reread(answer.text);
    // The run's owner left before it ended: this caller reports the run as its own (a `miss` that spent), or
    // what the run spent would be counted by nobody.
    if (again.ok && inherited) {
      progress.cache = 'miss';
      return { ...freshResult(base, answer, 'miss', elapsed()), value: again.value };
    }
    // `route` is the shared run's (its router request id, its finish reason: a truncated answer says so here
    // too); usage, cost and attempts are zero, this caller spent nothing.
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
        latencyMs: elapsed(),
      };
    // The shared answer does not pass this caller's schema (one the key could not tell apart): its own ask.
    progress.cache = 'miss';
    const own = await ask(request.signal);
    await keep(own);
    return freshResult(base, own, 'miss', elapsed());
  }
  return freshResult(base, answer, 'miss', elapsed());
}
