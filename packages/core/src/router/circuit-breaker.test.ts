import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitPermit } from './circuit-breaker.js';

const permit = (breaker: CircuitBreaker): CircuitPermit => {
  const p = breaker.acquire();
  if (!p) throw new Error('expected a permit');
  return p;
};

describe('CircuitBreaker', () => {
  it('allows exactly one probe in half-open state, and a failed probe reopens', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 100 }, () => now);
    for (let i = 0; i < 3; i++) permit(breaker).failure();
    expect(breaker.state).toBe('open');
    expect(breaker.acquire()).toBeUndefined();
    now = 100;
    const probe = permit(breaker);
    expect(probe.probe).toBe(true);
    expect(breaker.state).toBe('half-open');
    expect(breaker.acquire()).toBeUndefined();
    probe.failure();
    expect(breaker.state).toBe('open');
    now = 150;
    expect(breaker.acquire()).toBeUndefined();
    now = 200;
    permit(breaker).success();
    expect(breaker.state).toBe('closed');
  });

  it('resets the failure count on success', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 100 }, () => 0);
    permit(breaker).failure();
    permit(breaker).success();
    permit(breaker).failure();
    expect(breaker.state).toBe('closed');
  });

  it('a released probe (no verdict) lets the next request probe', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10 }, () => now);
    permit(breaker).failure();
    now = 10;
    permit(breaker).release();
    expect(permit(breaker).probe).toBe(true);
  });

  it('a verdict counts once: a second call on the same permit is ignored', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 10 }, () => 0);
    const p = permit(breaker);
    p.failure();
    p.failure();
    expect(breaker.state).toBe('closed');
  });

  // Finding 4: a request admitted before the circuit opened must not act as a probe.
  it('a request admitted before the circuit opened neither frees the probe slot nor closes the circuit', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10 }, () => now);
    const early = permit(breaker); // admitted while closed, still running
    const lateRelease = permit(breaker);
    permit(breaker).failure(); // opens the circuit
    expect(breaker.state).toBe('open');

    early.success(); // a late success of the early request: no probe happened, the circuit stays open
    expect(breaker.state).toBe('open');

    now = 10;
    const probe = permit(breaker);
    expect(probe.probe).toBe(true);
    lateRelease.release(); // must not free the probe slot
    expect(breaker.acquire()).toBeUndefined();
    probe.success();
    expect(breaker.state).toBe('closed');
  });

  it('a stale failure from before a recovery does not count against the closed circuit', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10 }, () => now);
    const stale = permit(breaker);
    permit(breaker).failure();
    now = 10;
    permit(breaker).success();
    expect(breaker.state).toBe('closed');
    stale.failure();
    expect(breaker.state).toBe('closed');
  });

  it('reports each transition once', () => {
    let now = 0;
    const changes: string[] = [];
    const breaker = new CircuitBreaker(
      { failureThreshold: 1, cooldownMs: 10 },
      () => now,
      (from, to) => changes.push(`${from}→${to}`),
    );
    permit(breaker).failure();
    now = 10;
    permit(breaker).success();
    expect(changes).toEqual(['closed→open', 'open→half-open', 'half-open→closed']);
  });
});
