import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type RouteFailedError, Router, StreamInterruptedError } from '@llmo/core';
import { type ChatRequest, ProviderError, type StreamPart } from '@llmo/core/provider';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { createMockProvider } from './index.js';

const request = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content }],
  ...extra,
});

async function parts(iterable: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of iterable) out.push(part);
  return out;
}

describe('mock-normal', () => {
  it('answers like the seed, with usage counted in words', async () => {
    const provider = createMockProvider({ name: 'a', latencyMs: 0 });
    expect(provider.model).toBe('mock-normal');
    const result = await provider.generate(request('What is Python?'));
    expect(result).toMatchObject({
      text: 'Mock response to: What is Python?',
      finishReason: 'stop',
      usage: { promptTokens: 3, completionTokens: 6, totalTokens: 9 },
    });
  });

  it('treats maxTokens as a character limit, as the seed did', async () => {
    const provider = createMockProvider({ name: 'a', latencyMs: 0 });
    expect((await provider.generate(request('Very long prompt', { maxTokens: 10 }))).text).toBe('Mock respo');
  });

  it('streams word by word: stream-start, text parts, then one finish', async () => {
    const provider = createMockProvider({ name: 'a', latencyMs: 0, chunkDelayMs: 0 });
    const streamed = await parts(provider.stream(request('Hello')));
    expect(streamed.map((p) => (p.type === 'text-delta' ? p.delta : p.type))).toEqual([
      'stream-start',
      'text-start',
      'Mock ',
      'response ',
      'to: ',
      'Hello',
      'text-end',
      'finish',
    ]);
  });

  it('returns unsupported settings as warnings, never throws', async () => {
    const provider = createMockProvider({ name: 'a', latencyMs: 0 });
    const result = await provider.generate(
      request('x', { tools: [{ name: 't', parameters: {} }], responseFormat: { type: 'json' } }),
    );
    expect(result.warnings).toEqual([
      { type: 'unsupported-setting', setting: 'tools' },
      { type: 'unsupported-setting', setting: 'responseFormat' },
    ]);
  });

  it('can leave usage unreported so the router estimates', async () => {
    const provider = createMockProvider({ name: 'a', latencyMs: 0, reportUsage: false });
    expect((await provider.generate(request('x'))).usage).toBeUndefined();
  });
});

describe('failure modes by model name', () => {
  it.each([
    ['mock-timeout', 'timeout', true, 408],
    ['mock-ratelimit', 'rate_limit', true, 429],
    ['MOCK-RATELIMIT', 'rate_limit', true, 429],
    ['mock-auth-error', 'auth', false, 401],
    ['mock-invalid-request', 'bad_request', false, 400],
    ['mock-server-error', 'server', true, 500],
  ] as const)('%s → %s (retryable %s)', async (model, kind, retryable, status) => {
    const provider = createMockProvider({ name: 'a', model, latencyMs: 0 });
    for (const call of [() => provider.generate(request('x')), () => parts(provider.stream(request('x')))]) {
      const error = await call().catch((e: unknown) => e);
      expect(ProviderError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ kind, retryable, status, provider: 'a' });
    }
  });

  it('mock-ratelimit reports its Retry-After', async () => {
    const provider = createMockProvider({
      name: 'a',
      model: 'mock-ratelimit',
      latencyMs: 0,
      retryAfterMs: 2500,
    });
    await expect(provider.generate(request('x'))).rejects.toMatchObject({ retryAfterMs: 2500 });
  });

  it('mock-flaky fails with the configured probability, identically for the same seed', async () => {
    const outcomes = async (seed: number) => {
      const provider = createMockProvider({
        name: 'a',
        model: 'mock-flaky',
        latencyMs: 0,
        seed,
        failureRate: 0.3,
      });
      const results: boolean[] = [];
      for (let i = 0; i < 400; i++)
        results.push(
          await provider.generate(request('x')).then(
            () => true,
            () => false,
          ),
        );
      return results;
    };
    const first = await outcomes(11);
    expect(await outcomes(11)).toEqual(first);
    expect(await outcomes(12)).not.toEqual(first);
    const failures = first.filter((ok) => !ok).length;
    expect(failures).toBeGreaterThan(80);
    expect(failures).toBeLessThan(160);
  });

  it('mock-stream-break streams N chunks, then fails; generate still answers', async () => {
    const provider = createMockProvider({
      name: 'a',
      model: 'mock-stream-break',
      latencyMs: 0,
      chunkDelayMs: 0,
      breakAfterChunks: 2,
    });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const part of provider.stream(request('one two three four')))
        if (part.type === 'text-delta') seen.push(part.delta);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['Mock ', 'response ']);
    expect(error).toMatchObject({ kind: 'network' });
    await expect(provider.generate(request('x'))).resolves.toMatchObject({ finishReason: 'stop' });
  });

  it('a model name containing "unhealthy" fails its health check only', async () => {
    expect(await createMockProvider({ name: 'a', model: 'mock-unhealthy' }).healthCheck()).toBe(false);
    expect(await createMockProvider({ name: 'a', model: 'mock-normal-unhealthy' }).healthCheck()).toBe(false);
    expect(await createMockProvider({ name: 'a', model: 'mock-normal' }).healthCheck()).toBe(true);
  });
});

describe('abort', () => {
  it('honours an abort during the latency wait and mid-stream', async () => {
    const provider = createMockProvider({ name: 'a', latencyMs: 10_000, chunkDelayMs: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    await expect(provider.generate(request('x', { signal: controller.signal }))).rejects.toMatchObject({
      kind: 'cancelled',
    });

    const streaming = createMockProvider({ name: 'a', latencyMs: 0, chunkDelayMs: 10_000 });
    const second = new AbortController();
    const seen: string[] = [];
    const error = await (async () => {
      for await (const part of streaming.stream(request('x', { signal: second.signal }))) {
        if (part.type === 'text-delta') {
          seen.push(part.delta);
          second.abort();
        }
      }
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['Mock ']);
    expect(error).toMatchObject({ kind: 'cancelled' });
  });
});

describe('runs without Node globals', () => {
  // Hiding `process` in the test runner's own process breaks the runner (it reads process itself), so the
  // provider is bundled for the edge (as an edge app would bundle it) and run in a worker thread that
  // deletes the global before importing the bundle.
  it('works with globalThis.process undefined', async () => {
    const bundle = await build({
      entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      conditions: ['worker', 'browser'],
      logLevel: 'silent',
    });
    const script = `
      const { parentPort, workerData } = require('node:worker_threads');
      delete globalThis.process;
      (async () => {
        const { createMockProvider } = await import(workerData.entry);
        const provider = createMockProvider({ name: 'a', latencyMs: 1, chunkDelayMs: 1 });
        const request = { messages: [{ role: 'user', content: 'edge' }] };
        const text = (await provider.generate(request)).text;
        const parts = [];
        for await (const part of provider.stream(request)) parts.push(part.type);
        parentPort.postMessage({ processType: typeof process, text, parts });
      })().catch((error) => parentPort.postMessage({ error: String((error && error.stack) || error) }));
    `;
    const code = bundle.outputFiles[0]!.text;
    const worker = new Worker(script, {
      eval: true,
      workerData: { entry: `data:text/javascript;base64,${Buffer.from(code).toString('base64')}` },
    });
    const message = await new Promise<Record<string, unknown>>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(message).toEqual({
      processType: 'undefined',
      text: 'Mock response to: edge',
      parts: [
        'stream-start',
        'text-start',
        'text-delta',
        'text-delta',
        'text-delta',
        'text-delta',
        'text-end',
        'finish',
      ],
    });
  });
});

describe('with the Router (the README example)', () => {
  it('routes, streams, falls back and reports metrics', async () => {
    const router = new Router({
      strategy: 'best-available',
      onWarning: false,
      retry: { maxRetries: 0, maxPasses: 1 },
    });
    router.addProvider(createMockProvider({ name: 'down', model: 'mock-server-error', latencyMs: 1 }));
    router.addProvider(
      createMockProvider({ name: 'a', model: 'mock-normal', latencyMs: 1, chunkDelayMs: 0 }),
    );
    const result = await router.route('What is Python?');
    expect(result).toMatchObject({
      text: 'Mock response to: What is Python?',
      provider: 'a',
      model: 'mock-normal',
    });
    expect(result.cost).toEqual({ amount: 0, currency: 'USD', known: true });
    let text = '';
    for await (const chunk of router.routeStream('Tell me a story')) text += chunk;
    expect(text).toBe('Mock response to: Tell me a story');
    expect(router.getMetrics().down?.failedRequests).toBeGreaterThan(0);
  });

  it('a broken stream after its first chunk is not retried elsewhere', async () => {
    const router = new Router({ strategy: 'round-robin', onWarning: false });
    router.addProvider(
      createMockProvider({ name: 'b', model: 'mock-stream-break', latencyMs: 0, chunkDelayMs: 0 }),
    );
    router.addProvider(createMockProvider({ name: 'ok', latencyMs: 0, chunkDelayMs: 0 }));
    const error = await (async () => {
      for await (const _ of router.routeStream('one two three four')) {
        // consume
      }
    })().catch((e: unknown) => e);
    expect(StreamInterruptedError.isInstance(error)).toBe(true);
    expect((error as StreamInterruptedError).textSoFar).toBe('Mock response to: ');
  });

  it('all failing modes together give a RouteFailedError naming each', async () => {
    const router = new Router({
      strategy: 'round-robin',
      onWarning: false,
      retry: { maxRetries: 0, maxPasses: 1 },
    });
    for (const model of ['mock-timeout', 'mock-auth-error', 'mock-server-error']) {
      router.addProvider(createMockProvider({ name: model, model, latencyMs: 0 }));
    }
    const error = (await router.route('x').catch((e: unknown) => e)) as RouteFailedError;
    expect(error.attempts.map((a) => a.errorKind)).toEqual(['timeout', 'auth', 'server']);
  });
});
