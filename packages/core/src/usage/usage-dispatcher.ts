import type { FetchFunction } from '../provider-utils/fetch-function.js';
import { redactUrl } from '../provider-utils/redact.js';
import type { WarningHandler } from '../router/warnings.js';
import { toUsagePayload, type UsageRecord } from './usage-record.js';

export type UsageCallback = (record: UsageRecord) => void | Promise<void>;

export interface UsageDispatcherOptions {
  callback?: UsageCallback;
  url?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  fetch: FetchFunction;
  warn: WarningHandler;
}

/**
 * Delivers usage records to a callback or an HTTP endpoint, fail-silent: a failing or slow sink is
 * reported as a warning and never delays or fails the request. Deliveries in flight are tracked, so
 * `flush()` (called by `router.close()`) waits for them and nothing is lost at shutdown.
 */
export class UsageDispatcher {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: UsageDispatcherOptions) {}

  get enabled(): boolean {
    return this.options.callback !== undefined || this.options.url !== undefined;
  }

  deliver(record: UsageRecord): void {
    if (!this.enabled) return;
    // Start on a microtask so a synchronous callback cannot run before the caller gets its result.
    const delivery = Promise.resolve()
      .then(() => this.send(record))
      .catch((error: unknown) => {
        this.options.warn({
          code: 'usage-delivery-failed',
          message: `Usage record for ${record.provider} was not delivered: ${error instanceof Error ? error.message : String(error)}`,
        });
      })
      .finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  /** Resolves when every delivery started so far has finished (succeeded, failed or timed out). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private async send(record: UsageRecord): Promise<void> {
    if (this.options.callback) {
      await this.options.callback(record);
      return;
    }
    const url = this.options.url!;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      const response = await this.options.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.options.headers },
        body: JSON.stringify(toUsagePayload(record)),
        signal: controller.signal,
      });
      await response.body?.cancel().catch(() => {});
      if (!response.ok) throw new Error(`HTTP ${response.status} from ${redactUrl(url)}`);
    } catch (error) {
      if (controller.signal.aborted) {
        throw new Error(`no answer from ${redactUrl(url)} within ${this.options.timeoutMs} ms`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}
