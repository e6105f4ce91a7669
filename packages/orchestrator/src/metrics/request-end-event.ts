import type { CacheStatus } from '../cache/cache-status.js';
/** One `process()` call, as it ended: what metrics backends (Prometheus, OpenTelemetry…) consume. */
export interface RequestEndEvent {
  type: 'request-end';
  requestId: string;
  taskType: string;
  template?: { id: string; version: string };
  /** Undefined when the request failed before any answer. */
  provider?: string;
  model?: string;
  status: 'success' | 'error';
  /** The error's name (`ResponseValidationError`, `RouteFailedError`, `OrchestratorError`…). */
  errorType?: string;
  cache: CacheStatus;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  /** Spent by this request (absent for hits, coalesced requests and failures before an answer). */
  cost?: { amount: number; currency: string };
  /** For hits and coalesced requests: what the answer cost when it was made. */
  savedCost?: { amount: number; currency: string };
  validationRetries: number;
  usedDefault: boolean;
}

export type RequestEndListener = (event: RequestEndEvent) => void;
