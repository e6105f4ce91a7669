import { describe, expect, it, vi } from 'vitest';
import {
  fastRetry,
  refusedUrl,
  type SinkAnswer,
  sinkClosedAfterEach,
  usageRecord,
} from './usage.test-helper.js';
import { UsageDispatcher } from './usage-dispatcher.js';
import type { UsageDeliveryEvent } from './usage-events.js';

const sink = sinkClosedAfterEach();

describe('usage delivery over HTTP (a real sink on 127.0.0.1)', () => {
  it("POSTs the seed's snake_case payload, one record per request, with Idempotency-Key = id", async () => {
    const s = await sink(() => ({ status: 204 }));
    const d = new UsageDispatcher({
      url: s.url,
      headers: { authorization: 'Bearer billing', 'X-Tenant': 'acme' },
    });
    const record = usageRecord(1, {
      tenantId: 'acme',
      ttftMs: 3,
      success: false,
      errorType: 'ProviderError',
      errorKind: 'auth',
    });
    d.deliver(record);
    await d.flush();
    expect(s.requests).toHaveLength(1);
    const [request] = s.requests;
    expect(request?.body).toEqual({
      id: record.id,
      request_id: 'req-1',
      provider: 'a',
      model: 'a-model',
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
      estimated: false,
      cost: 0.001,
      currency: 'USD',
      cost_known: true,
      latency_ms: 12,
      ttft_ms: 3,
      success: false,
      streaming: false,
      retry: 0,
      timestamp: '1970-01-01T00:00:00.000Z',
      tenant_id: 'acme',
      error_type: 'ProviderError',
      error_kind: 'auth',
    });
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'idempotency-key': record.id,
      authorization: 'Bearer billing',
      'x-tenant': 'acme',
    });
    expect(d.stats()).toMatchObject({ delivered: 1, failed: 0 });
  });

  it('with batchSize > 1 sends JSON arrays of payloads (no Idempotency-Key: each payload has its id)', async () => {
    const s = await sink(() => ({ status: 200 }));
    const d = new UsageDispatcher({ url: s.url, batchSize: 10, maxBatchWaitMs: 10, concurrency: 2 });
    const records = Array.from({ length: 25 }, (_, i) => usageRecord(i));
    for (const r of records) d.deliver(r);
    await d.flush();
    for (const request of s.requests) {
      expect(Array.isArray(request.body)).toBe(true);
      expect((request.body as unknown[]).length).toBeLessThanOrEqual(10);
      expect(request.headers['idempotency-key']).toBeUndefined();
    }
    expect([...s.acknowledged].sort()).toEqual(records.map((r) => r.id).sort());
    expect(d.stats()).toMatchObject({ delivered: 25 });
  });

  it('a permanent 4xx (400) is not retried: failed, reported, counted', async () => {
    const s = await sink(() => ({ status: 400, body: 'bad record' }));
    const events: UsageDeliveryEvent[] = [];
    const warnings: string[] = [];
    const d = new UsageDispatcher({
      url: s.url,
      retry: fastRetry,
      onEvent: (e) => events.push(e),
      warn: (w) => warnings.push(w.message),
    });
    const record = usageRecord();
    d.deliver(record);
    await d.flush();
    expect(s.requests).toHaveLength(1);
    expect(events).toEqual([
      {
        type: 'usage-failed',
        reason: 'rejected',
        record,
        attempts: 1,
        status: 400,
        message: `HTTP 400 from ${s.url}`,
      },
    ]);
    expect(d.stats()).toMatchObject({ failed: 1, retries: 0, delivered: 0 });
    expect(warnings).toHaveLength(1);
  });

  it('retries 408, 429 and 5xx, honouring Retry-After', async () => {
    const answers: SinkAnswer[] = [
      { status: 503, headers: { 'retry-after': '0' } },
      { status: 408 },
      { status: 429, headers: { 'retry-after-ms': '1' } },
      { status: 500 },
      { status: 200 },
    ];
    const s = await sink((_r, i) => answers[i] ?? { status: 200 });
    const d = new UsageDispatcher({ url: s.url, retry: fastRetry });
    d.deliver(usageRecord());
    await d.flush();
    expect(s.requests).toHaveLength(5);
    expect(d.stats()).toMatchObject({ delivered: 1, retries: 4, failed: 0 });
  });

  it('close() with a sink that is down reports drained: false within its timeout, and does not hang', async () => {
    const d = new UsageDispatcher({
      url: await refusedUrl(),
      retry: { maxAttempts: 1_000, initialDelayMs: 5, maxDelayMs: 20 },
    });
    for (let i = 0; i < 3; i++) d.deliver(usageRecord(i));
    await vi.waitFor(() => expect(d.stats().retries).toBeGreaterThan(0), { timeout: 10_000 });
    const report = await d.close({ timeoutMs: 100 });
    expect(report).toEqual({ drained: false, pending: 3, delivered: 0, failed: 0, dropped: 0 });
  });

  it('a sink slower than the timeout is retried, then given up; warnings name no secret', async () => {
    const s = await sink(() => ({ status: 200, delayMs: 500 }));
    const warnings: string[] = [];
    const d = new UsageDispatcher({
      url: `${s.url}?key=sk-secret-123`,
      headers: { authorization: 'Bearer tok-secret-456' },
      timeoutMs: 20,
      retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1 },
      warn: (w) => warnings.push(w.message),
    });
    d.deliver(usageRecord());
    await d.flush();
    expect(d.stats()).toMatchObject({ failed: 1, retries: 1 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /not delivered: no answer from http:\/\/127\.0\.0\.1:\d+\/usage within 20 ms/,
    );
    const refused = new UsageDispatcher({
      url: `${await refusedUrl()}?key=sk-secret-123`,
      headers: { authorization: 'Bearer tok-secret-456' },
      retry: { maxAttempts: 1 },
      warn: (w) => warnings.push(w.message),
    });
    refused.deliver(usageRecord());
    await refused.flush();
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/POST to http:\/\/127\.0\.0\.1:\d+\/usage failed/);
    for (const w of warnings) expect(w).not.toMatch(/secret/);
  });
});
