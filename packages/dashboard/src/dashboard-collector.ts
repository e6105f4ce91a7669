import type { CircuitState, ErrorKind, ProviderMetricsView, RouterEvent } from '@llmo/core';
import {
  type DashboardCollectorOptions,
  type ResolvedCollectorOptions,
  resolveCollectorOptions,
} from './collector-options.js';
import type {
  DashboardProvider,
  DashboardSeries,
  DashboardSnapshot,
  ProviderSeries,
} from './dashboard-snapshot.js';
import { ProviderBuckets } from './provider-buckets.js';
import { RequestLog } from './request-log.js';

/** Circuit transitions kept per provider. */
const CIRCUIT_CHANGES_KEPT = 10;

/** Receives a snapshot (as JSON) on every tick where something changed, `null` on a tick where nothing did. */
export interface SnapshotSubscriber {
  update(snapshotJson: string | null): void;
  /** The collector closed: end the stream. */
  close?(): void;
}

interface ProviderRecord {
  model: string;
  buckets: ProviderBuckets;
  circuitChanges: { at: number; from: CircuitState; to: CircuitState }[];
}

/**
 * Watches a router and keeps what the dashboard shows, in bounded memory whatever the load: per provider a
 * ring of time buckets over the history window (attempts, errors by kind, latency and TTFT histograms, tokens,
 * cost per currency), the last circuit transitions, and the last N requests with their attempt chains. Health,
 * circuit state and the router's 60 s error rate are read from `router.getMetrics()` at snapshot time.
 *
 * It subscribes to `router.on('*')` when created and unsubscribes on `close()`. Router events carry no prompt,
 * answer or key, and nothing else is read, so none can reach a snapshot.
 *
 * @example
 * const collector = new DashboardCollector({ router });
 * const snapshot = collector.snapshot(); // what GET /snapshot returns
 * collector.close();
 */
export class DashboardCollector {
  private readonly options: ResolvedCollectorOptions;
  private readonly bucketMs: number;
  private readonly capacity: number;
  private readonly providers = new Map<string, ProviderRecord>();
  private readonly requests: RequestLog;
  private readonly subscribers = new Set<SnapshotSubscriber>();
  private unsubscribeRouter: (() => void) | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Bumped on every event recorded: tells a tick whether anything changed. */
  private version = 0;
  private lastTickKey = '';
  /** The last snapshot's JSON, what it was made from (`contentKey`) and when (`Date.now()`). */
  private cachedJson: { key: string; at: number; json: string } | undefined;
  private usageDropped = 0;
  private usageFailed = 0;
  /** Events about providers past `maxProviders`, counted and not charted. */
  droppedProviderEvents = 0;
  private closed = false;

  constructor(options: DashboardCollectorOptions) {
    this.options = resolveCollectorOptions(options);
    this.bucketMs = this.options.bucketSeconds * 1000;
    this.capacity = Math.ceil((this.options.historyMinutes * 60) / this.options.bucketSeconds);
    this.requests = new RequestLog(this.options.recentRequests, this.options.maxInFlight);
    this.unsubscribeRouter = this.options.router.on('*', (event) => this.record(event));
  }

  /** Open subscriptions (SSE streams). Returns to 0 when every client has gone. */
  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Whether the collector still listens to the router. */
  get listening(): boolean {
    return this.unsubscribeRouter !== undefined;
  }

  /** Memory bounds in use, for tests and curious operators: every number here is capped by an option. */
  get sizes() {
    let slots = 0;
    for (const record of this.providers.values()) slots += record.buckets.slotCount;
    return {
      providers: this.providers.size,
      bucketSlots: slots,
      bucketsPerProvider: this.capacity,
      requestsInFlight: this.requests.inFlight,
      requestsKept: this.requests.finishedCount,
    };
  }

  /**
   * Calls `subscriber.update` every `intervalMs` while subscribed: with the snapshot's JSON when something
   * changed (an event, a new time bucket, a health or circuit change), with `null` otherwise. One timer and
   * one snapshot per tick serve every subscriber; the timer runs only while someone is subscribed.
   * Returns the unsubscribe function (idempotent).
   */
  subscribe(subscriber: SnapshotSubscriber): () => void {
    if (this.closed) {
      subscriber.close?.();
      return () => {};
    }
    this.subscribers.add(subscriber);
    this.timer ??= setInterval(() => this.tick(), this.options.intervalMs);
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) this.stopTimer();
    };
  }

  /** Stops listening to the router, ends every subscription and the timer. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribeRouter?.();
    this.unsubscribeRouter = undefined;
    this.stopTimer();
    const subscribers = [...this.subscribers];
    this.subscribers.clear();
    for (const subscriber of subscribers) {
      try {
        subscriber.close?.();
      } catch {
        // One stream failing to end must not keep the others open.
      }
    }
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** What a snapshot's content depends on: events recorded, the current bucket, health and circuits. */
  private contentKey(metrics: Record<string, ProviderMetricsView>): string {
    return `${this.version}|${Math.floor(this.options.now() / this.bucketMs)}|${stateKey(metrics)}`;
  }

  /**
   * The snapshot as JSON, made at most once per change and per `intervalMs`: every `GET /snapshot`, every new
   * stream's first event and the tick share it. A snapshot of an hour of 64 providers takes tens of ms and
   * most of a MB, so a hundred polling pages must not each build their own.
   */
  snapshotJson(metrics: Record<string, ProviderMetricsView> = this.options.router.getMetrics()): string {
    const key = this.contentKey(metrics);
    const cached = this.cachedJson;
    if (cached && cached.key === key && Math.abs(Date.now() - cached.at) < this.options.intervalMs) {
      return cached.json;
    }
    const json = JSON.stringify(this.snapshot(metrics));
    this.cachedJson = { key, at: Date.now(), json };
    return json;
  }

  private tick(): void {
    const metrics = this.options.router.getMetrics();
    const key = this.contentKey(metrics);
    const changed = key !== this.lastTickKey;
    this.lastTickKey = key;
    const json = changed ? this.snapshotJson(metrics) : null;
    for (const subscriber of [...this.subscribers]) {
      try {
        subscriber.update(json);
      } catch {
        // A subscriber's failure is its own (its stream unsubscribes itself); the others still get the tick.
      }
    }
  }

  private providerRecord(name: string, model: string): ProviderRecord | undefined {
    let record = this.providers.get(name);
    if (!record) {
      if (this.providers.size >= this.options.maxProviders) {
        this.forgetRemovedProviders();
        if (this.providers.size >= this.options.maxProviders) {
          this.droppedProviderEvents++;
          return undefined;
        }
      }
      record = { model, buckets: new ProviderBuckets(this.capacity, this.bucketMs), circuitChanges: [] };
      this.providers.set(name, record);
    }
    record.model = model;
    return record;
  }

  private record(event: RouterEvent): void {
    const now = this.options.now();
    this.version++;
    switch (event.type) {
      case 'route-start':
        this.requests.start(event, now);
        break;
      case 'attempt-start':
        this.requests.attemptStart(event);
        break;
      case 'attempt-skipped':
        this.requests.attemptSkipped(event);
        break;
      case 'attempt-end':
        this.requests.attemptEnd(event);
        this.providerRecord(event.provider, event.model)?.buckets.recordSuccess(now, {
          latencyMs: event.latencyMs,
          ttftMs: event.ttftMs,
          promptTokens: event.usage.promptTokens ?? 0,
          completionTokens: event.usage.completionTokens ?? 0,
          cost: event.cost,
        });
        break;
      case 'attempt-error':
        this.requests.attemptError(event);
        this.providerRecord(event.provider, event.model)?.buckets.recordError(
          now,
          event.errorKind,
          event.callerFault,
        );
        break;
      case 'route-end':
        this.requests.end(event);
        break;
      case 'circuit-state-change': {
        const record = this.providers.get(event.provider);
        if (!record) break;
        record.circuitChanges.push({ at: now, from: event.from, to: event.to });
        if (record.circuitChanges.length > CIRCUIT_CHANGES_KEPT) record.circuitChanges.shift();
        break;
      }
      case 'usage-dropped':
        this.usageDropped++;
        break;
      case 'usage-failed':
        this.usageFailed++;
        break;
      default:
        // 'first-chunk': TTFT is taken from attempt-end, so an attempt that fails after its first chunk
        // does not count a TTFT for a request that never finished.
        break;
    }
  }

  /** Removed providers whose data has aged out of the window. */
  private forgetRemovedProviders(): void {
    const registered = new Set(this.options.router.getProviders().map((p) => p.name));
    const first = this.firstBucket(Math.floor(this.options.now() / this.bucketMs));
    for (const [name, record] of this.providers) {
      if (!registered.has(name) && record.buckets.isEmpty(first)) this.providers.delete(name);
    }
  }

  private firstBucket(current: number): number {
    return current - this.capacity + 1;
  }

  /** Everything the page shows, now. `GET /snapshot` returns this as JSON. */
  snapshot(
    metrics: Record<string, ProviderMetricsView> = this.options.router.getMetrics(),
  ): DashboardSnapshot {
    const now = this.options.now();
    const current = Math.floor(now / this.bucketMs);
    const first = this.firstBucket(current);
    this.forgetRemovedProviders();

    const names = [...Object.keys(metrics)];
    for (const name of this.providers.keys()) if (!(name in metrics)) names.push(name);

    const times: number[] = [];
    for (let index = first; index <= current; index++) times.push((index * this.bucketMs) / 1000);
    const series: DashboardSeries = {
      bucketSeconds: this.options.bucketSeconds,
      times,
      providers: {},
      errorsByKind: {},
      cost: {},
    };
    const seconds = this.options.bucketSeconds;
    // The newest bucket is still filling: its rates are over the time it has run so far (at least 1 s, so a
    // bucket a few ms old does not turn one request into a spike), or the last point of every rate chart
    // would dip, to half the true rate halfway through the bucket.
    const currentSeconds = Math.min(seconds, Math.max(1, (now - current * this.bucketMs) / 1000));
    const providers: DashboardProvider[] = [];
    for (const name of names) {
      const view = metrics[name];
      const record = this.providers.get(name);
      const points: ProviderSeries = {
        requestRate: [],
        errorRate: [],
        latencyP50: [],
        latencyP95: [],
        ttftP50: [],
        ttftP95: [],
        tokens: [],
      };
      for (let index = first, i = 0; index <= current; index++, i++) {
        const bucket = record?.buckets.view(index);
        const span = index === current ? currentSeconds : seconds;
        points.requestRate.push(rate(bucket?.requests ?? 0, span));
        points.errorRate.push(rate(bucket?.errors ?? 0, span));
        points.latencyP50.push(bucket?.latencyP50 ?? null);
        points.latencyP95.push(bucket?.latencyP95 ?? null);
        points.ttftP50.push(bucket?.ttftP50 ?? null);
        points.ttftP95.push(bucket?.ttftP95 ?? null);
        points.tokens.push(bucket?.tokens ?? 0);
        if (!bucket) continue;
        for (const [kind, count] of bucket.errorsByKind) {
          const line = series.errorsByKind[kind] ?? new Array<number>(times.length).fill(0);
          series.errorsByKind[kind] = line;
          line[i] = round(line[i]! + count / span);
        }
        for (const [currency, amount] of bucket.cost) {
          const line = series.cost[currency] ?? new Array<number>(times.length).fill(0);
          series.cost[currency] = line;
          line[i] = line[i]! + amount;
        }
      }
      series.providers[name] = points;
      providers.push({
        name,
        model: view?.model ?? record?.model ?? '',
        registered: view !== undefined,
        // No series and no room for one: its events are counted in totals.droppedProviderEvents, not charted.
        charted: record !== undefined || this.providers.size < this.options.maxProviders,
        health: view?.health ?? 'unknown',
        circuit: view?.circuit ?? 'unknown',
        windowRequests: view?.windowRequests ?? 0,
        recentErrorRate: view?.recentErrorRate ?? 0,
        lastError: view?.lastError ?? null,
        window: record ? record.buckets.totals(first, current) : emptyTotals(),
        circuitChanges: record ? record.circuitChanges.map((change) => ({ ...change })) : [],
      });
    }
    return {
      version: 1,
      generatedAt: now,
      historyMinutes: this.options.historyMinutes,
      providers,
      series,
      recentRequests: this.requests.list(),
      totals: {
        routed: this.requests.routed,
        succeeded: this.requests.succeeded,
        failed: this.requests.failed,
        inFlight: this.requests.inFlight,
        sessionCost: this.options.router.getSessionCost(),
        usageDropped: this.usageDropped,
        usageFailed: this.usageFailed,
        droppedProviderEvents: this.droppedProviderEvents,
      },
    };
  }
}

function rate(count: number, seconds: number): number {
  return round(count / seconds);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function stateKey(metrics: Record<string, ProviderMetricsView>): string {
  let key = '';
  for (const [name, view] of Object.entries(metrics)) key += `${name}:${view.health}:${view.circuit};`;
  return key;
}

function emptyTotals(): DashboardProvider['window'] {
  return {
    requests: 0,
    errors: 0,
    callerErrors: 0,
    errorsByKind: {} as Partial<Record<ErrorKind, number>>,
    latencyP50: null,
    latencyP95: null,
    ttftP50: null,
    ttftP95: null,
    promptTokens: 0,
    completionTokens: 0,
    cost: {},
  };
}
