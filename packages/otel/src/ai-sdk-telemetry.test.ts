import { createLlmoModel } from '@llmo/ai-sdk';
import { trace } from '@opentelemetry/api';
import { generateText, streamText } from 'ai';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { instrumentRouter, type RouterTracing } from './index.js';
import { requestTree, startTraced, type Traced, WAIT } from './tracing.test-helper.js';

// An app that already traces the AI SDK (experimental_telemetry) adds llmo's router: the router's spans nest
// under the AI SDK's own model-call span, in one trace, with no extra wiring.
let t: Traced;
let tracing: RouterTracing;
beforeEach(async () => {
  t = await startTraced();
  trace.setGlobalTracerProvider(t.provider); // the AI SDK's telemetry uses the global provider
  tracing = instrumentRouter(t.router);
});
afterEach(async () => {
  tracing.close();
  trace.disable();
  await t.close();
});

it('generateText: ai.generateText → ai.generateText.doGenerate → llmo.route → one span per attempt', async () => {
  t.a.reply({ type: 'error', status: 500 }, { type: 'error', status: 500 });
  t.b.reply({ type: 'text', text: 'Hi from b' });
  const result = await generateText({
    model: createLlmoModel(t.router),
    prompt: 'Hi',
    experimental_telemetry: { isEnabled: true, recordInputs: false, recordOutputs: false },
  });
  expect(result.text).toBe('Hi from b');
  await vi.waitFor(() => expect(t.open.open).toBe(0), WAIT);
  const spans = t.spans();
  const outer = spans.find((s) => s.name === 'ai.generateText')!;
  const doGenerate = spans.find((s) => s.name === 'ai.generateText.doGenerate')!;
  const { request, attempts } = requestTree(spans);
  expect(doGenerate.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
  expect(request.parentSpanContext?.spanId).toBe(doGenerate.spanContext().spanId);
  expect(request.spanContext().traceId).toBe(outer.spanContext().traceId);
  expect(attempts.map((s) => s.attributes['error.type'] ?? 'ok')).toEqual(['server', 'server', 'ok']);
  expect(request.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
});

it('streamText: the stream’s spans nest under ai.streamText.doStream', async () => {
  t.a.reply({ type: 'text', text: 'one two' });
  const stream = streamText({
    model: createLlmoModel(t.router),
    prompt: 'Hi',
    experimental_telemetry: { isEnabled: true, recordInputs: false, recordOutputs: false },
  });
  expect(await stream.text).toBe('one two');
  await vi.waitFor(() => expect(t.open.open).toBe(0), WAIT);
  const spans = t.spans();
  const doStream = spans.find((s) => s.name === 'ai.streamText.doStream')!;
  const { request, attempts } = requestTree(spans);
  expect(request.parentSpanContext?.spanId).toBe(doStream.spanContext().spanId);
  expect(request.events.map((e) => e.name)).toEqual(['llmo.first_chunk']);
  expect(attempts).toHaveLength(1);
});
