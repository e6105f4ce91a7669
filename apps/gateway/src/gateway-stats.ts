import type { BaseRouter } from '@llmo/core';

/** What `GET /stats` answers. */
export interface GatewayStatsSnapshot {
  total_requests: number;
  successful_requests: number;
  failed_requests: number;
  /** failed / total, 0 when there were none. */
  error_rate: number;
  average_latency_ms: number;
  /** Cost of answered requests per currency (never summed across currencies). */
  cost: Record<string, number>;
  tokens: { prompt: number; completion: number; total: number };
  uptime_seconds: number;
  /** The router's metrics per provider (kept across a configuration reload for names that stay). */
  providers: Record<
    string,
    {
      health: string;
      circuit: string;
      total_requests: number;
      error_rate: number;
      avg_latency_ms: number | null;
    }
  >;
}

/** Counters over the chat endpoints (OpenAI and seed) since the gateway started; O(1) per request. */
export class GatewayStats {
  private total = 0;
  private failed = 0;
  private latencySum = 0;
  private readonly cost: Record<string, number> = {};
  private readonly tokens = { prompt: 0, completion: 0, total: 0 };
  private readonly startedAt: number;

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
  }

  record(entry: {
    success: boolean;
    latencyMs: number;
    cost?: { amount: number; currency: string };
    usage?: { promptTokens: number; completionTokens: number; totalTokens: number };
  }): void {
    this.total++;
    if (!entry.success) this.failed++;
    this.latencySum += entry.latencyMs;
    if (entry.cost) {
      // Rounded like core's amounts, so sums do not accumulate binary noise.
      const sum = (this.cost[entry.cost.currency] ?? 0) + entry.cost.amount;
      this.cost[entry.cost.currency] = Math.round(sum * 1e10) / 1e10;
    }
    if (entry.usage) {
      this.tokens.prompt += entry.usage.promptTokens;
      this.tokens.completion += entry.usage.completionTokens;
      this.tokens.total += entry.usage.totalTokens;
    }
  }

  snapshot(router?: BaseRouter): GatewayStatsSnapshot {
    const providers: GatewayStatsSnapshot['providers'] = {};
    for (const [name, m] of Object.entries(router?.getMetrics() ?? {})) {
      providers[name] = {
        health: m.health,
        circuit: m.circuit,
        total_requests: m.totalRequests,
        error_rate: m.recentErrorRate,
        avg_latency_ms: m.avgLatencyMs === null ? null : Math.round(m.avgLatencyMs * 100) / 100,
      };
    }
    return {
      total_requests: this.total,
      successful_requests: this.total - this.failed,
      failed_requests: this.failed,
      error_rate: this.total === 0 ? 0 : this.failed / this.total,
      average_latency_ms: this.total === 0 ? 0 : Math.round((this.latencySum / this.total) * 100) / 100,
      cost: { ...this.cost },
      tokens: { ...this.tokens },
      uptime_seconds: Math.round((this.now() - this.startedAt) / 1000),
      providers,
    };
  }
}
