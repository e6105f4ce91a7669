import type { BaseRouter, RouterEvent } from '@llmo/core';
import { LlmoError } from '@llmo/core';
import { context, trace } from '@opentelemetry/api';
import { genAiProviderName } from './gen-ai-attributes.js';
import { patchRouter } from './patch-router.js';
import { RequestTrace } from './request-trace.js';
import { TRACED_CALL, type TracedCall } from './traced-call.js';
import { type RouterTracingOptions, validateTracingOptions } from './tracing-options.js';

/** Requests traced at once per router; past it the oldest is ended (marked `llmo.trace_dropped`), never leaked. */
export const MAX_OPEN_REQUESTS = 10_000;

export interface RouterTracing {
  /** Stops tracing this router: unsubscribes, restores `route`/`routeStream`, ends open spans. Idempotent. */
  close(): void;
}

/**
 * Traces a router with OpenTelemetry: one `llmo.route` span per routed request and one `chat {model}` CLIENT
 * span per attempt under it, with the GenAI semantic conventions' attributes, and events for retries, fallback
 * and the first chunk. Spans go to the global tracer provider unless one is given; with no SDK registered the
 * tracer is OpenTelemetry's no-op and this costs next to nothing. Prompts and completions are recorded only with
 * `captureContent: true`.
 *
 * @example
 * const tracing = instrumentRouter(router); // after your OpenTelemetry SDK is set up
 * await router.route('Hello'); // → llmo.route ─┬─ chat gpt-4o-mini (error.type=rate_limit)
 *                              //               └─ chat GigaChat-Pro
 */
export function instrumentRouter(router: BaseRouter, options: RouterTracingOptions = {}): RouterTracing {
  if (!router || typeof router.on !== 'function' || typeof router.getProviders !== 'function') {
    throw new LlmoError({
      name: 'InvalidRouterError',
      message:
        'instrumentRouter: the first argument must be a @llmo/core Router, e.g. instrumentRouter(router)',
    });
  }
  validateTracingOptions(options);
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer('@llmo/otel');
  const providerNameOf = (name: string) => {
    // Looked up when the attempt starts: providers can be replaced while the router runs.
    const provider = router.getProviders().find((p) => p.name === name);
    return provider ? genAiProviderName(provider.providerType, options.providerNames) : undefined;
  };
  const settings = { tracer, captureContent: options.captureContent === true, providerNameOf };
  const traces = new Map<string, RequestTrace>();

  const onEvent = (event: RouterEvent) => {
    if (event.type === 'route-start') {
      const call = context.active().getValue(TRACED_CALL) as TracedCall | undefined;
      if (traces.size >= MAX_OPEN_REQUESTS) {
        const [oldest, dropped] = traces.entries().next().value as [string, RequestTrace];
        traces.delete(oldest);
        dropped.abandon('llmo.trace_dropped');
      }
      const parent = call?.parent ?? context.active();
      traces.set(
        event.requestId,
        new RequestTrace(settings, event.requestId, event.streaming, event.candidates, parent, call),
      );
      return;
    }
    if (!('requestId' in event)) return; // circuit-state-change: not part of a request
    const requestTrace = traces.get(event.requestId);
    if (!requestTrace) return;
    switch (event.type) {
      case 'attempt-start':
        requestTrace.attemptStart(event.provider, event.model, event.retry);
        break;
      case 'first-chunk':
        requestTrace.firstChunk(event.provider, event.ttftMs);
        break;
      case 'attempt-error':
        requestTrace.attemptError(event);
        break;
      case 'attempt-skipped':
        requestTrace.attemptSkipped(event.provider, event.reason);
        break;
      case 'attempt-end':
        requestTrace.attemptEnd(event);
        break;
      case 'route-end':
        traces.delete(event.requestId);
        requestTrace.routeEnd(event);
        break;
    }
  };
  const unsubscribe = router.on('*', onEvent);
  const unpatch = patchRouter(router);
  // The provider call runs with the attempt's span active, so HTTP client spans nest under it (a core
  // without `wrapAttempts` still gets every span from the events; client spans then sit under the request).
  const unwrap =
    typeof router.wrapAttempts === 'function'
      ? router.wrapAttempts((info, run) => {
          const attemptContext = traces.get(info.requestId)?.attemptContext(info.provider);
          return attemptContext ? context.with(attemptContext, run) : run();
        })
      : () => {};
  let closed = false;
  return {
    close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      unwrap();
      unpatch();
      for (const open of traces.values()) open.abandon('llmo.tracing_closed');
      traces.clear();
    },
  };
}
