// OpenTelemetry traces of the router: a span per request, a child span per attempt, GenAI attributes.
//   pnpm --filter @llmo/examples run otel
// Prints the span tree. With OTEL_EXPORTER_OTLP_TRACES_ENDPOINT set (e.g. http://127.0.0.1:4318/v1/traces, a
// collector or Jaeger), the same spans are also sent there over OTLP/HTTP.
import { Router } from '@llmo/core';
import { instrumentRouter } from '@llmo/otel';
import { createMockProvider } from '@llmo/provider-mock';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

// 1. The application's OpenTelemetry setup (NodeSDK from @opentelemetry/sdk-node does the same).
const memory = new InMemorySpanExporter();
const processors: SpanProcessor[] = [new SimpleSpanProcessor(memory)];
const endpoint = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
if (endpoint) processors.push(new SimpleSpanProcessor(new OTLPTraceExporter({ url: endpoint })));
const provider = new BasicTracerProvider({ spanProcessors: processors });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(provider);

// 2. A router whose first provider is rate-limited, and the one line that traces it.
const router = new Router({ strategy: 'first-available', retry: { maxRetries: 1, initialDelayMs: 10 } })
  .addProvider(createMockProvider({ name: 'openai-like', model: 'mock-ratelimit', retryAfterMs: 0 }))
  .addProvider(createMockProvider({ name: 'gigachat-like', model: 'mock-normal', chunkDelayMs: 1 }));
const tracing = instrumentRouter(router);

// 3. Requests inside the application's own span.
await trace.getTracer('example').startActiveSpan('handle-request', async (span) => {
  await router.route('What is Python?', { temperature: 0.2, maxTokens: 100 });
  for await (const _ of router.routeStream('Tell me a story')) {
    // streamed to nobody: the trace is the point
  }
  span.end();
});
tracing.close();
await router.close();
await provider.forceFlush();

// 4. The span tree, as a tracing UI would draw it.
const spans = memory.getFinishedSpans();
const children = (parent: ReadableSpan) =>
  spans.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);
const show = (span: ReadableSpan, depth: number) => {
  const a = span.attributes;
  const details = [
    a['gen_ai.provider.name'] && `provider=${a['gen_ai.provider.name']}`,
    a['error.type'] && `error.type=${a['error.type']}`,
    a['gen_ai.response.finish_reasons'] && `finish_reasons=${a['gen_ai.response.finish_reasons']}`,
    a['gen_ai.usage.output_tokens'] !== undefined && `output_tokens=${a['gen_ai.usage.output_tokens']}`,
    span.events.length > 0 && `events=${span.events.map((e) => e.name).join(',')}`,
  ].filter(Boolean);
  console.log(`${'  '.repeat(depth)}${span.name} ${details.join(' ')}`);
  for (const child of children(span)) show(child, depth + 1);
};
for (const root of spans.filter((s) => !s.parentSpanContext)) show(root, 0);
console.log(`${spans.length} spans${endpoint ? ` (also exported to ${endpoint})` : ''}`);
await provider.shutdown();
