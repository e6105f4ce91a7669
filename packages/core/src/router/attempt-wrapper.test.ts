import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it, vi } from 'vitest';
import type { ChatRequest } from '../spec/chat-request.js';
import type { GenerateResult, ProviderV1 } from '../spec/provider-v1.js';
import type { StreamPart } from '../spec/stream-part.js';
import type { AttemptInfo } from './attempt-wrapper.js';
import { BaseRouter } from './base-router.js';
import { fail, fakeProvider, fastRetry } from './fake-provider.test-helper.js';
import { firstAvailable } from './strategies/first-available.js';

// `wrapAttempts` exists so instrumentation is in effect inside the provider call (a tracer's active span for
// the HTTP client's spans). An AsyncLocalStorage stands in for the tracer's context manager here.
const als = new AsyncLocalStorage<string>();

/** A provider that records the context it runs in: in generate(), in stream(), and in its first read. */
function contextProbe(name: string, failures = 0): ProviderV1 & { seen: (string | undefined)[] } {
  let calls = 0;
  const seen: (string | undefined)[] = [];
  return {
    specificationVersion: 'v1',
    name,
    model: `${name}-model`,
    providerType: 'fake',
    pricing: { inputPer1K: 0, outputPer1K: 0, currency: 'USD' },
    seen,
    async generate(_request: ChatRequest): Promise<GenerateResult> {
      await new Promise((resolve) => setTimeout(resolve, 1)); // across an async boundary, as a fetch is
      seen.push(als.getStore());
      if (calls++ < failures) throw fail('server');
      return { text: `from ${name}`, finishReason: 'stop' };
    },
    stream(_request: ChatRequest): AsyncIterable<StreamPart> {
      seen.push(als.getStore());
      const attempt = calls++;
      return (async function* () {
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen.push(als.getStore()); // the first read: where an HTTP provider sends its request
        if (attempt < failures) throw fail('server');
        yield { type: 'stream-start', warnings: [] } as StreamPart;
        yield { type: 'text-delta', id: '0', delta: `from ${name}` } as StreamPart;
        yield { type: 'finish', finishReason: 'stop' } as StreamPart;
      })();
    },
    async healthCheck() {
      return true;
    },
  };
}

const labelOf = (info: AttemptInfo) => `${info.provider}#${info.retry}`;

/** Runs `body` with the process's unhandled rejections collected (by default one ends a Node process). */
async function collectingUnhandled(body: (unhandled: unknown[]) => Promise<void>): Promise<void> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    await body(unhandled);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
}

describe('router.wrapAttempts', () => {
  it('runs each attempt of route() inside the wrapper, retries and fallbacks included', async () => {
    const a = contextProbe('a', 3); // fails every try: two retries, then the fallback
    const b = contextProbe('b');
    const router = new BaseRouter({ strategy: firstAvailable(), onWarning: false, retry: fastRetry })
      .addProvider(a)
      .addProvider(b);
    const infos: AttemptInfo[] = [];
    router.wrapAttempts((info, run) => {
      infos.push(info);
      return als.run(labelOf(info), run);
    });
    const result = await router.route('hi');
    expect(result.provider).toBe('b');
    expect(a.seen).toEqual(['a#0', 'a#1', 'a#2']);
    expect(b.seen).toEqual(['b#0']);
    expect(infos.map(labelOf)).toEqual(['a#0', 'a#1', 'a#2', 'b#0']);
    expect(new Set(infos.map((i) => i.requestId))).toEqual(new Set([result.requestId]));
    expect(infos.every((i) => i.streaming === false && i.model.endsWith('-model'))).toBe(true);
  });

  it('covers stream() and its reads up to the first content part, for every attempt', async () => {
    const a = contextProbe('a', 1);
    const b = contextProbe('b');
    const router = new BaseRouter({
      strategy: firstAvailable(),
      onWarning: false,
      retry: { ...fastRetry, maxRetries: 0 },
    })
      .addProvider(a)
      .addProvider(b);
    router.wrapAttempts((info, run) => als.run(labelOf(info), run));
    const stream = router.routeStream('hi');
    let text = '';
    for await (const delta of stream) text += delta;
    expect(text).toBe('from b');
    expect(a.seen).toEqual(['a#0', 'a#0']);
    expect(b.seen).toEqual(['b#0', 'b#0']);
  });

  it('composes wrappers, first added outermost, and removes them', async () => {
    const router = new BaseRouter({ strategy: firstAvailable(), onWarning: false }).addProvider(
      fakeProvider('a'),
    );
    const order: string[] = [];
    const removeOuter = router.wrapAttempts((_info, run) => {
      order.push('outer in');
      const value = run();
      order.push('outer out');
      return value;
    });
    router.wrapAttempts((_info, run) => {
      order.push('inner in');
      const value = run();
      order.push('inner out');
      return value;
    });
    await router.route('hi');
    expect(order).toEqual(['outer in', 'inner in', 'inner out', 'outer out']);
    removeOuter();
    order.length = 0;
    await router.route('hi');
    expect(order).toEqual(['inner in', 'inner out']);
  });

  it('a wrapper that throws, skips run or calls it twice cannot break the request or call twice', async () => {
    const warnings: string[] = [];
    const provider = fakeProvider('a');
    const router = new BaseRouter({
      strategy: firstAvailable(),
      onWarning: (warning) => warnings.push(warning.code),
    }).addProvider(provider);
    const remove = router.wrapAttempts(() => {
      throw new Error('tracer bug');
    });
    expect((await router.route('hi')).text).toBe('answer from a');
    remove();
    const remove2 = router.wrapAttempts(() => 'never ran it');
    expect((await router.route('hi')).text).toBe('answer from a');
    remove2();
    router.wrapAttempts((_info, run) => {
      run();
      return run();
    });
    expect((await router.route('hi')).text).toBe('answer from a');
    expect(provider.calls).toHaveLength(3);
    // Reported on the 1st, 10th, 100th… failure: a wrapper failing on every attempt cannot flood the log.
    expect(warnings).toEqual(['attempt-wrapper-failed']);
  });

  it('reports wrapper failures on the 1st, 10th and 100th time only', async () => {
    const warnings: unknown[] = [];
    const router = new BaseRouter({
      strategy: firstAvailable(),
      onWarning: (warning) => warnings.push(warning.details?.occurrences),
    }).addProvider(fakeProvider('a'));
    router.wrapAttempts(() => {
      throw new Error('tracer bug');
    });
    for (let i = 0; i < 100; i++) await router.route('hi');
    expect(warnings).toEqual([1, 10, 100]);
  });

  it('an async wrapper is watched: a failing call leaves no unhandled rejection, and the fallback answers', () =>
    collectingUnhandled(async (unhandled) => {
      const warnings: string[] = [];
      const router = new BaseRouter({
        strategy: firstAvailable(),
        onWarning: (warning) => warnings.push(warning.message),
        retry: { ...fastRetry, maxRetries: 0 },
      })
        .addProvider(fakeProvider('bad', [{ error: fail('server') }]))
        .addProvider(fakeProvider('good'));
      const timings: string[] = [];
      router.wrapAttempts(async (info, run) => {
        try {
          return await run();
        } finally {
          timings.push(info.provider);
        }
      });
      expect((await router.route('hi')).provider).toBe('good');
      const stream = router.routeStream('hi');
      for await (const _ of stream);
      expect((await stream.result).provider).toBe('good');
      // Let every rejection that could go unhandled surface (they are reported after a macrotask).
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
      expect(warnings).toEqual([]);
      expect(timings).toEqual(['bad', 'good', 'bad', 'good']);
    }));

  it("an async wrapper's own rejection is reported, not left unhandled", () =>
    collectingUnhandled(async (unhandled) => {
      const warnings: string[] = [];
      const router = new BaseRouter({
        strategy: firstAvailable(),
        onWarning: (warning) => warnings.push(warning.message),
      }).addProvider(fakeProvider('a'));
      router.wrapAttempts(async (_info, run) => {
        await run();
        throw new Error('span export failed');
      });
      expect((await router.route('hi')).text).toBe('answer from a');
      await vi.waitFor(() =>
        expect(warnings).toEqual(['An attempt wrapper rejected: Error: span export failed']),
      );
      expect(unhandled).toEqual([]);
    }));

  it("passes the provider's own error through unchanged, with no wrapper warning", async () => {
    const warnings: string[] = [];
    const router = new BaseRouter({
      strategy: firstAvailable(),
      onWarning: (warning) => warnings.push(warning.code),
      retry: { ...fastRetry, maxRetries: 0 },
    }).addProvider(fakeProvider('a', [{ error: fail('auth') }]));
    router.wrapAttempts((_info, run) => run());
    await expect(router.route('hi')).rejects.toMatchObject({ kind: 'auth' });
    expect(warnings).toEqual([]);
  });

  it('refuses a wrapper that is not a function', () => {
    const router = new BaseRouter({ strategy: firstAvailable(), onWarning: false });
    expect(() => router.wrapAttempts(undefined as never)).toThrow(/pass a function/);
  });
});
