import { addAmounts } from '../cost/resolve-pricing.js';
import type { ErrorKind } from '../errors/error-kind.js';

/** The seed's health constants, kept as they were; only the error-rate window changed (see `recentErrorRate`). */
export const HEALTH_THRESHOLDS = {
  latencyWindowSize: 100,
  errorWindowMs: 60_000,
  minRequestsForHealth: 5,
  minRequestsForLatencyCheck: 20,
  degradedErrorRate: 0.3,
  unhealthyErrorRate: 0.6,
  latencyDegradedFactor: 2,
} as const;

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface ProviderMetricsSnapshot {
  provider: string;
  model: string;
  health: HealthStatus;
  totalRequests: number;
  successfulRequests: number;
  failedRequests: number;
  /** Failures caused by the request (bad_request, context_length, cancelled); they do not count against health. */
  callerErrors: number;
  successRate: number;
  /** Requests and errors in the last 60 s; the error rate is errors / requests over that same window. */
  windowRequests: number;
  windowErrors: number;
  recentErrorRate: number;
  avgLatencyMs: number | null;
  rollingAvgLatencyMs: number | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  avgTtftMs: number | null;
  rollingAvgTtftMs: number | null;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Accumulated cost per currency. */
  cost: Record<string, number>;
  errorsByKind: Partial<Record<ErrorKind, number>>;
  lastError: { kind: ErrorKind; at: string } | null;
}

/** A fixed-size ring of numbers with a running sum. */
class Ring {
  private readonly values: Float64Array;
  private next = 0;
  size = 0;
  sum = 0;
  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
  }
  push(value: number): void {
    if (this.size === this.values.length) this.sum -= this.values[this.next]!;
    else this.size++;
    this.values[this.next] = value;
    this.sum += value;
    this.next = (this.next + 1) % this.values.length;
  }
  average(): number | null {
    return this.size === 0 ? null : this.sum / this.size;
  }
  sorted(): number[] {
    return Array.from(this.values.subarray(0, this.size)).sort((a, b) => a - b);
  }
}

const BUCKETS = 60;

/**
 * Per-provider counters and health. Errors and requests are counted over the same 60 s window, in
 * one-second buckets, so memory stays constant at any request rate (the seed divided windowed errors by
 * all-time requests, which let an old provider hide a fresh outage).
 */
export class ProviderMetrics {
  private readonly latency = new Ring(HEALTH_THRESHOLDS.latencyWindowSize);
  private readonly ttft = new Ring(HEALTH_THRESHOLDS.latencyWindowSize);
  private readonly bucketSecond = new Float64Array(BUCKETS).fill(-1);
  private readonly bucketRequests = new Uint32Array(BUCKETS);
  private readonly bucketErrors = new Uint32Array(BUCKETS);
  private totalLatencyMs = 0;
  private totalTtftMs = 0;
  private ttftCount = 0;
  totalRequests = 0;
  successfulRequests = 0;
  failedRequests = 0;
  callerErrors = 0;
  promptTokens = 0;
  completionTokens = 0;
  readonly cost: Record<string, number> = {};
  readonly errorsByKind: Partial<Record<ErrorKind, number>> = {};
  lastError: { kind: ErrorKind; at: number } | null = null;
  /** `now()` of the last success, or null: tells how fresh the latency numbers are. */
  lastSuccessAt: number | null = null;

  constructor(
    readonly provider: string,
    public model: string,
    private readonly now: () => number = Date.now,
  ) {}

  recordSuccess(options: {
    latencyMs: number;
    ttftMs?: number;
    promptTokens?: number;
    completionTokens?: number;
    cost?: { amount: number; currency: string };
  }): void {
    this.totalRequests++;
    this.successfulRequests++;
    this.lastSuccessAt = this.now();
    this.totalLatencyMs += options.latencyMs;
    this.latency.push(options.latencyMs);
    if (options.ttftMs !== undefined) {
      this.ttft.push(options.ttftMs);
      this.totalTtftMs += options.ttftMs;
      this.ttftCount++;
    }
    this.promptTokens += options.promptTokens ?? 0;
    this.completionTokens += options.completionTokens ?? 0;
    if (options.cost && options.cost.amount !== 0) {
      this.cost[options.cost.currency] = addAmounts(
        this.cost[options.cost.currency] ?? 0,
        options.cost.amount,
      );
    }
    this.countInWindow(false);
  }

  /**
   * A lower bound on latency: an attempt stopped after `latencyMs` without an answer (on its share of a
   * caller's deadline). Not a failure of the provider, but a ranking must not take it for "no data": it
   * joins the rolling latency window, so a provider that stalls stops leading.
   */
  recordCensoredLatency(latencyMs: number): void {
    this.latency.push(latencyMs);
  }

  /** Records a failed attempt. Caller errors are counted but do not affect health. */
  recordError(options: { kind: ErrorKind; callerError?: boolean }): void {
    this.totalRequests++;
    this.errorsByKind[options.kind] = (this.errorsByKind[options.kind] ?? 0) + 1;
    this.lastError = { kind: options.kind, at: this.now() };
    if (options.callerError) {
      this.callerErrors++;
      return;
    }
    this.failedRequests++;
    this.countInWindow(true);
  }

  private bucketFor(second: number): number {
    const index = second % BUCKETS;
    if (this.bucketSecond[index] !== second) {
      this.bucketSecond[index] = second;
      this.bucketRequests[index] = 0;
      this.bucketErrors[index] = 0;
    }
    return index;
  }

  private countInWindow(error: boolean): void {
    const index = this.bucketFor(Math.floor(this.now() / 1000));
    this.bucketRequests[index]!++;
    if (error) this.bucketErrors[index]!++;
  }

  /** Requests and errors within the last 60 seconds. */
  windowCounts(): { requests: number; errors: number } {
    const nowSecond = Math.floor(this.now() / 1000);
    const oldest = nowSecond - HEALTH_THRESHOLDS.errorWindowMs / 1000;
    let requests = 0;
    let errors = 0;
    for (let i = 0; i < BUCKETS; i++) {
      if (this.bucketSecond[i]! > oldest) {
        requests += this.bucketRequests[i]!;
        errors += this.bucketErrors[i]!;
      }
    }
    return { requests, errors };
  }

  get recentErrorRate(): number {
    const { requests, errors } = this.windowCounts();
    return requests === 0 ? 0 : errors / requests;
  }

  get avgLatencyMs(): number | null {
    return this.successfulRequests === 0 ? null : this.totalLatencyMs / this.successfulRequests;
  }

  get rollingAvgLatencyMs(): number | null {
    return this.latency.average();
  }

  get rollingAvgTtftMs(): number | null {
    return this.ttft.average();
  }

  /** Latency samples in the rolling window (successes only: a failure has no meaningful latency). */
  get latencySamples(): number {
    return this.latency.size;
  }

  /**
   * True when the latency numbers say little: fewer than 3 samples, or none in the last 60 s (a provider
   * back from failing). Latency-ranking strategies send a share of traffic to such providers to learn.
   */
  get needsLatencyData(): boolean {
    return (
      this.latency.size < 3 ||
      this.lastSuccessAt === null ||
      this.now() - this.lastSuccessAt > HEALTH_THRESHOLDS.errorWindowMs
    );
  }

  /**
   * healthy / degraded / unhealthy, as the seed judged it: fewer than 5 requests in the window → healthy
   * (optimistic); error rate ≥ 0.6 → unhealthy; ≥ 0.3 → degraded; after 20 requests, a rolling latency above
   * 2× the long-run average → degraded.
   */
  get health(): HealthStatus {
    const t = HEALTH_THRESHOLDS;
    const { requests, errors } = this.windowCounts();
    if (requests < t.minRequestsForHealth) return 'healthy';
    const rate = errors / requests;
    if (rate >= t.unhealthyErrorRate) return 'unhealthy';
    if (rate >= t.degradedErrorRate) return 'degraded';
    if (this.totalRequests >= t.minRequestsForLatencyCheck) {
      const rolling = this.rollingAvgLatencyMs;
      const average = this.avgLatencyMs;
      if (
        rolling !== null &&
        average !== null &&
        average > 0 &&
        rolling > t.latencyDegradedFactor * average
      ) {
        return 'degraded';
      }
    }
    return 'healthy';
  }

  snapshot(): ProviderMetricsSnapshot {
    const sorted = this.latency.sorted();
    const pick = (q: number) =>
      sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    const { requests, errors } = this.windowCounts();
    return {
      provider: this.provider,
      model: this.model,
      health: this.health,
      totalRequests: this.totalRequests,
      successfulRequests: this.successfulRequests,
      failedRequests: this.failedRequests,
      callerErrors: this.callerErrors,
      successRate: this.totalRequests === 0 ? 0 : this.successfulRequests / this.totalRequests,
      windowRequests: requests,
      windowErrors: errors,
      recentErrorRate: requests === 0 ? 0 : errors / requests,
      avgLatencyMs: this.avgLatencyMs,
      rollingAvgLatencyMs: this.rollingAvgLatencyMs,
      p50LatencyMs: pick(0.5),
      p95LatencyMs: pick(0.95),
      avgTtftMs: this.ttftCount === 0 ? null : this.totalTtftMs / this.ttftCount,
      rollingAvgTtftMs: this.rollingAvgTtftMs,
      promptTokens: this.promptTokens,
      completionTokens: this.completionTokens,
      totalTokens: this.promptTokens + this.completionTokens,
      cost: { ...this.cost },
      errorsByKind: { ...this.errorsByKind },
      lastError: this.lastError
        ? { kind: this.lastError.kind, at: new Date(this.lastError.at).toISOString() }
        : null,
    };
  }
}
