import { afterEach, describe, expect, it, vi } from 'vitest';
import { RouteFailedError } from '../errors/route-failed-error.js';
import { fail, fakeProvider, fastRetry } from './fake-provider.test-helper.js';
import { Router } from './router.js';

const router = (options: ConstructorParameters<typeof Router>[0] = {}) =>
  new Router({ strategy: 'round-robin', onWarning: false, retry: fastRetry, ...options });

afterEach(() => {
  vi.useRealTimers();
});

describe('transient errors are retried on the same provider', () => {
  for (const kind of ['rate_limit', 'timeout', 'network', 'server', 'overloaded'] as const) {
    it(`${kind}: retried, then succeeds on the same provider`, async () => {
      const a = fakeProvider('a', [{ error: fail(kind) }, { error: fail(kind) }, { text: 'ok' }]);
      const b = fakeProvider('b');
      const r = router().addProvider(a).addProvider(b);
      const result = await r.route('hi');
      expect(result).toMatchObject({ provider: 'a', text: 'ok' });
      expect(result.attempts.map((x) => [x.provider, x.outcome, x.errorKind, x.retry])).toEqual([
        ['a', 'error', kind, 0],
        ['a', 'error', kind, 1],
        ['a', 'success', undefined, 2],
      ]);
      expect(b.calls).toHaveLength(0);
    });
  }

  it('moves to the next provider after maxRetries', async () => {
    const a = fakeProvider('a', [{ error: fail('server') }]);
    const r = router({ retry: { ...fastRetry, maxRetries: 1 } })
      .addProvider(a)
      .addProvider(fakeProvider('b'));
    const result = await r.route('hi');
    expect(result.provider).toBe('b');
    expect(a.calls).toHaveLength(2);
  });

  it('a rejected TLS certificate is tried once: no retry, no later pass', async () => {
    const a = fakeProvider('a', [{ error: fail('network', { retryable: false, code: 'tls-certificate' }) }]);
    const r = router({ retry: { ...fastRetry, maxPasses: 3 } }).addProvider(a);
    await expect(r.route('hi')).rejects.toMatchObject({ reason: 'all-failed', kind: 'network' });
    expect(a.calls).toHaveLength(1);
  });

  it('does not retry an error the provider marked non-retryable', async () => {
    const a = fakeProvider('a', [{ error: fail('server', { retryable: false }) }]);
    await router().addProvider(a).addProvider(fakeProvider('b')).route('hi');
    expect(a.calls).toHaveLength(1);
  });
});

describe('provider-specific failures move on at once', () => {
  for (const kind of ['auth', 'permission', 'quota', 'not_found', 'content_filter'] as const) {
    it(`${kind}: next provider, no retry`, async () => {
      const a = fakeProvider('a', [{ error: fail(kind) }]);
      const result = await router().addProvider(a).addProvider(fakeProvider('b')).route('hi');
      expect(result.provider).toBe('b');
      expect(a.calls).toHaveLength(1);
    });
  }

  it('invalid_response (a malformed or truncated 200) is retried once on the same provider, then moves on', async () => {
    const a = fakeProvider('a', [{ error: fail('invalid_response') }]);
    const result = await router().addProvider(a).addProvider(fakeProvider('b')).route('hi');
    expect(result.provider).toBe('b');
    expect(a.calls).toHaveLength(2);
    const flaky = fakeProvider('a', [{ error: fail('invalid_response') }, { text: 'fine' }]);
    const again = await router().addProvider(flaky).addProvider(fakeProvider('b')).route('hi');
    expect(again).toMatchObject({ provider: 'a', text: 'fine' });
  });

  it('an unexpected exception (not a ProviderError) is a caller fault: next provider, health untouched', async () => {
    const a = fakeProvider('a', [{ error: new TypeError('bug in a custom provider') }]);
    const r = router({ circuitBreaker: { failureThreshold: 1 } })
      .addProvider(a)
      .addProvider(fakeProvider('b'));
    const result = await r.route('hi');
    expect(result.provider).toBe('b');
    expect(result.attempts[0]).toMatchObject({ errorKind: 'bad_request' });
    expect(result.attempts[0]?.errorMessage).toMatch(
      /a could not handle this request: bug in a custom provider/,
    );
    expect(a.calls).toHaveLength(1);
    expect(r.getMetrics().a).toMatchObject({ circuit: 'closed', failedRequests: 0, callerErrors: 1 });
  });
});

describe('caller errors stop at once', () => {
  it('bad_request: the next provider is never called', async () => {
    const b = fakeProvider('b');
    const error = await router()
      .addProvider(fakeProvider('a', [{ error: fail('bad_request', { status: 400 }) }]))
      .addProvider(b)
      .route('hi')
      .catch((e: unknown) => e);
    expect(RouteFailedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'caller-error', kind: 'bad_request' });
    expect(b.calls).toHaveLength(0);
  });

  it('context_length moves on only to providers with a larger context window', async () => {
    const small = fakeProvider('small', [{ error: fail('context_length') }], {
      capabilities: { contextWindow: 8_000 },
    });
    const smaller = fakeProvider('smaller', [], { capabilities: { contextWindow: 4_000 } });
    const large = fakeProvider('large', [], { capabilities: { contextWindow: 128_000 } });
    const result = await router().addProvider(small).addProvider(smaller).addProvider(large).route('long');
    expect(result.provider).toBe('large');
    expect(smaller.calls).toHaveLength(0);
  });

  it('context_length with no larger model left stops', async () => {
    const r = router()
      .addProvider(
        fakeProvider('a', [{ error: fail('context_length') }], { capabilities: { contextWindow: 8_000 } }),
      )
      .addProvider(fakeProvider('b'));
    await expect(r.route('long')).rejects.toMatchObject({ reason: 'caller-error', kind: 'context_length' });
  });
});

describe('when everything fails', () => {
  it('throws RouteFailedError listing every provider, kind and latency', async () => {
    const r = router({ retry: { ...fastRetry, maxRetries: 1, maxPasses: 1 } })
      .addProvider(fakeProvider('a', [{ error: fail('rate_limit') }]))
      .addProvider(fakeProvider('b', [{ error: fail('auth') }]))
      .addProvider(fakeProvider('c', [{ error: fail('server') }]));
    const error = (await r.route('hi').catch((e: unknown) => e)) as RouteFailedError;
    expect(error.reason).toBe('all-failed');
    expect(error.kind).toBe('server');
    expect(error.attempts.map((x) => [x.provider, x.errorKind, x.retry])).toEqual([
      ['a', 'rate_limit', 0],
      ['a', 'rate_limit', 1],
      ['b', 'auth', 0],
      ['c', 'server', 0],
      ['c', 'server', 1],
    ]);
    for (const attempt of error.attempts) expect(attempt.latencyMs).toBeGreaterThanOrEqual(0);
    expect(error.message).toMatch(/^All providers failed: a \(rate_limit, \d+ ms\) → a retry 1/);
  });

  it('with no providers, says how to add one', async () => {
    await expect(router().route('hi')).rejects.toThrow(/no providers registered; call addProvider/);
  });
});

describe('timeouts, deadline and cancellation', () => {
  it('a provider that hangs and ignores its signal hits the per-attempt timeout, then the next provider answers', async () => {
    const hanging = fakeProvider('a', [{ hang: true }]);
    const result = await router({ timeoutMs: 30, retry: { ...fastRetry, maxRetries: 0 } })
      .addProvider(hanging)
      .addProvider(fakeProvider('b'))
      .route('hi');
    expect(result.provider).toBe('b');
    expect(result.attempts[0]).toMatchObject({ provider: 'a', errorKind: 'timeout' });
  });

  it('the overall deadline stops retries and fallbacks', async () => {
    const r = router({ timeoutMs: 1_000, retry: { ...fastRetry, maxRetries: 0 } })
      .addProvider(fakeProvider('a', [{ delayMs: 200 }]))
      .addProvider(fakeProvider('b', [{ delayMs: 200 }]));
    const error = await r.route('hi', { deadlineMs: 30 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'deadline', kind: 'timeout' });
  });

  it('one stalled provider cannot use up the whole deadline: it gets half of what is left, then the next answers', async () => {
    const stalled = fakeProvider('a', [{ hang: true }]);
    const r = router({ timeoutMs: 60_000, circuitBreaker: { failureThreshold: 1 } })
      .addProvider(stalled)
      .addProvider(fakeProvider('b'));
    const result = await r.route('hi', { deadlineMs: 1_000 });
    expect(result.provider).toBe('b');
    expect(result.attempts[0]).toMatchObject({ provider: 'a', errorKind: 'timeout' });
    expect(result.attempts[0]?.errorMessage).toMatch(/half of what was left of the deadline/);
    // The tight deadline is the caller's: no verdict on a.
    expect(r.getMetrics().a).toMatchObject({ circuit: 'closed', failedRequests: 0 });
  });

  it('a provider that hit the attempt timeout is not retried on the same provider', async () => {
    const stalled = fakeProvider('a', [{ hang: true }]);
    const r = router({ timeoutMs: 200, retry: { ...fastRetry, maxPasses: 1 } })
      .addProvider(stalled)
      .addProvider(fakeProvider('b'));
    expect((await r.route('hi')).provider).toBe('b');
    expect(stalled.calls).toHaveLength(1);
  });

  it('an abort during a backoff sleep ends the request at once', async () => {
    const b = fakeProvider('b');
    const r = router({ retry: { ...fastRetry, initialDelayMs: 60_000, maxDelayMs: 60_000 }, seed: 1 })
      .addProvider(fakeProvider('a', [{ error: fail('server') }]))
      .addProvider(b);
    const controller = new AbortController();
    const pending = r.route('hi', { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'cancelled', kind: 'cancelled' });
    expect(b.calls).toHaveLength(0);
  });

  it('an abort during a call reaches the provider through its signal', async () => {
    const a = fakeProvider('a', [{ delayMs: 60_000 }]);
    const controller = new AbortController();
    const pending = router().addProvider(a).route('hi', { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toMatchObject({ reason: 'cancelled' });
    expect(a.calls[0]?.signal?.aborted).toBe(true);
  });
});

describe('Retry-After', () => {
  it('waits exactly as long as the provider asked (fake timers)', async () => {
    vi.useFakeTimers();
    const a = fakeProvider('a', [{ error: fail('rate_limit', { retryAfterMs: 5_000 }) }, { text: 'later' }]);
    const r = router({ retry: { ...fastRetry, initialDelayMs: 1 } }).addProvider(a);
    const pending = r.route('hi');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(a.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(a.calls).toHaveLength(2);
    await expect(pending).resolves.toMatchObject({ text: 'later', provider: 'a' });
  });

  it('a Retry-After beyond maxRetryAfterMs moves on to the next provider instead of waiting', async () => {
    const a = fakeProvider('a', [{ error: fail('rate_limit', { retryAfterMs: 3_600_000 }) }]);
    const result = await router({ retry: { ...fastRetry, maxRetryAfterMs: 10_000 } })
      .addProvider(a)
      .addProvider(fakeProvider('b'))
      .route('hi');
    expect(result.provider).toBe('b');
    expect(a.calls).toHaveLength(1);
  });

  it('backoff without Retry-After is capped and jittered (fake timers)', async () => {
    vi.useFakeTimers();
    const a = fakeProvider('a', [{ error: fail('server') }, { error: fail('server') }, { text: 'ok' }]);
    const r = router({
      retry: { maxRetries: 2, initialDelayMs: 1_000, maxDelayMs: 1_500, factor: 10 },
      seed: 5,
    }).addProvider(a);
    const pending = r.route('hi');
    // First retry waits at most 1000 ms, the second at most the 1500 ms cap.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(a.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_500);
    await expect(pending).resolves.toMatchObject({ text: 'ok' });
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures, skips the provider, then lets one probe through after the cooldown', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const a = fakeProvider('a', (call) => (call < 2 ? { error: fail('auth') } : { text: 'recovered' }));
    const r = router({
      circuitBreaker: { failureThreshold: 2, cooldownMs: 10_000 },
      strategy: 'first-available',
    })
      .addProvider(a)
      .addProvider(fakeProvider('b'));
    const states: string[] = [];
    r.on('circuit-state-change', (e) => states.push(`${e.from}→${e.to}`));
    await r.route('1');
    await r.route('2');
    expect(r.getMetrics().a?.circuit).toBe('open');
    const skipped = await r.route('3');
    expect(skipped.attempts[0]).toMatchObject({ provider: 'a', outcome: 'skipped' });
    expect(a.calls).toHaveLength(2);
    vi.setSystemTime(Date.now() + 10_001);
    const probe = await r.route('4');
    expect(probe.provider).toBe('a');
    expect(states).toEqual(['closed→open', 'open→half-open', 'half-open→closed']);
  });

  it('caller errors do not count toward opening the circuit', async () => {
    const r = router({ circuitBreaker: { failureThreshold: 1 } }).addProvider(
      fakeProvider('a', (call) => (call === 0 ? { error: fail('bad_request') } : {})),
    );
    await r.route('1').catch(() => {});
    expect(r.getMetrics().a?.circuit).toBe('closed');
    await expect(r.route('2')).resolves.toMatchObject({ provider: 'a' });
  });

  it('can be turned off', async () => {
    const r = router({ circuitBreaker: false }).addProvider(fakeProvider('a', [{ error: fail('auth') }]));
    for (let i = 0; i < 8; i++) await r.route('x').catch(() => {});
    expect(r.getMetrics().a?.circuit).toBe('closed');
  });
});
