// @llmo/otel: OpenTelemetry GenAI spans for the llmo router, built on @opentelemetry/api alone.

export { ATTR as ATTRIBUTES, EVENT as EVENTS } from './gen-ai-attributes.js';
export { instrumentRouter, MAX_OPEN_REQUESTS, type RouterTracing } from './instrument-router.js';
export type { RouterTracingOptions } from './tracing-options.js';
