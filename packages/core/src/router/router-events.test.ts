import { describe, expect, it } from 'vitest';
import type { ProviderV1 } from '../spec/provider-v1.js';
import { fail, fakeProvider, fastRetry } from './fake-provider.test-helper.js';
import { Router } from './router.js';
import type { RouterEvent } from './router-events.js';

describe('events and logging', () => {
  it('emits the lifecycle of a request that retries and falls back', async () => {
    const router = new Router({
      strategy: 'round-robin',
      onWarning: false,
      retry: { ...fastRetry, maxRetries: 1 },
    });
    router
      .addProvider(fakeProvider('a', [{ error: fail('server', { status: 500 }) }]))
      .addProvider(fakeProvider('b'));
    const events: RouterEvent[] = [];
    router.on('*', (e) => events.push(e));
    await router.route('hi');
    expect(events.map((e) => `${e.type}${'provider' in e && e.provider ? `:${e.provider}` : ''}`)).toEqual([
      'route-start',
      'attempt-start:a',
      'attempt-error:a',
      'attempt-start:a',
      'attempt-error:a',
      'attempt-start:b',
      'attempt-end:b',
      'route-end:b',
    ]);
    expect(events[2]).toMatchObject({ willRetry: true, errorKind: 'server', status: 500 });
    expect(events[4]).toMatchObject({ willRetry: false });
    expect(events.at(-1)).toMatchObject({ success: true, attempts: 3, fallbacks: 1, retries: 1 });
  });

  it("attempt-error names the error's code: the caller's deadline, a provider throwing a non-ProviderError", async () => {
    const errors: { provider: string; errorKind: string; errorCode?: string; callerFault: boolean }[] = [];
    for (const provider of [
      fakeProvider('slow', [{ hang: true }]),
      fakeProvider('broken', [{ error: new TypeError('fetch failed') as never }]),
    ]) {
      const router = new Router({ onWarning: false, retry: { ...fastRetry, maxRetries: 0 } }).addProvider(
        provider,
      );
      router.on('attempt-error', ({ provider, errorKind, errorCode, callerFault }) =>
        errors.push({ provider, errorKind, ...(errorCode !== undefined && { errorCode }), callerFault }),
      );
      await router.route('hi', { deadlineMs: 300 }).catch(() => {});
      await router.close({ timeoutMs: 0 });
    }
    expect(errors).toEqual([
      { provider: 'slow', errorKind: 'timeout', errorCode: 'deadline-exceeded', callerFault: true },
      { provider: 'broken', errorKind: 'bad_request', errorCode: 'invalid-request', callerFault: true },
    ]);
  });

  it('emits first-chunk for streams', async () => {
    const router = new Router({ onWarning: false }).addProvider(fakeProvider('a'));
    const seen: string[] = [];
    router.on('first-chunk', (e) => seen.push(`${e.provider}:${e.ttftMs >= 0}`));
    for await (const _ of router.routeStream('hi'));
    expect(seen).toEqual(['a:true']);
  });

  it('route-start carries the sampling settings, attempt-end the finish reason and the response id and model', async () => {
    const answering: ProviderV1 = {
      ...fakeProvider('a'),
      async generate() {
        return { text: 'x', finishReason: 'length', response: { id: 'resp_1', model: 'a-model-2026' } };
      },
      async *stream() {
        yield { type: 'stream-start', warnings: [] };
        yield { type: 'response-metadata', id: 'resp_2', model: 'a-model-2026' };
        yield { type: 'text-delta', id: '0', delta: 'x' };
        yield { type: 'finish', finishReason: 'stop' };
      },
    };
    const router = new Router({ onWarning: false }).addProvider(answering);
    const events: RouterEvent[] = [];
    router.on('*', (e) => events.push(e));
    await router.route('hi', { temperature: 0.2, maxTokens: 50, stop: ['\n'], seed: 7 });
    for await (const _ of router.routeStream('hi', { topP: 0.9 }));
    const starts = events.filter((e) => e.type === 'route-start');
    expect(starts.map((e) => e.settings)).toEqual([
      { temperature: 0.2, maxTokens: 50, stop: ['\n'], seed: 7 },
      { topP: 0.9 },
    ]);
    const ends = events.filter((e) => e.type === 'attempt-end');
    expect(ends[0]).toMatchObject({
      finishReason: 'length',
      responseId: 'resp_1',
      responseModel: 'a-model-2026',
    });
    expect(ends[1]).toMatchObject({
      finishReason: 'stop',
      responseId: 'resp_2',
      responseModel: 'a-model-2026',
    });
  });

  it('a throwing listener is reported and does not break the request', async () => {
    const warnings: string[] = [];
    const router = new Router({ onWarning: (w) => warnings.push(w.code) }).addProvider(fakeProvider('a'));
    router.on('attempt-end', () => {
      throw new Error('listener bug');
    });
    await expect(router.route('hi')).resolves.toMatchObject({ provider: 'a' });
    expect(warnings).toEqual(['event-listener-failed']);
  });

  it('unsubscribes', async () => {
    const router = new Router({ onWarning: false }).addProvider(fakeProvider('a'));
    let count = 0;
    const off = router.on('route-end', () => count++);
    await router.route('hi');
    off();
    await router.route('hi');
    expect(count).toBe(1);
  });

  it("logs llm_request_completed / llm_request_failed with the seed's fields and no secrets", async () => {
    const lines: { level: string; fields: Record<string, unknown>; message?: string }[] = [];
    const logger = {
      info: (fields: Record<string, unknown>, message?: string) =>
        lines.push({ level: 'info', fields, message }),
      warn: (fields: Record<string, unknown>, message?: string) =>
        lines.push({ level: 'warn', fields, message }),
    };
    const router = new Router({ strategy: 'round-robin', onWarning: false, logger });
    router.addProvider(fakeProvider('a', [{ error: fail('auth') }])).addProvider(fakeProvider('b'));
    await router.route('secret prompt text');
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ['warn', 'llm_request_failed'],
      ['info', 'llm_request_completed'],
    ]);
    expect(lines[0]!.fields).toMatchObject({
      provider: 'a',
      model: 'a-model',
      streaming: false,
      success: false,
      error_type: 'ProviderError',
    });
    expect(lines[1]!.fields).toMatchObject({
      provider: 'b',
      success: true,
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
      cost: 0,
      currency: 'USD',
    });
    expect(typeof lines[1]!.fields.latency_ms).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('secret prompt text');
  });
});
