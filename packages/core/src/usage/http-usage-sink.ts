import type { FetchFunction } from '../provider-utils/fetch-function.js';
import { parseRetryAfterMs } from '../provider-utils/parse-retry-after.js';
import { redactSecrets, redactUrl } from '../provider-utils/redact.js';
import type { StopSignal } from './stop-signal.js';
import { toUsagePayload, type UsageRecord } from './usage-record.js';
import { describeError, type SendOutcome, type UsageSink } from './usage-sink.js';

export interface HttpUsageSinkOptions {
  url: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  fetch: FetchFunction;
  /** 1: the body is one payload object (the seed's format). Above 1: always a JSON array of payloads. */
  batchSize: number;
}

const DELIVERED: SendOutcome = { kind: 'delivered' };
const STOPPED: SendOutcome = { kind: 'stopped' };
/** Enough to let a keep-alive connection be reused after a short answer; a longer body is cancelled. */
const MAX_DRAIN_BYTES = 64 * 1024;

/** 408, 429 and 5xx may pass on a later try; any other non-2xx (400, 401, 404, 413…) will not. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * POSTs usage records as snake_case JSON (`content-type: application/json` plus the user's headers).
 * A single-record body carries `Idempotency-Key: <record id>`; in an array body each payload has its `id`.
 */
export class HttpUsageSink implements UsageSink {
  readonly maxBatchSize: number;
  private readonly baseHeaders: Record<string, string>;
  private readonly where: string;
  private readonly secrets: string[];

  constructor(private readonly options: HttpUsageSinkOptions) {
    this.maxBatchSize = options.batchSize;
    // Lower-cased keys, so a user's `Content-Type` replaces ours instead of being joined to it.
    this.baseHeaders = { 'content-type': 'application/json' };
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      this.baseHeaders[name.toLowerCase()] = value;
    }
    this.where = redactUrl(options.url);
    // Header values (tokens) and the full URL (keys in query strings) must never reach a message.
    this.secrets = [options.url, ...Object.values(options.headers ?? {})];
  }

  async send(records: readonly UsageRecord[], stop: StopSignal): Promise<SendOutcome> {
    if (stop.stopped) return STOPPED;
    const { timeoutMs } = this.options;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const unsubscribe = stop.subscribe(() => controller.abort());
    try {
      const single = this.options.batchSize === 1 && records.length === 1;
      const response = await this.options.fetch(this.options.url, {
        method: 'POST',
        headers: single ? { ...this.baseHeaders, 'idempotency-key': records[0]!.id } : this.baseHeaders,
        body: JSON.stringify(single ? toUsagePayload(records[0]!) : records.map(toUsagePayload)),
        signal: controller.signal,
      });
      const retryAfterMs = parseRetryAfterMs(response.headers);
      // Read the answer (within the timeout), or the connection cannot go back to the keep-alive pool.
      await drain(response);
      if (response.ok) return DELIVERED;
      const { status } = response;
      const message = `HTTP ${status} from ${this.where}`;
      return isRetryableStatus(status)
        ? { kind: 'retry', message, status, retryAfterMs }
        : { kind: 'reject', message, status };
    } catch (error) {
      if (stop.stopped) return STOPPED;
      if (timedOut) return { kind: 'retry', message: `no answer from ${this.where} within ${timeoutMs} ms` };
      return { kind: 'retry', message: `POST to ${this.where} failed: ${this.describe(error)}` };
    } finally {
      clearTimeout(timer);
      unsubscribe();
    }
  }

  /** fetch says "fetch failed" and keeps the reason (ECONNREFUSED…) in `cause`; both, without secrets. */
  private describe(error: unknown): string {
    const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
    const detail = cause?.code ?? cause?.message;
    const text = detail === undefined ? describeError(error) : `${describeError(error)} (${String(detail)})`;
    return redactSecrets(text, this.secrets);
  }
}

/** Reads and discards the body, up to a limit; a reset or abort while reading changes nothing. */
async function drain(response: Response): Promise<void> {
  const body = response.body;
  if (body === null) return;
  const reader = body.getReader();
  try {
    let read = 0;
    while (read <= MAX_DRAIN_BYTES) {
      const chunk = await reader.read();
      if (chunk.done) return;
      read += chunk.value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The status is what counts; a body cut short is only a connection that will not be reused.
  }
}
