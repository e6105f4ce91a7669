import { SpanKind } from '@opentelemetry/api';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { instrumentRouter, type RouterTracing } from './index.js';
import { requestTree, startTraced, type Traced, WAIT } from './tracing.test-helper.js';

// The spans an HTTP client instrumentation makes inside a provider call belong under that attempt's span (the
// router runs the call through `wrapAttempts` with the attempt span active). Real instrumentation: OpenTelemetry's
// undici instrumentation, which sees the requests of llmo's Node transport (undici's dispatcher API).

let t: Traced;
let tracing: RouterTracing;
let undici: UndiciInstrumentation;
beforeEach(async () => {
  t = await startTraced();
  undici = new UndiciInstrumentation();
  undici.setTracerProvider(t.provider);
  undici.enable();
  tracing = instrumentRouter(t.router, { tracerProvider: t.provider });
});
afterEach(async () => {
  tracing.close();
  undici.disable();
  await t.close();
});

/**
 * The HTTP client spans (undici's) of the chat calls, by their parent span id. The router's health checks
 * (`GET /models`, cached across requests) are not part of any one request and are left out.
 */
function httpSpansByParent(spans: readonly ReadableSpan[]): Map<string, ReadableSpan[]> {
  const byParent = new Map<string, ReadableSpan[]>();
  for (const span of spans) {
    if (span.instrumentationScope.name !== '@opentelemetry/instrumentation-undici') continue;
    if (!String(span.attributes['url.full']).endsWith('/chat/completions')) continue;
    const parent = span.parentSpanContext?.spanId ?? '';
    byParent.set(parent, [...(byParent.get(parent) ?? []), span]);
  }
  return byParent;
}

describe('HTTP client spans under attempt spans', () => {
  it('route() with a retry and a fallback: each attempt span has its own HTTP request span', async () => {
    t.a.reply({ type: 'error', status: 500 }, { type: 'error', status: 500 });
    t.b.reply({ type: 'text', text: 'Hello there' });
    const result = await t.router.route('Say hello');
    await vi.waitFor(() => expect(t.open.open).toBe(0), WAIT);
    const spans = t.spans();
    const { request, attempts } = requestTree(spans, result.requestId);
    expect(attempts.map((a) => a.attributes['llmo.provider.name'])).toEqual(['a', 'a', 'b']);
    const byParent = httpSpansByParent(spans);
    for (const attempt of attempts) {
      const http = byParent.get(attempt.spanContext().spanId) ?? [];
      expect(http).toHaveLength(1);
      expect(http[0]?.kind).toBe(SpanKind.CLIENT);
      expect(http[0]?.attributes['http.request.method']).toBe('POST');
    }
    // None directly under the request span: every HTTP call belongs to an attempt.
    expect(byParent.get(request.spanContext().spanId)).toBeUndefined();
    expect([...byParent.values()].flat()).toHaveLength(3);
  });

  it('routeStream(): the streaming request span sits under the attempt that answered', async () => {
    t.a.reply({ type: 'error', status: 503 }, { type: 'error', status: 503 });
    t.b.reply({ type: 'text', text: 'streamed words here' });
    const stream = t.router.routeStream('Say hello');
    let text = '';
    for await (const delta of stream) text += delta;
    expect(text).toBe('streamed words here');
    const result = await stream.result;
    await vi.waitFor(() => expect(t.open.open).toBe(0), WAIT);
    const spans = t.spans();
    const { attempts } = requestTree(spans, result.requestId);
    const byParent = httpSpansByParent(spans);
    expect(attempts.map((a) => (byParent.get(a.spanContext().spanId) ?? []).length)).toEqual([1, 1, 1]);
  });

  it('without instrumentRouter the HTTP spans have no attempt to sit under (the hook is what nests them)', async () => {
    tracing.close();
    t.b.reply({ type: 'text', text: 'x' });
    t.a.reply({ type: 'text', text: 'y' });
    await t.router.route('Say hello');
    await vi.waitFor(() => expect(t.open.open).toBe(0), WAIT);
    const spans = t.spans();
    expect(spans.filter((s) => s.name === 'llmo.route')).toHaveLength(0);
    expect(httpSpansByParent(spans).get('')).toHaveLength(1); // a root span: nothing active around the call
  });
});
