import type { CircuitState, ErrorKind, HealthStatus } from '@llmo/core';

/** One attempt of a routed request, as the dashboard shows it. */
export interface DashboardAttempt {
  provider: string;
  model: string;
  /** 0 for the first try on this provider, 1 for the first retry… */
  retry: number;
  outcome: 'pending' | 'success' | 'error' | 'skipped';
  errorKind?: ErrorKind;
  /** The caller's fault (bad request, its deadline, cancellation): not counted against the provider. */
  callerFault?: boolean;
  status?: number;
  willRetry?: boolean;
  latencyMs?: number;
  ttftMs?: number;
  /** Why an attempt was skipped (the provider's circuit was open). */
  reason?: string;
}

/** A routed request: which providers were tried, how each failed, who answered. No prompt, no answer. */
export interface DashboardRequest {
  requestId: string;
  /** When it started, ms since the epoch. */
  startedAt: number;
  streaming: boolean;
  /** Undefined while it runs. */
  success?: boolean;
  provider?: string;
  model?: string;
  latencyMs?: number;
  errorKind?: ErrorKind;
  fallbacks?: number;
  retries?: number;
  totalTokens?: number;
  cost?: Record<string, number>;
  attempts: DashboardAttempt[];
  /** Attempts beyond the per-request cap that were counted but not kept. */
  attemptsDropped: number;
}

/** Per-bucket series of one provider, oldest first, aligned with `DashboardSeries.times`. */
export interface ProviderSeries {
  /** Attempts that ended (success or error) per second. */
  requestRate: number[];
  /** Failed attempts per second, counted against the provider (not those that failed by the caller's fault). */
  errorRate: number[];
  latencyP50: (number | null)[];
  latencyP95: (number | null)[];
  ttftP50: (number | null)[];
  ttftP95: (number | null)[];
  /** Tokens (prompt + completion) per bucket. */
  tokens: number[];
}

export interface DashboardSeries {
  bucketSeconds: number;
  /** Start of each bucket, seconds since the epoch (what uPlot's x axis takes), oldest first. */
  times: number[];
  providers: Record<string, ProviderSeries>;
  /** Failed attempts per second by error kind, all providers together. */
  errorsByKind: Partial<Record<ErrorKind, number[]>>;
  /** Cost per bucket, per currency (never summed across currencies). */
  cost: Record<string, number[]>;
}

/** A provider's state now (from the router) and its totals over the history window (from the collector). */
export interface DashboardProvider {
  name: string;
  model: string;
  /** Still registered in the router (false: removed, kept while it has data in the window). */
  registered: boolean;
  /**
   * Has series and totals. False for a provider past `maxProviders`: its attempts are not charted (its window
   * and series read 0), only counted in `totals.droppedProviderEvents`.
   */
  charted: boolean;
  health: HealthStatus | 'unknown';
  circuit: CircuitState | 'unknown';
  /** The router's own view: attempts and error rate over its 60 s window. */
  windowRequests: number;
  recentErrorRate: number;
  lastError: { kind: ErrorKind; at: string } | null;
  /** Over the history window. */
  window: {
    /** Attempts that ended: successes, errors and caller errors. */
    requests: number;
    /** Failed attempts counted against the provider. */
    errors: number;
    /** Failed attempts that were the caller's fault (cancelled, a bad request, its own deadline): not errors. */
    callerErrors: number;
    errorsByKind: Partial<Record<ErrorKind, number>>;
    latencyP50: number | null;
    latencyP95: number | null;
    ttftP50: number | null;
    ttftP95: number | null;
    promptTokens: number;
    completionTokens: number;
    cost: Record<string, number>;
  };
  /** Last circuit transitions, newest last. */
  circuitChanges: { at: number; from: CircuitState; to: CircuitState }[];
}

/** Everything the page shows, as `GET /snapshot` returns it and `GET /events` streams it. */
export interface DashboardSnapshot {
  /** Format version of this object. */
  version: 1;
  generatedAt: number;
  historyMinutes: number;
  providers: DashboardProvider[];
  series: DashboardSeries;
  /** Most recent requests first; requests still running are listed with `success` undefined. */
  recentRequests: DashboardRequest[];
  totals: {
    routed: number;
    succeeded: number;
    failed: number;
    inFlight: number;
    /** The router's cost of successful attempts since it started, per currency. */
    sessionCost: Record<string, number>;
    /** Usage records the router could not queue or deliver (they are lost to the sink). */
    usageDropped: number;
    usageFailed: number;
    /** Events about providers past `maxProviders`: counted here, charted nowhere. */
    droppedProviderEvents: number;
  };
}
