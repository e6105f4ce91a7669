import type { FinishReason } from '@llmo/core';

/**
 * Attribute and event names. The `gen_ai.*` and `error.type` names are the OpenTelemetry GenAI semantic
 * conventions' (https://opentelemetry.io/docs/specs/semconv/gen-ai/); they are written out rather than
 * imported from `@opentelemetry/semantic-conventions`, whose GenAI names live in its unstable `incubating`
 * entry, so this package depends on `@opentelemetry/api` alone. `llmo.*` names are this package's own.
 */
export const ATTR = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  /** The convention's older name for `gen_ai.provider.name`, still read by many backends. */
  system: 'gen_ai.system',
  requestModel: 'gen_ai.request.model',
  requestTemperature: 'gen_ai.request.temperature',
  requestTopP: 'gen_ai.request.top_p',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestStopSequences: 'gen_ai.request.stop_sequences',
  requestSeed: 'gen_ai.request.seed',
  outputType: 'gen_ai.output.type',
  responseModel: 'gen_ai.response.model',
  responseId: 'gen_ai.response.id',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  errorType: 'error.type',
  httpStatusCode: 'http.response.status_code',
  requestId: 'llmo.request.id',
  streaming: 'llmo.streaming',
  candidates: 'llmo.candidates',
  provider: 'llmo.provider.name',
  retry: 'llmo.attempt.retry',
  willRetry: 'llmo.attempt.will_retry',
  retryDelayMs: 'llmo.retry.delay_ms',
  callerFault: 'llmo.error.caller_fault',
  latencyMs: 'llmo.latency_ms',
  ttftMs: 'llmo.ttft_ms',
  usageEstimated: 'llmo.usage.estimated',
  costAmount: 'llmo.cost.amount',
  costCurrency: 'llmo.cost.currency',
  attempts: 'llmo.attempts',
  fallbacks: 'llmo.fallbacks',
  retries: 'llmo.retries',
  fallbackFrom: 'llmo.fallback.from',
  fallbackTo: 'llmo.fallback.to',
  skipReason: 'llmo.skip.reason',
} as const;

export const EVENT = {
  retry: 'llmo.retry',
  fallback: 'llmo.fallback',
  firstChunk: 'llmo.first_chunk',
  skipped: 'llmo.attempt_skipped',
} as const;

/** llmo provider types whose GenAI well-known `gen_ai.provider.name` differs from the type itself. */
const WELL_KNOWN_PROVIDER_NAMES: Record<string, string> = {
  gemini: 'gcp.gemini',
  vertex: 'gcp.vertex_ai',
  bedrock: 'aws.bedrock',
};

export function genAiProviderName(
  providerType: string,
  overrides: Record<string, string> | undefined,
): string {
  return overrides?.[providerType] ?? WELL_KNOWN_PROVIDER_NAMES[providerType] ?? providerType;
}

/** The convention's finish reasons are OpenAI's spellings (`tool_calls`, `content_filter`). */
export function genAiFinishReason(reason: FinishReason): string {
  return reason.replace('-', '_');
}
