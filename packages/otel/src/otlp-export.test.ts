import { Router } from '@llmo/core';
import { createOpenAI } from '@llmo/provider-openai';
import { OpenAIFakeServer } from '@llmo/testkit';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { instrumentRouter } from './index.js';
import { OtlpReceiver } from './otlp-receiver.test-helper.js';
import { WAIT } from './tracing.test-helper.js'; // also registers the async context manager

// The whole pipeline a deployment runs: router → @llmo/otel → OpenTelemetry SDK → OTLP/HTTP exporter → a
// receiver on 127.0.0.1, whose decoded spans are asserted.
let receiver: OtlpReceiver;
let a: OpenAIFakeServer;
let b: OpenAIFakeServer;
beforeAll(async () => {
  [receiver, a, b] = await Promise.all([
    OtlpReceiver.start(),
    OpenAIFakeServer.start(),
    OpenAIFakeServer.start(),
  ]);
});
afterAll(() => Promise.all([receiver.close(), a.close(), b.close()]));

it('exports request and attempt spans over OTLP/HTTP with their GenAI attributes, links and events', async () => {
  const provider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: receiver.url }))],
  });
  const router = new Router({
    strategy: 'first-available',
    retry: { maxRetries: 0, maxPasses: 1 },
    onWarning: false,
  })
    .addProvider(createOpenAI({ name: 'a', model: 'model-a', apiKey: 'key-a', baseURL: a.baseURL }))
    .addProvider(createOpenAI({ name: 'b', model: 'model-b', apiKey: 'key-b', baseURL: b.baseURL }));
  const tracing = instrumentRouter(router, { tracerProvider: provider });

  // 1. route(): a fails with 429, b answers.
  a.reply({ type: 'error', status: 429 });
  b.reply({ type: 'text', text: 'Hi', usage: { promptTokens: 8, completionTokens: 2 } });
  const routed = await router.route('Hello', { temperature: 0.5 });
  // 2. routeStream(): a streams.
  a.reply({ type: 'text', text: 'streamed answer', usage: { promptTokens: 5, completionTokens: 2 } });
  const stream = router.routeStream('Stream it');
  for await (const _ of stream) {
    // read it all
  }
  const streamed = await stream.result;
  // 3. Every provider fails.
  a.reply({ type: 'error', status: 500 });
  b.reply({ type: 'error', status: 400, message: 'bad request' });
  await router.route('Fail').catch(() => {});

  // 4. A stream the caller aborts after its first chunk.
  a.reply({ type: 'text', text: 'word '.repeat(200), chunkDelayMs: 5 });
  const controller = new AbortController();
  await (async () => {
    for await (const _ of router.routeStream('Abort me', { signal: controller.signal })) controller.abort();
  })().catch(() => {});

  await provider.forceFlush();
  await vi.waitFor(() => expect(receiver.spans.filter((s) => s.name === 'llmo.route')).toHaveLength(4), WAIT);
  expect(receiver.requests.every((r) => r.contentType?.startsWith('application/json'))).toBe(true);
  const byRequest = (requestId: string) => {
    const request = receiver.spans.find((s) => s.attributes['llmo.request.id'] === requestId)!;
    const attempts = receiver.spans.filter((s) => s.parentSpanId === request.spanId);
    return { request, attempts };
  };

  const first = byRequest(routed.requestId);
  expect(first.request.scope).toBe('@llmo/otel');
  expect(first.request.attributes).toMatchObject({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.response.model': 'model-b',
    'gen_ai.response.finish_reasons': ['stop'],
    'gen_ai.usage.input_tokens': 8,
    'gen_ai.usage.output_tokens': 2,
    'gen_ai.request.temperature': 0.5,
    'llmo.fallbacks': 1,
  });
  expect(first.request.events.map((e) => e.name)).toEqual(['llmo.fallback']);
  expect(first.request.events[0]?.attributes).toMatchObject({ 'error.type': 'rate_limit' });
  expect(first.attempts.map((s) => [s.name, s.kind, s.traceId === first.request.traceId])).toEqual([
    ['chat model-a', 3, true], // SPAN_KIND_CLIENT
    ['chat model-b', 3, true],
  ]);
  expect(first.attempts[0]?.attributes).toMatchObject({
    'error.type': 'rate_limit',
    'http.response.status_code': 429,
  });
  expect(first.attempts[0]?.status.code).toBe(2); // STATUS_CODE_ERROR

  const second = byRequest(streamed.requestId);
  expect(second.request.attributes).toMatchObject({
    'llmo.streaming': true,
    'gen_ai.response.finish_reasons': ['stop'],
  });
  expect(second.request.events.map((e) => e.name)).toEqual(['llmo.first_chunk']);
  expect(second.attempts[0]?.attributes['llmo.ttft_ms']).toEqual(expect.any(Number));

  const others = receiver.spans.filter(
    (s) =>
      s.name === 'llmo.route' &&
      s.attributes['llmo.request.id'] !== routed.requestId &&
      s.attributes['llmo.request.id'] !== streamed.requestId,
  );
  const failed = others.find((s) => s.attributes['llmo.streaming'] === false)!;
  const aborted = others.find((s) => s.attributes['llmo.streaming'] === true)!;
  expect(aborted.attributes['error.type']).toBe('cancelled');
  expect(aborted.events.map((e) => e.name)).toEqual(['llmo.first_chunk']);
  const abortedAttempt = receiver.spans.find((s) => s.parentSpanId === aborted.spanId)!;
  expect(abortedAttempt.attributes['error.type']).toBe('cancelled');
  expect(abortedAttempt.status.code).toBe(2);
  expect(failed.attributes['error.type']).toBe('bad_request');
  expect(failed.status.code).toBe(2);
  // Content is never exported unless opted in.
  expect(JSON.stringify(receiver.spans)).not.toMatch(/Hello|Stream it|streamed answer|Abort me/);

  tracing.close();
  await router.close();
  await provider.shutdown();
});
