export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive provider failures that open the circuit. Default 5. */
  failureThreshold: number;
  /** How long an open circuit keeps the provider out before one probe is let through. Default 30 s. */
  cooldownMs: number;
}

/**
 * Cools down a provider that keeps failing: after `failureThreshold` consecutive failures the circuit opens
 * and requests skip the provider; after `cooldownMs` exactly one request (the probe) goes through; its
 * success closes the circuit, its failure opens it again.
 */
export class CircuitBreaker {
  state: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probeInFlight = false;

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly now: () => number = Date.now,
    private readonly onChange?: (from: CircuitState, to: CircuitState) => void,
  ) {}

  /** Whether a request may use the provider now. In half-open state only the first caller gets through. */
  tryAcquire(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (this.now() - this.openedAt < this.options.cooldownMs) return false;
      this.transition('half-open');
    }
    if (this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  onSuccess(): void {
    this.failures = 0;
    this.probeInFlight = false;
    if (this.state !== 'closed') this.transition('closed');
  }

  onFailure(): void {
    this.failures++;
    const wasProbe = this.probeInFlight;
    this.probeInFlight = false;
    if (wasProbe || (this.state === 'closed' && this.failures >= this.options.failureThreshold)) {
      this.openedAt = this.now();
      this.transition('open');
    }
  }

  /** The request ended without a verdict on the provider (a caller error or cancellation). */
  release(): void {
    this.probeInFlight = false;
  }

  private transition(to: CircuitState): void {
    const from = this.state;
    if (from === to) return;
    this.state = to;
    this.onChange?.(from, to);
  }
}
