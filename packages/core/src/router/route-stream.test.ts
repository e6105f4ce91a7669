import { describe, expect, it } from 'vitest';
import { StreamInterruptedError } from '../errors/stream-interrupted-error.js';
import type { StreamPart } from '../spec/stream-part.js';
import type { UsageRecord } from '../usage/usage-record.js';
import { fail, fakeProvider, fastRetry } from './fake-provider.test-helper.js';
import { Router } from './router.js';

const router = (options: ConstructorParameters<typeof Router>[0] = {}) =>
  new Router({
    strategy: 'round-robin',
    onWarning: false,
    retry: { ...fastRetry, maxRetries: 0 },
    ...options,
  });

async function text(stream: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += chunk;
  return out;
}

describe('routeStream', () => {
  it('yields text deltas and resolves the same result shape as route()', async () => {
    const r = router().addProvider(fakeProvider('a', [{ text: 'one two three' }]));
    const stream = r.routeStream('Tell me a story');
    expect(await text(stream)).toBe('one two three');
    const result = await stream.result;
    expect(result).toMatchObject({
      text: 'one two three',
      provider: 'a',
      finishReason: 'stop',
      usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15, estimated: false },
    });
    expect(result.ttftMs).toBeGreaterThanOrEqual(0);
  });

  it('exposes typed parts in order with exactly one finish part, last, carrying full usage', async () => {
    const r = router().addProvider(fakeProvider('a', [{ text: 'x y', usage: null }]));
    const parts: StreamPart[] = [];
    for await (const part of r.routeStream('hi').parts) parts.push(part);
    expect(parts.map((p) => p.type)).toEqual([
      'stream-start',
      'text-start',
      'text-delta',
      'text-delta',
      'text-end',
      'finish',
    ]);
    const finish = parts.at(-1);
    expect(finish).toMatchObject({ type: 'finish', finishReason: 'stop', usage: { estimated: true } });
  });

  it('falls back to the next provider when the first fails before its first chunk', async () => {
    const a = fakeProvider('a', [{ error: fail('overloaded') }]);
    const r = router()
      .addProvider(a)
      .addProvider(fakeProvider('b', [{ text: 'from b' }]));
    const stream = r.routeStream('hi');
    expect(await text(stream)).toBe('from b');
    const result = await stream.result;
    expect(result.provider).toBe('b');
    expect(result.attempts.map((x) => [x.provider, x.outcome])).toEqual([
      ['a', 'error'],
      ['b', 'success'],
    ]);
  });

  it('does not fall back after the first chunk: the error carries the text so far', async () => {
    const b = fakeProvider('b');
    const r = router()
      .addProvider(
        fakeProvider('a', [{ text: 'alpha beta gamma', failAfterChunks: 2, error: fail('network') }]),
      )
      .addProvider(b);
    const stream = r.routeStream('hi');
    const received: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) received.push(chunk);
    })().catch((e: unknown) => e);
    expect(StreamInterruptedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ provider: 'a', textSoFar: 'alpha beta ', kind: 'network' });
    expect(received.join('')).toBe('alpha beta ');
    expect(b.calls).toHaveLength(0);
    await expect(stream.result).rejects.toBe(error);
    expect(r.getMetrics().a?.failedRequests).toBe(1);
  });

  it('awaiting result alone consumes the stream', async () => {
    const r = router().addProvider(fakeProvider('a', [{ text: 'only the result' }]));
    await expect(r.routeStream('hi').result).resolves.toMatchObject({ text: 'only the result' });
  });

  it('can be consumed once', async () => {
    const stream = router().addProvider(fakeProvider('a')).routeStream('hi');
    await text(stream);
    expect(() => stream.parts[Symbol.asyncIterator]()).toThrow(/already being consumed/);
  });

  it('closing the stream early closes the provider stream and records a cancelled attempt', async () => {
    const records: UsageRecord[] = [];
    const a = fakeProvider('a', [{ text: 'w1 w2 w3 w4' }]);
    const r = router({ usageCallback: (rec) => void records.push(rec) }).addProvider(a);
    for await (const chunk of r.routeStream('hi')) {
      expect(chunk).toBe('w1 ');
      break;
    }
    await r.flushUsage();
    expect(a.streamsClosed).toBe(1);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ success: false, errorKind: 'cancelled', streaming: true });
  });

  it('abort mid-stream ends it with the text so far', async () => {
    const controller = new AbortController();
    const r = router().addProvider(fakeProvider('a', [{ text: 'one two three' }]));
    const stream = r.routeStream('hi', { signal: controller.signal });
    const error = await (async () => {
      for await (const _ of stream) controller.abort();
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'StreamInterruptedError', kind: 'cancelled', textSoFar: 'one ' });
  });

  it('the per-attempt timeout covers the wait for the first chunk, then moves on', async () => {
    const r = router({ timeoutMs: 30 })
      .addProvider(fakeProvider('a', [{ hang: true }]))
      .addProvider(fakeProvider('b', [{ text: 'fast' }]));
    const stream = r.routeStream('hi');
    expect(await text(stream)).toBe('fast');
    expect((await stream.result).attempts[0]).toMatchObject({ provider: 'a', errorKind: 'timeout' });
  });

  it('records time to first token in the metrics', async () => {
    const r = router().addProvider(fakeProvider('a', [{ delayMs: 5 }]));
    await text(r.routeStream('hi'));
    const metrics = r.getMetrics().a!;
    expect(metrics.avgTtftMs).not.toBeNull();
    expect(metrics.successfulRequests).toBe(1);
  });
});

describe('routeStream as an iterator', () => {
  it('says which provider it is committed to once its first part is out, after any fallback', async () => {
    const r = router()
      .addProvider(fakeProvider('a', [{ error: fail('overloaded') }]))
      .addProvider(fakeProvider('b', [{ text: 'from b' }]));
    const stream = r.routeStream('hi');
    expect(stream.committed).toBeUndefined();
    const parts = stream.parts[Symbol.asyncIterator]();
    await parts.next();
    expect(stream.committed).toEqual({ provider: 'b', model: 'b-model' });
    await parts.return?.();
  });

  it('serves next() calls made together in order, and a return() among them after them', async () => {
    const records: UsageRecord[] = [];
    const a = fakeProvider('a', [{ text: 'w1 w2 w3 w4', delayMs: 2 }]);
    const r = router({ usageCallback: (rec) => void records.push(rec) }).addProvider(a);
    const parts = r.routeStream('hi').parts[Symbol.asyncIterator]();
    // Nothing awaited in between: the first call opens the request, the others must queue behind it.
    const calls = [parts.next(), parts.next(), parts.next(), parts.next(), parts.return?.()];
    const settled = await Promise.all(calls);
    expect(settled.slice(0, 4).map((s) => (s?.done ? 'done' : s?.value.type))).toEqual([
      'stream-start',
      'text-start',
      'text-delta',
      'text-delta',
    ]);
    expect(settled[4]).toEqual({ done: true, value: undefined });
    expect(await parts.next()).toEqual({ done: true, value: undefined });
    await r.flushUsage();
    expect(a.streamsClosed).toBe(1);
    expect(records).toMatchObject([{ success: false, errorKind: 'cancelled' }]);
  });

  it('a stream stopped or broken after it began answering records the tokens it consumed (estimated)', async () => {
    const records: UsageRecord[] = [];
    const pricing = { inputPer1K: 1, outputPer1K: 2, currency: 'USD' };
    const words = Array.from({ length: 200 }, (_, i) => `word${i} `).join('');
    const r = router({ usageCallback: (rec) => void records.push(rec) })
      .addProvider(fakeProvider('stopped', [{ text: words }], { pricing }))
      .addProvider(
        fakeProvider('broken', [{ text: words, failAfterChunks: 150, error: fail('network') }], { pricing }),
      );
    // The consumer stops after 100 deltas (the gateway's client going away is this).
    const stopped = r.routeStream('Tell me everything', { preferredProvider: 'stopped' });
    let seen = 0;
    for await (const _ of stopped) if (++seen === 100) break;
    await stopped.result.catch(() => {});
    // The upstream breaks off after 150 deltas.
    const broken = r.routeStream('Tell me everything', { preferredProvider: 'broken' });
    await text(broken).catch(() => {});
    await r.flushUsage();
    const byProvider = Object.fromEntries(records.map((rec) => [rec.provider, rec]));
    for (const [provider, kind] of [
      ['stopped', 'cancelled'],
      ['broken', 'network'],
    ] as const) {
      const record = byProvider[provider];
      expect(record).toMatchObject({ success: false, errorKind: kind, estimated: true, costKnown: true });
      expect(record?.promptTokens).toBeGreaterThan(0);
      expect(record?.completionTokens).toBeGreaterThan(50); // 100+ words of text were generated and billed
      expect(record?.totalTokens).toBe((record?.promptTokens ?? 0) + (record?.completionTokens ?? 0));
      expect(record?.cost).toBeGreaterThan(0);
    }
    expect(byProvider.broken?.completionTokens).toBeGreaterThan(byProvider.stopped?.completionTokens ?? 0);
  });

  it('a stream closed before it was read rejects its result instead of leaving it pending', async () => {
    const a = fakeProvider('a');
    const stream = router().addProvider(a).routeStream('hi');
    const parts = stream.parts[Symbol.asyncIterator]();
    expect(await parts.return?.()).toEqual({ done: true, value: undefined });
    await expect(stream.result).rejects.toThrow(/closed before it was read/);
    expect(a.calls).toHaveLength(0);
  });

  it('a failure after the last part was handed out does not change the result', async () => {
    const r = router().addProvider(fakeProvider('a', [{ text: 'done' }]));
    const stream = r.routeStream('hi');
    const parts = stream.parts[Symbol.asyncIterator]();
    let step = await parts.next();
    while (!step.done && step.value.type !== 'finish') step = await parts.next();
    // The consumer stops at finish: the request is already over and the result delivered.
    await parts.return?.();
    expect((await stream.result).text).toBe('done');
    expect(r.getMetrics().a).toMatchObject({ successfulRequests: 1, failedRequests: 0 });
  });
});

describe('routeStream with tool calls', () => {
  it('treats a tool call as the first chunk and returns tool calls in the result', async () => {
    const toolProvider = {
      ...fakeProvider('tools'),
      async *stream(): AsyncGenerator<StreamPart> {
        yield { type: 'stream-start', warnings: [] };
        yield {
          type: 'tool-call-delta',
          toolCallId: 'call_1',
          toolName: 'get_weather',
          argumentsDelta: '{"city":',
        };
        yield {
          type: 'tool-call-delta',
          toolCallId: 'call_1',
          toolName: 'get_weather',
          argumentsDelta: '"Moscow"}',
        };
        yield { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Moscow"}' };
        yield {
          type: 'finish',
          finishReason: 'tool-calls',
          usage: { promptTokens: 20, completionTokens: 8 },
        };
      },
    };
    const r = router().addProvider(toolProvider);
    const stream = r.routeStream('Weather in Moscow?', {
      tools: [{ name: 'get_weather', parameters: { type: 'object' } }],
    });
    const types: string[] = [];
    for await (const part of stream.parts) types.push(part.type);
    expect(types).toEqual(['stream-start', 'tool-call-delta', 'tool-call-delta', 'tool-call', 'finish']);
    const result = await stream.result;
    expect(result.toolCalls).toEqual([{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Moscow"}' }]);
    expect(result).toMatchObject({
      finishReason: 'tool-calls',
      text: '',
      usage: { promptTokens: 20, completionTokens: 8 },
    });
    expect(result.ttftMs).toBeGreaterThanOrEqual(0);
  });
});

describe('disposal', () => {
  it('supports await using: disposing flushes usage and closes the router', async () => {
    const records: unknown[] = [];
    const r = router({
      usageCallback: (rec) => new Promise((resolve) => setTimeout(() => resolve(void records.push(rec)), 20)),
    });
    r.addProvider(fakeProvider('a'));
    await r.route('hi');
    await r[Symbol.asyncDispose]();
    expect(records).toHaveLength(1);
    await expect(r.route('again')).rejects.toMatchObject({ code: 'closed' });
  });
});

describe('routeStream with a provider that revises streamed text', () => {
  // YandexGPT's cumulative stream may rewrite earlier text: the parts say so, the result has the final text.
  const revising = (parts: StreamPart[]) => ({
    ...fakeProvider('yandex'),
    async *stream(): AsyncGenerator<StreamPart> {
      yield* parts;
    },
  });

  it('applies text-revision to the open block: result.text is the final text, with a warning', async () => {
    const r = router({ onWarning: false }).addProvider(
      revising([
        { type: 'stream-start', warnings: [] },
        { type: 'text-start', id: '0' },
        { type: 'text-delta', id: '0', delta: 'Привет' },
        { type: 'text-delta', id: '0', delta: ', мор' },
        { type: 'text-revision', id: '0', text: 'Привет, мир!' },
        { type: 'text-delta', id: '0', delta: ' Как дела?' },
        { type: 'text-end', id: '0' },
        { type: 'finish', finishReason: 'stop' },
      ]),
    );
    const stream = r.routeStream('hi');
    const seen: StreamPart[] = [];
    for await (const part of stream.parts) seen.push(part);
    expect(seen.filter((p) => p.type === 'text-revision')).toEqual([
      { type: 'text-revision', id: '0', text: 'Привет, мир!' },
    ]);
    const result = await stream.result;
    expect(result.text).toBe('Привет, мир! Как дела?');
    expect(result.warnings).toContainEqual({
      type: 'other',
      message: expect.stringContaining('revised text it had already streamed'),
    });
  });

  it('a revision replaces only its own block, after text of an earlier block', async () => {
    const r = router().addProvider(
      revising([
        { type: 'stream-start', warnings: [] },
        { type: 'text-start', id: 'a' },
        { type: 'text-delta', id: 'a', delta: 'First. ' },
        { type: 'text-end', id: 'a' },
        { type: 'text-start', id: 'b' },
        { type: 'text-delta', id: 'b', delta: 'Secnd' },
        { type: 'text-revision', id: 'b', text: 'Second.' },
        { type: 'text-end', id: 'b' },
        { type: 'finish', finishReason: 'stop' },
      ]),
    );
    expect((await r.routeStream('hi').result).text).toBe('First. Second.');
  });
});
