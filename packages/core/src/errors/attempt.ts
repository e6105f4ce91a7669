import type { ErrorKind } from './error-kind.js';

/** One try of one provider during a routed request. */
export interface Attempt {
  provider: string;
  model: string;
  /** `skipped` when the circuit breaker kept the provider out. */
  outcome: 'success' | 'error' | 'skipped';
  errorKind?: ErrorKind;
  /** Short, secret-free description of the failure. */
  errorMessage?: string;
  /** 0 for the first try on a provider, 1 for its first retry… */
  retry: number;
  latencyMs: number;
}

/** Renders attempts as `a (rate_limit, 12 ms) → b (auth, 3 ms)`. */
export function formatAttempts(attempts: readonly Attempt[]): string {
  return attempts
    .map((a) => {
      const what = a.outcome === 'skipped' ? 'skipped: circuit open' : (a.errorKind ?? a.outcome);
      const retry = a.retry > 0 ? ` retry ${a.retry}` : '';
      return `${a.provider}${retry} (${what}, ${Math.round(a.latencyMs)} ms)`;
    })
    .join(' → ');
}
