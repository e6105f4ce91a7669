// One test (at least) per finding of the fault-injection review (issue 9): each failed on the router before
// the attempt lifecycle, honest ranking, bounded streams and passes were built.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { INVALID_CALL_SETTINGS } from '../errors/error-codes.js';
import { ProviderError } from '../errors/provider-error.js';
import { RouteFailedError } from '../errors/route-failed-error.js';
import { RouterError } from '../errors/router-error.js';
import { StreamInterruptedError } from '../errors/stream-interrupted-error.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import type { StreamPart } from '../spec/stream-part.js';
import { fail, fakeProvider, fastRetry } from './fake-provider.test-helper.js';
import { Router, type RouterOptions } from './router.js';
import type { RouterEvent } from './router-events.js';

const router = (options: RouterOptions = {}) =>
  new Router({ strategy: 'round-robin', onWarning: false, retry: fastRetry, ...options });

afterEach(() => {
  vi.useRealTimers();
});

/** A provider whose stream sends `chunks` text deltas, then goes silent forever (ignoring its signal). */
function stallingStream(name: string, chunks: number): ProviderV1 {
  return {
    ...fakeProvider(name),
    async *stream(): AsyncGenerator<StreamPart> {
      yield { type: 'stream-start', warnings: [] };
      for (let i = 0; i < chunks; i++) yield { type: 'text-delta', id: '0', delta: `c${i} ` };
      await new Promise(() => {});
    },
  };
}

async function drain(stream: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const delta of stream) text += delta;
  return text;
}

describe('1. starvation: a provider whose first request failed still gets traffic', () => {
  for (const strategy of ['best-available', 'least-latency'] as const) {
    it(`${strategy}: after a caller's bad_request and after a transient failure`, async () => {
      const a = fakeProvider('a', (call) =>
        call === 0 ? { error: fail('bad_request') } : call === 1 ? { error: fail('server') } : {},
      );
      const b = fakeProvider('b');
      const r = router({ strategy, retry: { ...fastRetry, maxRetries: 0 }, exploration: 0 })
        .addProvider(a)
        .addProvider(b);
      await expect(r.route('bad')).rejects.toMatchObject({ reason: 'caller-error' });
      expect(r.getMetrics().a).toMatchObject({ health: 'healthy', callerErrors: 1, failedRequests: 0 });
      // "No latency sample" is no data: a leads again, fails transiently, b answers.
      expect((await r.route('hi')).provider).toBe('b');
      expect(a.calls).toHaveLength(2);
      for (let i = 0; i < 3; i++) await r.route('hi');
      expect(a.calls.length).toBeGreaterThan(2);
    });
  }
});

describe('3. the caller deadline is not a provider fault', () => {
  it('a deadline before the first chunk leaves health and circuit alone', async () => {
    const slow = fakeProvider('a', [{ delayMs: 1_000 }]);
    const r = router({ circuitBreaker: { failureThreshold: 1 } }).addProvider(slow);
    for (let i = 0; i < 3; i++) {
      await expect(r.route('hi', { deadlineMs: 10 })).rejects.toMatchObject({ reason: 'deadline' });
      await expect(drain(r.routeStream('hi', { deadlineMs: 10 }))).rejects.toMatchObject({
        reason: 'deadline',
      });
    }
    expect(r.getMetrics().a).toMatchObject({ circuit: 'closed', failedRequests: 0, health: 'healthy' });
  });

  it('a deadline after the first chunk ends the stream with the text so far, circuit closed', async () => {
    const r = router({ circuitBreaker: { failureThreshold: 1 }, idleTimeoutMs: 0 }).addProvider(
      stallingStream('a', 2),
    );
    const error = await drain(r.routeStream('hi', { deadlineMs: 30 })).catch((e: unknown) => e);
    expect(StreamInterruptedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'timeout', textSoFar: 'c0 c1 ' });
    expect(r.getMetrics().a).toMatchObject({ circuit: 'closed', failedRequests: 0 });
  });
});

describe('4. half-open is half-open (through the router)', () => {
  it('a request admitted before the circuit opened neither closes it nor lets a second probe through', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const a: ProviderV1 = {
      ...fakeProvider('a'),
      async generate(request) {
        if (request.messages[0]?.content === 'slow') {
          await gate;
          return { text: 'late', finishReason: 'stop' };
        }
        throw fail('server');
      },
    };
    const r = router({
      retry: { ...fastRetry, maxRetries: 0, maxPasses: 1 },
      circuitBreaker: { failureThreshold: 1, cooldownMs: 60_000 },
    }).addProvider(a);
    const early = r.route('slow');
    await expect(r.route('fail')).rejects.toMatchObject({ reason: 'all-failed' });
    expect(r.getMetrics().a?.circuit).toBe('open');
    release();
    await expect(early).resolves.toMatchObject({ text: 'late' });
    expect(r.getMetrics().a?.circuit).toBe('open');
  });
});

describe('5. one bad caller cannot black out the router', () => {
  it('an invalid role is rejected at the boundary, before any provider, naming the field', async () => {
    const a = fakeProvider('a');
    const r = router({ circuitBreaker: { failureThreshold: 1 } }).addProvider(a);
    const bad = [{ role: 'robot', content: 'hi' }] as never;
    for (let i = 0; i < 5; i++) {
      const error = await r.route(bad).catch((e: unknown) => e);
      expect(RouterError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/^Invalid prompt:\n {2}- messages\.0/);
      expect((error as Error).message).toMatch(/role must be "system", "user", "assistant" or "tool"/);
    }
    expect(() => r.routeStream([{ role: 'user', content: 42 }] as never)).toThrow(
      /messages\.0\.content: must be a string/,
    );
    expect(a.calls).toHaveLength(0);
    await expect(r.route('valid')).resolves.toMatchObject({ provider: 'a' });
  });

  it('a provider that throws while building a request is a caller fault: circuits stay closed', async () => {
    const builds: ProviderV1 = {
      ...fakeProvider('a'),
      async generate() {
        throw new Error('cannot map this message');
      },
    };
    const r = router({ circuitBreaker: { failureThreshold: 1 } }).addProvider(builds);
    for (let i = 0; i < 5; i++) await expect(r.route('hi')).rejects.toBeInstanceOf(Error);
    expect(r.getMetrics().a).toMatchObject({ circuit: 'closed', failedRequests: 0, callerErrors: 5 });
  });

  it('an unknown route option is an error naming it and the closest valid one', async () => {
    const r = router().addProvider(fakeProvider('a'));
    await expect(r.route('hi', { temprature: 0.2 } as never)).rejects.toThrow(
      /Unrecognized key: "temprature"; did you mean "temperature"\?/,
    );
    await expect(r.route('hi', { zzzz: 1 } as never)).rejects.toThrow(/Unrecognized key: "zzzz"/);
    expect(() => new Router({ strategy: 'round-robin', tiemoutMs: 5 } as never)).toThrow(
      /did you mean "timeoutMs"/,
    );
  });
});

const noResult = (): never => {
  throw new Error('expected the route to fail');
};

describe('6. an unknown price is never free', () => {
  const unpriced = () => ({ ...fakeProvider('unpriced'), pricing: undefined });
  const cheap = () =>
    fakeProvider('cheap', [], { pricing: { inputPer1K: 0.001, outputPer1K: 0.001, currency: 'USD' } });
  const free = () =>
    fakeProvider('free', [], { pricing: { inputPer1K: 0, outputPer1K: 0, currency: 'USD' } });

  it('when the hints leave no provider, the error says which hint removed which provider', async () => {
    const r = router()
      .addProvider(unpriced())
      .addProvider(fakeProvider('plain'))
      .addProvider(cheap())
      .addProvider(fakeProvider('banned', [], { capabilities: { tools: true } }));
    const error = await r
      .route('hi', {
        maxCost: { amount: 0.000001, currency: 'USD' },
        requiredCapabilities: ['tools'],
        excludeProviders: ['banned'],
      })
      .then(noResult, (e: unknown) => e as Error);
    expect(error.message).toContain('`requiredCapabilities: tools` removed unpriced, plain, cheap');
    expect(error.message).toContain('`excludeProviders` removed banned');
    const costly = await router()
      .addProvider(cheap())
      .route('hi', { maxCost: { amount: 0.000001, currency: 'USD' } })
      .then(noResult, (e: unknown) => e as Error);
    expect(costly.message).toMatch(/`maxCost` removed cheap \(estimated [\d.e-]+ USD > 0.000001 USD\)/);
  });

  it('cost-aware tries priced providers first', async () => {
    const r = router({ strategy: 'cost-aware' }).addProvider(unpriced()).addProvider(cheap());
    expect((await r.route('hi')).provider).toBe('cheap');
  });

  it('maxCost excludes unpriced providers and says so when none is left; a zero price declares free', async () => {
    const only = router().addProvider(unpriced());
    await expect(only.route('hi', { maxCost: { amount: 1, currency: 'USD' } })).rejects.toThrow(
      /`maxCost` removed unpriced \(price unknown\); give unpriced providers prices/,
    );
    const r = router().addProvider(unpriced()).addProvider(free());
    const result = await r.route('hi', { maxCost: { amount: 0.000001, currency: 'USD' } });
    expect(result.provider).toBe('free');
    expect(result.cost).toEqual({ amount: 0, currency: 'USD', known: true });
    const unknown = await router().addProvider(unpriced()).route('hi');
    expect(unknown.cost).toMatchObject({ amount: 0, known: false });
  });
});

describe('6b. a prompt that cannot fit skips the provider', () => {
  const small = () => fakeProvider('small', [], { capabilities: { contextWindow: 1_000 } });
  const large = () => fakeProvider('large', [], { capabilities: { contextWindow: 100_000 } });

  it('promptTokens + maxTokens over a declared context window skips that provider, never calling it', async () => {
    const s = small();
    const r = router().addProvider(s).addProvider(large());
    const result = await r.route('hi', { promptTokens: 900, maxTokens: 200, preferredProvider: 'small' });
    expect(result.provider).toBe('large');
    expect(s.calls).toHaveLength(0);
    // It fits without maxTokens' room, and a provider that declares no window is never assumed too small.
    expect((await r.route('hi', { promptTokens: 900, preferredProvider: 'small' })).provider).toBe('small');
    const unknown = router().addProvider(fakeProvider('plain'));
    expect((await unknown.route('hi', { promptTokens: 10_000_000 })).provider).toBe('plain');
  });

  it('when nothing fits, the error names each provider with the numbers', async () => {
    const error = await router()
      .addProvider(small())
      .route('hi', { promptTokens: 900, maxTokens: 200 })
      .then(noResult, (e: unknown) => e as Error);
    expect(error.message).toContain(
      '`promptTokens` removed small (900 + 200 (maxTokens) tokens > its context window of 1000)',
    );
  });

  it('a bad promptTokens is refused before any provider is called', async () => {
    const r = router().addProvider(large());
    await expect(r.route('hi', { promptTokens: -1 })).rejects.toThrow(/promptTokens/);
    await expect(r.route('hi', { promptTokens: 1.5 })).rejects.toThrow(/promptTokens/);
  });
});

describe('7. streams are bounded', () => {
  it('a stream that sends two chunks and goes silent ends with a timeout and the text so far', async () => {
    const r = router({ idleTimeoutMs: 30, circuitBreaker: { failureThreshold: 1 } }).addProvider(
      stallingStream('a', 2),
    );
    const stream = r.routeStream('hi');
    const error = await drain(stream).catch((e: unknown) => e);
    expect(StreamInterruptedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'timeout', textSoFar: 'c0 c1 ' });
    expect((error as Error & { cause: Error }).cause.message).toMatch(/sent nothing for 30 ms/);
    await expect(stream.result).rejects.toMatchObject({ kind: 'timeout' });
    // A stalled provider is the provider's fault.
    expect(r.getMetrics().a?.circuit).toBe('open');
  });

  it('a stream with no first chunk in time falls back to the next provider', async () => {
    // Generous for b (it answers at once): a loaded CI machine must not make b time out too.
    const r = router({ firstChunkTimeoutMs: 300, retry: { ...fastRetry, maxRetries: 0 } })
      .addProvider(stallingStream('a', 0))
      .addProvider(fakeProvider('b', [{ text: 'from b' }]));
    const stream = r.routeStream('hi');
    expect(await drain(stream)).toBe('from b');
    const result = await stream.result;
    expect(result.attempts[0]).toMatchObject({ provider: 'a', errorKind: 'timeout' });
    expect(result.attempts[0]?.errorMessage).toMatch(/no first chunk within 300 ms/);
  });

  it('time the consumer spends between reads does not count as silence', async () => {
    const r = router({ idleTimeoutMs: 150 }).addProvider(fakeProvider('a', [{ text: 'one two three' }]));
    let text = '';
    for await (const delta of r.routeStream('hi')) {
      text += delta;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(text).toBe('one two three');
  });

  it('a stream with no content and no finish reason is malformed: retried once, then the next provider', async () => {
    const empty: ProviderV1 = {
      ...fakeProvider('a'),
      async *stream(): AsyncGenerator<StreamPart> {
        yield { type: 'stream-start', warnings: [] };
        yield { type: 'finish', finishReason: 'unknown' };
      },
    };
    const noFinish: ProviderV1 = {
      ...fakeProvider('c'),
      async *stream(): AsyncGenerator<StreamPart> {
        yield { type: 'text-delta', id: '0', delta: 'half' };
      },
    };
    const r = router()
      .addProvider(empty)
      .addProvider(fakeProvider('b', [{ text: 'from b' }]));
    const stream = r.routeStream('hi');
    expect(await drain(stream)).toBe('from b');
    const { attempts } = await stream.result;
    expect(attempts.map((a) => `${a.provider}:${a.errorKind ?? a.outcome}`)).toEqual([
      'a:invalid_response',
      'a:invalid_response',
      'b:success',
    ]);
    const cut = await drain(router().addProvider(noFinish).routeStream('hi')).catch((e: unknown) => e);
    expect(cut).toMatchObject({
      name: 'StreamInterruptedError',
      kind: 'invalid_response',
      textSoFar: 'half',
    });
  });

  it('a consumer that stops at the finish part still gets its result', async () => {
    const r = router().addProvider(fakeProvider('a', [{ text: 'x y' }]));
    const stream = r.routeStream('hi');
    for await (const part of stream.parts) if (part.type === 'finish') break;
    await expect(stream.result).resolves.toMatchObject({ text: 'x y' });
  });
});

describe('8. passes: go around again while the deadline has room', () => {
  it('every provider fails transiently on the first pass; the second pass succeeds', async () => {
    const a = fakeProvider('a', (call) => (call < 2 ? { error: fail('server') } : { text: 'a ok' }));
    const b = fakeProvider('b', (call) => (call < 2 ? { error: fail('overloaded') } : { text: 'b ok' }));
    const r = router({ retry: { ...fastRetry, maxRetries: 1 } })
      .addProvider(a)
      .addProvider(b);
    const result = await r.route('hi', { deadlineMs: 5_000 });
    expect(result.text).toBe('a ok');
    expect(result.attempts.map((x) => `${x.provider}:${x.outcome}`)).toEqual([
      'a:error',
      'a:error',
      'b:error',
      'b:error',
      'a:success',
    ]);
  });

  it('does not go around again after a permanent failure, and stops at maxPasses', async () => {
    const auth = fakeProvider('a', [{ error: fail('auth') }]);
    const down = fakeProvider('b', [{ error: fail('server') }]);
    const r = router({ retry: { ...fastRetry, maxRetries: 0, maxPasses: 3 } })
      .addProvider(auth)
      .addProvider(down);
    await expect(r.route('hi')).rejects.toMatchObject({ reason: 'all-failed' });
    expect(auth.calls).toHaveLength(1);
    expect(down.calls).toHaveLength(3);
  });

  it('a malformed 200 on the last pass is retried once', async () => {
    const a = fakeProvider('a', (call) => (call === 0 ? { error: fail('invalid_response') } : {}));
    const result = await router({ retry: { ...fastRetry, maxPasses: 1 } })
      .addProvider(a)
      .route('hi');
    expect(result.provider).toBe('a');
  });
});

describe('9. close() waits for requests in flight, then drains usage, bounded', () => {
  it('waits for a running request and delivers its usage record', async () => {
    const records: string[] = [];
    const r = router({ usageCallback: (record) => void records.push(record.id) }).addProvider(
      fakeProvider('a', [{ delayMs: 30 }]),
    );
    const pending = r.route('hi');
    const report = await r.close({ timeoutMs: 5_000 });
    await expect(pending).resolves.toMatchObject({ provider: 'a' });
    expect(report).toMatchObject({ drained: true, requestsInFlight: 0 });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports instead of hanging when a request or the usage callback never ends', async () => {
    const r = router({
      usageCallback: () => new Promise(() => {}),
      callbackTimeoutMs: 10,
      usageDelivery: { retry: { maxAttempts: 1000, initialDelayMs: 5, maxDelayMs: 10 } },
    }).addProvider(fakeProvider('a', (call) => (call === 0 ? {} : { hang: true })));
    await r.route('hi');
    void r.route('hang', { timeoutMs: 60_000 }).catch(() => {});
    const report = await r.close({ timeoutMs: 100 });
    expect(report.drained).toBe(false);
    expect(report.requestsInFlight).toBe(1);
  });
});

describe('10. events: every route-start has exactly one route-end', () => {
  it('when the hints leave no provider, when the strategy throws, on success and on failure', async () => {
    const events: RouterEvent[] = [];
    const throwing = {
      name: 'broken',
      order(): never {
        throw new Error('boom');
      },
    };
    const r = router().addProvider(fakeProvider('a'));
    r.on('*', (e) => events.push(e));
    await expect(r.route('hi', { excludeProviders: ['a'] })).rejects.toMatchObject({
      reason: 'no-candidates',
    });
    await r.route('hi');
    await drain(r.routeStream('hi'));
    const broken = router({ strategy: throwing }).addProvider(fakeProvider('a'));
    broken.on('*', (e) => events.push(e));
    const error = await broken.route('hi').catch((e: unknown) => e);
    expect(RouterError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'strategy-failed' });
    expect((error as Error).message).toMatch(/strategy "broken" failed: boom/);
    await expect(drain(broken.routeStream('hi'))).rejects.toMatchObject({ code: 'strategy-failed' });
    const starts = events.filter((e) => e.type === 'route-start').map((e) => e.requestId);
    const ends = events.filter((e) => e.type === 'route-end').map((e) => e.requestId);
    expect(starts).toHaveLength(5);
    expect(ends).toEqual(starts);
  });
});

describe('11. small ones', () => {
  it('an unconsumed routeStream() holds no timer', () => {
    vi.useFakeTimers();
    const r = router({ deadlineMs: 60_000 }).addProvider(fakeProvider('a'));
    const before = vi.getTimerCount();
    r.routeStream('hi');
    expect(vi.getTimerCount()).toBe(before);
  });

  it('RouteFailedError after passes lists every attempt', async () => {
    const r = router({ retry: { ...fastRetry, maxRetries: 0, maxPasses: 2 } }).addProvider(
      fakeProvider('a', [{ error: fail('server') }]),
    );
    const error = (await r.route('hi').catch((e: unknown) => e)) as RouteFailedError;
    expect(RouteFailedError.isInstance(error)).toBe(true);
    expect(error.attempts).toHaveLength(2);
  });
});

describe('a value outside one provider’s documented range', () => {
  const refusal = () =>
    new ProviderError({
      kind: 'bad_request',
      code: INVALID_CALL_SETTINGS,
      message: 'strict: temperature must be between 0 and 1; got 1.5',
    });

  it('is that provider’s refusal, not the request’s: the router tries the next, health untouched', async () => {
    const strict = fakeProvider('strict', [{ error: refusal() }]);
    const lenient = fakeProvider('lenient', [{ text: 'ok' }]);
    const r = router({ strategy: 'first-available', circuitBreaker: { failureThreshold: 1 } })
      .addProvider(strict)
      .addProvider(lenient);
    const result = await r.route('hi', { temperature: 1.5 });
    expect(result.provider).toBe('lenient');
    expect(result.attempts[0]).toMatchObject({
      provider: 'strict',
      outcome: 'error',
      errorKind: 'bad_request',
    });
    expect(r.getMetrics().strict).toMatchObject({ circuit: 'closed', failedRequests: 0, health: 'healthy' });
  });

  it('alone, it fails with the provider’s own message', async () => {
    const r = router().addProvider(fakeProvider('strict', [{ error: refusal() }]));
    const error = await r.route('hi', { temperature: 1.5 }).catch((e: unknown) => e);
    expect(RouteFailedError.isInstance(error)).toBe(true);
    expect(String((error as RouteFailedError).lastError)).toMatch(/temperature must be between 0 and 1/);
  });
});
