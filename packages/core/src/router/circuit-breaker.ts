export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive provider failures that open the circuit. Default 5. */
  failureThreshold: number;
  /** How long an open circuit keeps the provider out before one probe is let through. Default 30 s. */
  cooldownMs: number;
}

/**
 * The right to use a provider for one attempt, taken when the attempt starts. It ends with exactly one
 * verdict; a second call is ignored, so a verdict can never be counted twice.
 */
export interface CircuitPermit {
  /** True for the one request let through a half-open circuit: only its verdict may close the circuit. */
  readonly probe: boolean;
  /** The provider answered. */
  success(): void;
  /** The provider failed (a provider fault: 5xx, timeout, network, malformed answer…). */
  failure(): void;
  /** The attempt ended without a verdict on the provider (caller fault, cancellation, caller deadline). */
  release(): void;
}

/**
 * Cools down a provider that keeps failing: after `failureThreshold` consecutive failures the circuit opens
 * and requests skip the provider; after `cooldownMs` exactly one request (the probe) goes through; its
 * success closes the circuit, its failure opens it again.
 *
 * Every transition happens here, driven by permits. A permit remembers the circuit's epoch (bumped on
 * every transition) and whether it is the probe, so a request admitted before the circuit opened can
 * neither close it by succeeding nor free the probe slot by ending: only the probe decides half-open.
 */
export class CircuitBreaker {
  state: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probeInFlight = false;
  private epoch = 0;

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly now: () => number = Date.now,
    private readonly onChange?: (from: CircuitState, to: CircuitState) => void,
  ) {}

  /** A permit for one attempt, or undefined when the provider must be skipped now. */
  acquire(): CircuitPermit | undefined {
    if (this.state === 'open') {
      if (this.now() - this.openedAt < this.options.cooldownMs) return undefined;
      this.transition('half-open');
    }
    if (this.state === 'closed') return this.permit(false);
    if (this.probeInFlight) return undefined;
    this.probeInFlight = true;
    return this.permit(true);
  }

  /** Whether `acquire()` would give a permit now, without taking one or changing state. */
  wouldAdmit(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') return this.now() - this.openedAt >= this.options.cooldownMs;
    return !this.probeInFlight;
  }

  private permit(probe: boolean): CircuitPermit {
    return new Permit(this, probe, this.epoch);
  }

  /** @internal A permit's verdict (called once per permit, by `Permit`). */
  settle(probe: boolean, epoch: number, verdict: 'success' | 'failure' | 'release'): void {
    this.applyVerdict(probe, epoch, verdict);
  }

  private applyVerdict(probe: boolean, epoch: number, verdict: 'success' | 'failure' | 'release'): void {
    if (probe) {
      // The probe owns the half-open state; it is the only permit whose verdict moves it.
      if (this.state !== 'half-open' || epoch !== this.epoch) return;
      this.probeInFlight = false;
      if (verdict === 'success') {
        this.failures = 0;
        this.transition('closed');
      } else if (verdict === 'failure') this.open();
      return;
    }
    // A permit from a closed circuit counts only while that same closed period lasts: a late verdict of a
    // request admitted before the circuit opened says nothing about the provider now.
    if (this.state !== 'closed' || epoch !== this.epoch || verdict === 'release') return;
    if (verdict === 'success') this.failures = 0;
    else if (++this.failures >= this.options.failureThreshold) this.open();
  }

  private open(): void {
    this.openedAt = this.now();
    this.transition('open');
  }

  private transition(to: CircuitState): void {
    const from = this.state;
    if (from === to) return;
    this.state = to;
    this.epoch++;
    if (to !== 'half-open') this.probeInFlight = false;
    if (to === 'closed') this.failures = 0;
    this.onChange?.(from, to);
  }
}

/** A class rather than closures: one small object per attempt on the hot path. */
class Permit implements CircuitPermit {
  private done = false;

  constructor(
    private readonly breaker: CircuitBreaker,
    readonly probe: boolean,
    private readonly epoch: number,
  ) {}

  success(): void {
    this.end('success');
  }

  failure(): void {
    this.end('failure');
  }

  release(): void {
    this.end('release');
  }

  private end(verdict: 'success' | 'failure' | 'release'): void {
    if (this.done) return;
    this.done = true;
    this.breaker.settle(this.probe, this.epoch, verdict);
  }
}
