import { Router, type RouterOptions } from '@llmo/core';
import { createOpenAI } from '@llmo/provider-openai';
import { OpenAIFakeServer } from '@llmo/testkit';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

// What the Node SDK sets up: a context manager that follows async work, so the caller's span is the parent.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

/** Waits on observable state, long enough for a loaded 2-core machine; never a timing assertion. */
export const WAIT = { timeout: 15_000, interval: 10 };

/** Counts spans started and ended: a trace with an unended span is a leak. */
export class OpenSpans implements SpanProcessor {
  open = 0;
  onStart(): void {
    this.open++;
  }
  onEnd(): void {
    this.open--;
  }
  forceFlush = async () => {};
  shutdown = async () => {};
}

export interface Traced {
  router: Router;
  a: OpenAIFakeServer;
  b: OpenAIFakeServer;
  exporter: InMemorySpanExporter;
  provider: BasicTracerProvider;
  open: OpenSpans;
  spans(): ReadableSpan[];
  close(): Promise<void>;
}

/** Two OpenAI-compatible fake servers behind a first-available router (a, then b), and an in-memory SDK. */
export async function startTraced(options: Partial<RouterOptions> = {}): Promise<Traced> {
  const [a, b] = await Promise.all([OpenAIFakeServer.start(), OpenAIFakeServer.start()]);
  const exporter = new InMemorySpanExporter();
  const open = new OpenSpans();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter), open] });
  const router = new Router({
    strategy: 'first-available',
    retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 5, maxPasses: 1 },
    onWarning: false,
    ...options,
  });
  router.addProvider(createOpenAI({ name: 'a', model: 'model-a', apiKey: 'key-a', baseURL: a.baseURL }));
  router.addProvider(createOpenAI({ name: 'b', model: 'model-b', apiKey: 'key-b', baseURL: b.baseURL }));
  return {
    router,
    a,
    b,
    exporter,
    provider,
    open,
    spans: () => exporter.getFinishedSpans(),
    async close() {
      await router.close({ timeoutMs: 5_000 });
      await provider.shutdown();
      await Promise.all([a.close(), b.close()]);
    },
  };
}

/** The request span and its attempt spans, checked to be one trace with the attempts as children. */
export function requestTree(spans: readonly ReadableSpan[], requestId?: string) {
  const requests = spans.filter(
    (s) =>
      s.name === 'llmo.route' && (requestId === undefined || s.attributes['llmo.request.id'] === requestId),
  );
  if (requests.length !== 1) throw new Error(`expected one request span, got ${requests.length}`);
  const request = requests[0]!;
  const attempts = spans
    .filter((s) => s.parentSpanContext?.spanId === request.spanContext().spanId)
    .sort((x, y) => x.startTime[0] - y.startTime[0] || x.startTime[1] - y.startTime[1]);
  for (const attempt of attempts)
    if (attempt.spanContext().traceId !== request.spanContext().traceId)
      throw new Error('attempt in another trace');
  return { request, attempts };
}
