import type { ResolvedGatewayConfig } from '@llmo/config';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { LimiterStore } from '../key-limits.js';

/** A limiter store on Redis, and the connection it owns. */
export interface RedisLimiterStore {
  store: LimiterStore;
  /**
   * Resolves true once connected, or false after `connectTimeout` (2 s) without a connection: the gateway
   * waits for it before listening, so its first requests are counted in the shared window when Redis is up.
   */
  ready: Promise<boolean>;
  /** Closes the connection (QUIT, then a hard disconnect if Redis does not answer within a second). */
  close(): Promise<void>;
}

export interface RedisLimiterStoreOptions {
  /** Redis went away or came back (the gateway logs it; never with the URL, which may hold a password). */
  onStateChange?(state: 'down' | 'up', error?: Error): void;
}

/**
 * Per-key rate limit windows in Redis (rate-limiter-flexible's `RateLimiterRedis`, atomic per key), so every
 * gateway process behind a load balancer counts the same window. While Redis is unreachable each process
 * falls back to its own in-memory window (the `insuranceLimiter`): requests keep being served and limited per
 * process, never refused or let through unlimited because a store is down.
 */
export function redisLimiterStore(
  redis: NonNullable<ResolvedGatewayConfig['redis']>,
  options: RedisLimiterStoreOptions = {},
): RedisLimiterStore {
  const client = new Redis(redis.url, {
    // A command while disconnected fails at once (the limiter then uses its insurance) instead of queueing
    // behind a reconnect, which would hold every request for as long as Redis is down.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    // Reconnect forever, backing off to 2 s between tries.
    retryStrategy: (times) => Math.min(times * 100, 2_000),
  });
  let down = false;
  const ready = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 2_000);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  // ioredis reports every failed reconnect as an `error` event: without a listener Node would print each one.
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    options.onStateChange?.('down', error);
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    options.onStateChange?.('up');
  });
  const store: LimiterStore = ({ points, duration, keyPrefix }) =>
    new RateLimiterRedis({
      storeClient: client,
      points,
      duration,
      keyPrefix: `${redis.keyPrefix}${keyPrefix}`,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points, duration }),
    });
  return {
    store,
    ready,
    async close() {
      if (client.status === 'end') return;
      const timer = setTimeout(() => client.disconnect(), 1_000);
      await client.quit().catch(() => client.disconnect());
      clearTimeout(timer);
    },
  };
}
