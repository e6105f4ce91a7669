import { RouteFailedError, Router, StreamInterruptedError, type StreamPart } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { instrumentRouter, type RouterTracing } from './index.js';
import { requestTree, startTraced, type Traced, WAIT } from './tracing.test-helper.js';

let t: Traced;
let tracing: RouterTracing;
beforeEach(async () => {
  t = await startTraced();
  tracing = instrumentRouter(t.router, { tracerProvider: t.provider });
});
afterEach(async () => {
  tracing.close();
  await t.close();
});

const eventNames = (span: { events: { name: string }[] }) => span.events.map((e) => e.name);

describe('instrumentRouter', () => {
  it('route(): a request span with one child CLIENT span per attempt, GenAI attributes, retry and fallback events', async () => {
    t.a.reply({ type: 'error', status: 500 }, { type: 'error', status: 500 });
    t.b.reply({ type: 'text', text: 'Hello there', usage: { promptTokens: 10, completionTokens: 4 } });
    const result = await t.router.route('Say hello', {
      temperature: 0.3,
      maxTokens: 64,
      topP: 0.9,
      stop: ['\n'],
      seed: 7,
    });
    await vi.waitFor(() => expect(t.open.open).toBe(0), WAIT);
    const { request, attempts } = requestTree(t.spans(), result.requestId);

    expect(request.kind).toBe(SpanKind.INTERNAL);
    expect(request.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.response.model': 'model-b',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 4,
      'gen_ai.request.temperature': 0.3,
      'gen_ai.request.max_tokens': 64,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.stop_sequences': ['\n'],
      'gen_ai.request.seed': 7,
      'llmo.request.id': result.requestId,
      'llmo.provider.name': 'b',
      'llmo.streaming': false,
      'llmo.candidates': ['a', 'b'],
      'llmo.attempts': 3,
      'llmo.retries': 1,
      'llmo.fallbacks': 1,
    });
    expect(request.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(eventNames(request)).toEqual(['llmo.retry', 'llmo.fallback']);
    expect(request.events[1]?.attributes).toEqual({
      'llmo.fallback.from': 'a',
      'llmo.fallback.to': 'b',
      'error.type': 'server',
    });

    expect(
      attempts.map((s) => [
        s.name,
        s.kind,
        s.attributes['llmo.attempt.retry'],
        s.attributes['error.type'] ?? null,
      ]),
    ).toEqual([
      ['chat model-a', SpanKind.CLIENT, 0, 'server'],
      ['chat model-a', SpanKind.CLIENT, 1, 'server'],
      ['chat model-b', SpanKind.CLIENT, 0, null],
    ]);
    expect(attempts[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(attempts[0]?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'model-a',
      'http.response.status_code': 500,
      'llmo.attempt.will_retry': true,
    });
    expect(attempts[2]?.attributes).toMatchObject({
      'gen_ai.request.model': 'model-b',
      'gen_ai.response.model': 'model-b',
      'gen_ai.response.id': expect.stringMatching(/^chatcmpl-fake/),
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 4,
      'gen_ai.request.temperature': 0.3,
    });
    // No content unless opted in.
    const everything = JSON.stringify(t.spans().map((s) => [s.attributes, s.events]));
    expect(everything).not.toContain('Say hello');
    expect(everything).not.toContain('Hello there');
    expect(everything).not.toContain('gen_ai.input.messages');
  });

  it('the caller’s active span is the request span’s parent', async () => {
    const tracer = t.provider.getTracer('app');
    await tracer.startActiveSpan('handle-request', async (app) => {
      await t.router.route('Hi');
      app.end();
    });
    await vi.waitFor(() => expect(t.open.open).toBe(0), WAIT);
    const app = t.spans().find((s) => s.name === 'handle-request')!;
    const { request, attempts } = requestTree(t.spans());
    expect(request.parentSpanContext?.spanId).toBe(app.spanContext().spanId);
    expect(request.spanContext().traceId).toBe(app.spanContext().traceId);
    expect(attempts).toHaveLength(1);
  });

  it('routeStream(): the first-chunk event, time to first token, finish reason after the stream ends', async () => {
    t.a.reply({ type: 'reset', text: 'x', afterDeltas: 0 }, { type: 'reset', text: 'x', afterDeltas: 0 });
    t.b.reply({ type: 'text', text: 'one two three', usage: { promptTokens: 3, completionTokens: 3 } });
    let text = '';
    for await (const delta of t.router.routeStream('Count', { maxTokens: 10 })) text += delta;
    expect(text).toBe('one two three');
    await vi.waitFor(() => expect(t.open.open).toBe(0), WAIT);
    const { request, attempts } = requestTree(t.spans());
    expect(request.attributes).toMatchObject({
      'llmo.streaming': true,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.response.model': 'model-b',
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.request.max_tokens': 10,
    });
    expect(eventNames(request)).toEqual(['llmo.retry', 'llmo.fallback', 'llmo.first_chunk']);
    expect(request.events[2]?.attributes?.['llmo.provider.name']).toBe('b');
    expect(attempts.map((s) => s.attributes['error.type'] ?? 'ok')).toEqual(['network', 'network', 'ok']);
    expect(attempts[2]?.attributes['llmo.ttft_ms']).toEqual(expect.any(Number));
    expect(attempts[2]?.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
  });

  it('routeStream(): parts taken with takeReady (as a relay does) pass through tracing, finish reason kept', async () => {
    t.a.reply({
      type: 'text',
      text: 'alpha beta gamma delta',
      usage: { promptTokens: 3, completionTokens: 4 },
    });
    const iterator = t.router
      .routeStream('Count')
      .parts[Symbol.asyncIterator]() as AsyncIterator<StreamPart> & {
      takeReady?: () => IteratorResult<StreamPart> | undefined;
    };
    expect(iterator.takeReady).toBeTypeOf('function');
    let text = '';
    let taken = 0;
    for (let step = await iterator.next(); !step.done; ) {
      if (step.value.type === 'text-delta') text += step.value.delta;
      const ready = iterator.takeReady?.();
      if (ready) taken++;
      step = ready ?? (await iterator.next());
    }
    expect(text).toBe('alpha beta gamma delta');
    expect(taken).toBeGreaterThan(0);
    await vi.waitFor(() => expect(t.open.open).toBe(0), WAIT);
    const { request } = requestTree(t.spans());
    expect(request.attributes).toMatchObject({ 'gen_ai.response.finish_reasons': ['stop'] });
  });

  it('tool calls: finish reason tool_calls', async () => {
    t.a.reply({ type: 'tool-call', name: 'lookup', arguments: { q: 'x' } });
    await t.router.route('Look up', { tools: [{ name: 'lookup', parameters: { type: 'object' } }] });
    await vi.waitFor(() => expect(t.open.open).toBe(0), WAIT);
    expect(requestTree(t.spans()).request.attributes['gen_ai.response.finish_reasons']).toEqual([
      'tool_calls',
    ]);
  });

  it('every provider failing: the request span is an error with the last kind; every span ends', async () => {
    t.a.setDefault({ type: 'error', status: 503 });
    t.b.setDefault({ type: 'error', status: 401 });
    const error = await t.router.route('Hi').catch((e: unknown) => e);
    expect(RouteFailedError.isInstance(error)).toBe(true);
    await vi.waitFor(() => expect(t.open.open).toBe(0), WAIT);
    const { request, attempts } = requestTree(t.spans());
    expect(request.status.code).toBe(SpanStatusCode.ERROR);
    expect(request.attributes['error.type']).toBe('auth');
    expect(request.attributes['gen_ai.response.finish_reasons']).toBeUndefined();
    expect(attempts.map((s) => s.attributes['error.type'])).toEqual(['overloaded', 'overloaded', 'auth']);
  });

  it('hostile: an upstream reset mid-stream ends both spans as errors, with no fallback', async () => {
    t.a.reply({ type: 'reset', text: 'alpha beta gamma', afterDeltas: 2 });
    const error = await (async () => {
      for await (const _ of t.router.routeStream('Hi')) {
        // reading until it breaks
      }
    })().catch((e: unknown) => e);
    expect(StreamInterruptedError.isInstance(error)).toBe(true);
    await vi.waitFor(() => expect(t.open.open).toBe(0), WAIT);
    const { request, attempts } = requestTree(t.spans());
    expect(request.status.code).toBe(SpanStatusCode.ERROR);
    expect(request.attributes['error.type']).toBe('network');
    expect(eventNames(request)).toEqual(['llmo.first_chunk']);
    expect(attempts.map((s) => s.attributes['error.type'])).toEqual(['network']);
    expect(t.b.chatRequests).toHaveLength(0);
  });

  it('hostile: an abort mid-stream is error.type cancelled; a consumer that stops early leaks no span', async () => {
    t.a.setDefault({ type: 'text', text: 'word '.repeat(200), chunkDelayMs: 5 });
    const controller = new AbortController();
    let deltas = 0;
    await (async () => {
      for await (const _ of t.router.routeStream('Talk', { signal: controller.signal })) {
        if (++deltas === 3) controller.abort();
      }
    })().catch(() => {});
    await vi.waitFor(() => expect(t.open.open).toBe(0), WAIT);
    expect(requestTree(t.spans()).request.attributes['error.type']).toBe('cancelled');

    t.exporter.reset();
    for await (const _ of t.router.routeStream('Talk')) break; // the consumer walks away
    await vi.waitFor(() => expect(t.open.open).toBe(0), WAIT);
    const { request, attempts } = requestTree(t.spans());
    expect(request.attributes['gen_ai.response.finish_reasons']).toBeUndefined();
    expect(attempts).toHaveLength(1);
  });

  it('many requests at once: each request span gets its own attempts and its own finish reason', async () => {
    t.a.setDefault({ type: 'text', text: 'from a' });
    t.b.setDefault({ type: 'tool-call', name: 'f', arguments: {} });
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 3 === 0
          ? (async () => {
              const stream = t.router.routeStream(`s${i}`, { preferredProvider: 'a' });
              for await (const _ of stream) {
                // read it all
              }
              return stream.result;
            })()
          : t.router.route(`r${i}`, {
              preferredProvider: i % 2 ? 'a' : 'b',
              tools: [{ name: 'f', parameters: {} }],
            }),
      ),
    );
    await vi.waitFor(() => expect(t.open.open).toBe(0), WAIT);
    for (const result of results) {
      const { request, attempts } = requestTree(t.spans(), result.requestId);
      expect(attempts).toHaveLength(1);
      expect(attempts[0]?.attributes['llmo.provider.name']).toBe(result.provider);
      const reason = result.finishReason === 'tool-calls' ? 'tool_calls' : result.finishReason;
      expect(request.attributes['gen_ai.response.finish_reasons']).toEqual([reason]);
    }
  });

  it('captureContent: prompts and completions in the GenAI message format', async () => {
    tracing.close();
    tracing = instrumentRouter(t.router, { tracerProvider: t.provider, captureContent: true });
    t.a.reply({ type: 'text', text: 'Paris' });
    await t.router.route([
      { role: 'system', content: 'Be brief' },
      { role: 'user', content: 'Capital of France?' },
    ]);
    await vi.waitFor(() => expect(t.open.open).toBe(0), WAIT);
    const { request } = requestTree(t.spans());
    expect(JSON.parse(String(request.attributes['gen_ai.input.messages']))).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'Be brief' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Capital of France?' }] },
    ]);
    expect(JSON.parse(String(request.attributes['gen_ai.output.messages']))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Paris' }], finish_reason: 'stop' },
    ]);
  });

  it('close() restores the router and ends tracing; options are validated', async () => {
    expect(Object.hasOwn(t.router, 'route')).toBe(true);
    tracing.close();
    expect(Object.hasOwn(t.router, 'route')).toBe(false);
    expect(Object.hasOwn(t.router, 'routeStream')).toBe(false);
    await t.router.route('Hi');
    expect(t.spans()).toHaveLength(0);
    expect(() => instrumentRouter(t.router, { captureContents: true } as never)).toThrow(
      /captureContents is not a setting; did you mean captureContent\?/,
    );
    expect(() => instrumentRouter({} as never)).toThrow(/must be a @llmo\/core Router/);
  });
});

describe('without an SDK', () => {
  it('uses the global no-op tracer: requests work and nothing is recorded', async () => {
    trace.disable();
    const router = new Router({ onWarning: false }).addProvider(createMockProvider({ name: 'm' }));
    const tracing = instrumentRouter(router);
    const result = await router.route('Hi');
    let streamed = '';
    for await (const delta of router.routeStream('Hi')) streamed += delta;
    expect(result.text.length).toBeGreaterThan(0);
    expect(streamed.length).toBeGreaterThan(0);
    expect(trace.getActiveSpan()).toBeUndefined();
    tracing.close();
    await router.close();
  });
});
