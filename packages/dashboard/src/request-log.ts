import type { RouterEventMap } from '@llmo/core';
import type { DashboardAttempt, DashboardRequest } from './dashboard-snapshot.js';

/** Attempts kept per request; the router's own bounds (providers × retries × passes) rarely exceed it. */
export const MAX_ATTEMPTS_PER_REQUEST = 32;

type Event<K extends keyof RouterEventMap> = RouterEventMap[K];

/**
 * Requests in flight (by id) and the last `capacity` finished ones, with their attempt chains. Both are
 * bounded: finished requests in a ring, requests in flight by `maxInFlight` (the oldest is evicted, so a
 * route-end that never comes cannot grow memory), attempts per request by `MAX_ATTEMPTS_PER_REQUEST`.
 */
export class RequestLog {
  private readonly finished: (DashboardRequest | undefined)[];
  private next = 0;
  private count = 0;
  /** Insertion-ordered, so the first key is the oldest request in flight. */
  private readonly running = new Map<string, DashboardRequest>();
  routed = 0;
  succeeded = 0;
  failed = 0;

  constructor(
    readonly capacity: number,
    readonly maxInFlight: number,
  ) {
    this.finished = new Array(capacity);
  }

  get inFlight(): number {
    return this.running.size;
  }

  get finishedCount(): number {
    return this.count;
  }

  start(event: Event<'route-start'>, now: number): void {
    if (this.running.size >= this.maxInFlight) {
      const oldest = this.running.keys().next().value;
      if (oldest !== undefined) this.running.delete(oldest);
    }
    this.running.set(event.requestId, {
      requestId: event.requestId,
      startedAt: now,
      streaming: event.streaming,
      attempts: [],
      attemptsDropped: 0,
    });
  }

  attemptStart(event: Event<'attempt-start'>): void {
    this.push(event.requestId, {
      provider: event.provider,
      model: event.model,
      retry: event.retry,
      outcome: 'pending',
    });
  }

  attemptSkipped(event: Event<'attempt-skipped'>): void {
    this.push(event.requestId, {
      provider: event.provider,
      model: event.model,
      retry: 0,
      outcome: 'skipped',
      reason: event.reason,
    });
  }

  attemptEnd(event: Event<'attempt-end'>): void {
    const attempt = this.pending(event.requestId, event.provider, event.retry);
    const request = this.running.get(event.requestId);
    if (request) {
      request.totalTokens = (request.totalTokens ?? 0) + (event.usage.totalTokens ?? 0);
      if (Number.isFinite(event.cost.amount) && event.cost.amount !== 0) {
        request.cost ??= {};
        request.cost[event.cost.currency] = (request.cost[event.cost.currency] ?? 0) + event.cost.amount;
      }
    }
    if (!attempt) return;
    attempt.outcome = 'success';
    attempt.latencyMs = round(event.latencyMs);
    if (event.ttftMs !== undefined) attempt.ttftMs = round(event.ttftMs);
  }

  attemptError(event: Event<'attempt-error'>): void {
    const attempt = this.pending(event.requestId, event.provider, event.retry);
    if (!attempt) return;
    attempt.outcome = 'error';
    attempt.errorKind = event.errorKind;
    attempt.callerFault = event.callerFault;
    if (event.status !== undefined) attempt.status = event.status;
    attempt.willRetry = event.willRetry;
    attempt.latencyMs = round(event.latencyMs);
  }

  end(event: Event<'route-end'>): void {
    this.routed++;
    if (event.success) this.succeeded++;
    else this.failed++;
    const request = this.running.get(event.requestId);
    if (!request) return; // evicted while in flight, or started before the collector subscribed
    this.running.delete(event.requestId);
    request.success = event.success;
    if (event.provider !== undefined) request.provider = event.provider;
    if (event.model !== undefined) request.model = event.model;
    request.latencyMs = round(event.latencyMs);
    if (event.errorKind !== undefined) request.errorKind = event.errorKind;
    request.fallbacks = event.fallbacks;
    request.retries = event.retries;
    this.finished[this.next] = request;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Requests in flight (newest first), then finished ones (newest first), at most `capacity` in all. */
  list(): DashboardRequest[] {
    const out: DashboardRequest[] = [];
    const running = [...this.running.values()].reverse();
    for (const request of running) {
      if (out.length >= this.capacity) return out;
      out.push(copy(request));
    }
    for (let i = 1; i <= this.count && out.length < this.capacity; i++) {
      const request = this.finished[(this.next - i + this.capacity) % this.capacity];
      if (request) out.push(copy(request));
    }
    return out;
  }

  private push(requestId: string, attempt: DashboardAttempt): void {
    const request = this.running.get(requestId);
    if (!request) return;
    if (request.attempts.length >= MAX_ATTEMPTS_PER_REQUEST) {
      request.attemptsDropped++;
      return;
    }
    request.attempts.push(attempt);
  }

  /** The attempt on `provider` with this retry number that has not ended yet (the latest such). */
  private pending(requestId: string, provider: string, retry: number): DashboardAttempt | undefined {
    const attempts = this.running.get(requestId)?.attempts;
    if (!attempts) return undefined;
    for (let i = attempts.length - 1; i >= 0; i--) {
      const attempt = attempts[i]!;
      if (attempt.outcome === 'pending' && attempt.provider === provider && attempt.retry === retry)
        return attempt;
    }
    return undefined;
  }
}

function copy(request: DashboardRequest): DashboardRequest {
  return {
    ...request,
    ...(request.cost ? { cost: { ...request.cost } } : {}),
    attempts: request.attempts.map((attempt) => ({ ...attempt })),
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
