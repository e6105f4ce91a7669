import type { ErrorKind } from '../errors/error-kind.js';
import type { FinishReason } from '../spec/finish-reason.js';
import type { TokenUsage } from '../spec/token-usage.js';
import type { CircuitState } from './circuit-breaker.js';

/** The sampling settings of a request that `route-start` carries. */
export interface RequestSettings {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
}

interface Base {
  /** Id of the routed request, shared by all its attempts. */
  requestId: string;
  streaming: boolean;
}

/** Typed lifecycle events; logging, Prometheus and tracing subscribe with `router.on()`. */
export interface RouterEventMap {
  'route-start': Base & {
    candidates: string[];
    /** The request's sampling settings, as given (only those set): for tracing and logs. */
    settings?: RequestSettings;
  };
  'attempt-start': Base & { provider: string; model: string; retry: number };
  'first-chunk': Base & { provider: string; model: string; ttftMs: number };
  'attempt-error': Base & {
    provider: string;
    model: string;
    retry: number;
    errorKind: ErrorKind;
    /**
     * The error's code when it has one: `deadline-exceeded` (the caller's deadline passed during the attempt),
     * `deadline-share` (the attempt used up its share of the deadline; the router moves on), `invalid-request`
     * (the provider threw something that is not a `ProviderError`), `invalid-call-settings`, the provider's own…
     */
    errorCode?: string;
    /** The caller's fault (bad request, its deadline, cancellation): not counted against the provider. */
    callerFault: boolean;
    status?: number;
    latencyMs: number;
    /** The router will try the same provider again after `delayMs`. */
    willRetry: boolean;
    delayMs?: number;
    /**
     * What the attempt consumed although it failed: set for a stream cut short after it began answering (the
     * prompt and the text so far, usually estimated), as in its usage record. Absent means nothing is known.
     */
    usage?: TokenUsage;
    cost?: { amount: number; currency: string };
  };
  'attempt-end': Base & {
    provider: string;
    model: string;
    retry: number;
    latencyMs: number;
    ttftMs?: number;
    usage: TokenUsage;
    cost: { amount: number; currency: string };
    /** How the answer ended. */
    finishReason?: FinishReason;
    /** The provider's id for the response, when it gives one. */
    responseId?: string;
    /** The model the provider says answered (may be more specific than `model`). */
    responseModel?: string;
  };
  'attempt-skipped': Base & { provider: string; model: string; reason: 'circuit-open' };
  'route-end': Base & {
    success: boolean;
    provider?: string;
    model?: string;
    latencyMs: number;
    attempts: number;
    /** Providers moved past before the one that answered (or all of them). */
    fallbacks: number;
    retries: number;
    errorKind?: ErrorKind;
  };
  'circuit-state-change': { provider: string; from: CircuitState; to: CircuitState };
  /** A usage record could not be queued (queue full, router closed, store failed): the application must know. */
  'usage-dropped': UsageEventBase & { reason: 'queue-full' | 'closed' | 'store-error' };
  /** A usage record was given up after its delivery retries, or the sink refused it for good. */
  'usage-failed': UsageEventBase & {
    reason: 'rejected' | 'retries-exhausted';
    /** Tries made. */
    attempts: number;
    /** HTTP status of the last try, when there was one. */
    status?: number;
  };
}

interface UsageEventBase {
  /** The record's id (its idempotency key). */
  recordId: string;
  requestId: string;
  provider: string;
  /** Secret-free description. */
  message: string;
}

export type RouterEventName = keyof RouterEventMap;
export type RouterEvent = { [K in RouterEventName]: { type: K } & RouterEventMap[K] }[RouterEventName];
export type RouterEventListener<K extends RouterEventName> = (event: { type: K } & RouterEventMap[K]) => void;

/** A minimal synchronous emitter. A listener that throws is reported and never breaks the request. */
export class RouterEventEmitter {
  private readonly listeners = new Map<RouterEventName | '*', Set<(event: RouterEvent) => void>>();

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  on(type: RouterEventName | '*', listener: (event: RouterEvent) => void): () => void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** True when someone listens to `type`; lets hot paths skip building events nobody reads. */
  has(type: RouterEventName): boolean {
    return (this.listeners.get(type)?.size ?? 0) > 0 || (this.listeners.get('*')?.size ?? 0) > 0;
  }

  emit<K extends RouterEventName>(type: K, payload: RouterEventMap[K]): void {
    if (!this.has(type)) return;
    const event = { type, ...payload } as RouterEvent;
    for (const key of [type, '*'] as const) {
      const set = this.listeners.get(key);
      if (!set) continue;
      for (const listener of set) {
        try {
          listener(event);
        } catch (error) {
          try {
            this.onListenerError(error);
          } catch {
            // A warning handler that throws too: the request must still go on.
          }
        }
      }
    }
  }
}
