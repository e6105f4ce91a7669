import type { ErrorKind } from '../errors/error-kind.js';

/** One record per attempt, success or failure: the seed's fields plus currency, error kind, TTFT and tenant ids. */
export interface UsageRecord {
  /**
   * Unique per record (a UUID from `createUsageRecordId()`), the same on every redelivery: delivery is
   * at-least-once, so a sink deduplicates on it (the HTTP sink also sends it as `Idempotency-Key`).
   */
  id: string;
  requestId: string;
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Of `promptTokens`, read from / written to the provider's prompt cache, when it reported them. */
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  /** True when the provider reported no usage and the counts are estimates. */
  estimated: boolean;
  cost: number;
  currency: string;
  /** False when no price is known for this provider and model: `cost` is then 0 but not "free". */
  costKnown: boolean;
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
    id: record.id,
    request_id: record.requestId,
    provider: record.provider,
    model: record.model,
    prompt_tokens: record.promptTokens,
    completion_tokens: record.completionTokens,
    total_tokens: record.totalTokens,
    estimated: record.estimated,
    cost: record.cost,
    currency: record.currency,
    cost_known: record.costKnown,
    latency_ms: record.latencyMs,
    success: record.success,
    streaming: record.streaming,
    retry: record.retry,
    timestamp: record.timestamp,
  };
  if (record.ttftMs !== undefined) payload.ttft_ms = record.ttftMs;
  if (record.cacheReadTokens !== undefined) payload.cache_read_tokens = record.cacheReadTokens;
  if (record.cacheWriteTokens !== undefined) payload.cache_write_tokens = record.cacheWriteTokens;
  if (record.tenantId) payload.tenant_id = record.tenantId;
  if (record.platformKeyId) payload.platform_key_id = record.platformKeyId;
  if (record.errorType) payload.error_type = record.errorType;
  if (record.errorKind) payload.error_kind = record.errorKind;
  return payload;
}

/**
 * A new usage record id: a random UUID. `crypto.randomUUID` exists on Node ≥ 19, Deno, Bun, edge workers
 * and browsers in secure contexts; elsewhere the same v4 layout is built from `getRandomValues`, and only
 * without any Web Crypto from `Math.random` (ids then stay unique in practice but are guessable).
 */
export function createUsageRecordId(): string {
  const webCrypto = (globalThis as { crypto?: Partial<Crypto> }).crypto;
  if (typeof webCrypto?.randomUUID === 'function') return webCrypto.randomUUID();
  const bytes = new Uint8Array(16);
  if (typeof webCrypto?.getRandomValues === 'function') webCrypto.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
