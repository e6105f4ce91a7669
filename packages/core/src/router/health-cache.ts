import type { ProviderV1 } from '../spec/provider-v1.js';

interface Entry {
  healthy: boolean;
  expiresAt: number;
  pending?: Promise<boolean>;
}

/**
 * Health checks with a TTL: never one probe per request. Concurrent callers share one in-flight check;
 * a check that throws or outlives `timeoutMs` counts as unhealthy.
 */
export class HealthCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  check(provider: ProviderV1): Promise<boolean> {
    const entry = this.entries.get(provider.name);
    if (entry?.pending) return entry.pending;
    if (entry && entry.expiresAt > this.now()) return Promise.resolve(entry.healthy);
    const pending = this.probe(provider).then((healthy) => {
      this.entries.set(provider.name, { healthy, expiresAt: this.now() + this.ttlMs });
      return healthy;
    });
    this.entries.set(provider.name, { healthy: entry?.healthy ?? true, expiresAt: 0, pending });
    return pending;
  }

  /** The last known result without probing, or undefined. */
  peek(name: string): boolean | undefined {
    return this.entries.get(name)?.healthy;
  }

  forget(name: string): void {
    this.entries.delete(name);
  }

  private async probe(provider: ProviderV1): Promise<boolean> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      return await Promise.race([
        provider.healthCheck({ signal: controller.signal }).then((ok) => ok === true),
        new Promise<boolean>((resolve) => controller.signal.addEventListener('abort', () => resolve(false))),
      ]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
