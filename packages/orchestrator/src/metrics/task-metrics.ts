import type { RequestEndEvent } from './request-end-event.js';
/** Counters for one task type since the orchestrator was made. */
export interface TaskMetricsSnapshot {
  taskType: string;
  requests: number;
  successes: number;
  /** By error name (`ResponseValidationError`, `RouteFailedError`, `OrchestratorError`…). */
  errors: Record<string, number>;
  /** Sum and mean of the wall time of `process()`, cache hits included. */
  totalLatencyMs: number;
  avgLatencyMs: number | null;
  promptTokens: number;
  completionTokens: number;
  /** Spent, per currency (calls that reached a provider; hits spend nothing). */
  cost: Record<string, number>;
  /** What cache hits and coalesced requests would have cost, per currency. */
  savedCost: Record<string, number>;
  /** Exact and semantic hits. */
  cacheHits: number;
  /** Of `cacheHits`, answers of a similar request (the semantic cache). */
  semanticHits: number;
  cacheMisses: number;
  /** Requests that joined an identical request in flight. */
  coalesced: number;
  /** Re-asks after an answer failed to parse or validate. */
  validationRetries: number;
  /** Requests that used the default model because the task's criteria left none. */
  defaultModelUsed: number;
}

const round = (n: number) => Math.round(n * 1e10) / 1e10;

/** Per-task counters, updated once per `process()` call. */
export class TaskMetrics {
  readonly #byTask = new Map<string, TaskMetricsSnapshot>();

  record(outcome: RequestEndEvent): void {
    let m = this.#byTask.get(outcome.taskType);
    if (!m) {
      m = {
        taskType: outcome.taskType,
        requests: 0,
        successes: 0,
        errors: {},
        totalLatencyMs: 0,
        avgLatencyMs: null,
        promptTokens: 0,
        completionTokens: 0,
        cost: {},
        savedCost: {},
        cacheHits: 0,
        semanticHits: 0,
        cacheMisses: 0,
        coalesced: 0,
        validationRetries: 0,
        defaultModelUsed: 0,
      };
      this.#byTask.set(outcome.taskType, m);
    }
    m.requests++;
    if (outcome.status === 'error') {
      const name = outcome.errorType ?? 'Error';
      m.errors[name] = (m.errors[name] ?? 0) + 1;
    } else m.successes++;
    m.totalLatencyMs += outcome.latencyMs;
    m.avgLatencyMs = m.totalLatencyMs / m.requests;
    m.promptTokens += outcome.promptTokens;
    m.completionTokens += outcome.completionTokens;
    if (outcome.cost)
      m.cost[outcome.cost.currency] = round((m.cost[outcome.cost.currency] ?? 0) + outcome.cost.amount);
    if (outcome.savedCost)
      m.savedCost[outcome.savedCost.currency] = round(
        (m.savedCost[outcome.savedCost.currency] ?? 0) + outcome.savedCost.amount,
      );
    if (outcome.cache === 'hit') m.cacheHits++;
    else if (outcome.cache === 'semantic') {
      m.cacheHits++;
      m.semanticHits++;
    } else if (outcome.cache === 'miss') m.cacheMisses++;
    else if (outcome.cache === 'coalesced') m.coalesced++;
    m.validationRetries += outcome.validationRetries;
    if (outcome.usedDefault) m.defaultModelUsed++;
  }

  /** A copy of every task's counters (or one task's). */
  snapshot(): Record<string, TaskMetricsSnapshot> {
    const out: Record<string, TaskMetricsSnapshot> = {};
    for (const [task, m] of this.#byTask)
      out[task] = { ...m, errors: { ...m.errors }, cost: { ...m.cost }, savedCost: { ...m.savedCost } };
    return out;
  }
}
