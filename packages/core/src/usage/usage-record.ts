import type { ErrorKind } from '../errors/error-kind.js';

/** One record per attempt, success or failure: the seed's fields plus currency, error kind, TTFT and tenant ids. */
export interface UsageRecord {
  requestId: string;
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** True when the provider reported no usage and the counts are estimates. */
  estimated: boolean;
  cost: number;
  currency: string;
  latencyMs: number;
  ttftMs?: number;
  success: boolean;
  streaming: boolean;
  /** Error class name, as the seed sent it (e.g. `ProviderError`). */
  errorType?: string;
  errorKind?: ErrorKind;
  /** 0 for the first try on this provider. */
  retry: number;
  tenantId?: string;
  platformKeyId?: string;
  /** ISO 8601 time the attempt ended. */
  timestamp: string;
}

/** The HTTP sink's body: the seed's snake_case payload, extended with the same new fields. */
export function toUsagePayload(record: UsageRecord): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    request_id: record.requestId,
    provider: record.provider,
    model: record.model,
    prompt_tokens: record.promptTokens,
    completion_tokens: record.completionTokens,
    total_tokens: record.totalTokens,
    estimated: record.estimated,
    cost: record.cost,
    currency: record.currency,
    latency_ms: record.latencyMs,
    success: record.success,
    streaming: record.streaming,
    retry: record.retry,
    timestamp: record.timestamp,
  };
  if (record.ttftMs !== undefined) payload.ttft_ms = record.ttftMs;
  if (record.tenantId) payload.tenant_id = record.tenantId;
  if (record.platformKeyId) payload.platform_key_id = record.platformKeyId;
  if (record.errorType) payload.error_type = record.errorType;
  if (record.errorKind) payload.error_kind = record.errorKind;
  return payload;
}
