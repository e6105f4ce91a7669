import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import RateLimiterMemory from 'rate-limiter-flexible/lib/RateLimiterMemory.js';
import type { ApiKeyEntry } from './api-keys.js';
import { GatewayHttpError } from './gateway-http-error.js';

const isLimiterRes = (value: unknown): value is RateLimiterRes =>
  typeof value === 'object' && value !== null && 'msBeforeNext' in value;

function tooMany(what: string, msBeforeNext: number): GatewayHttpError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new GatewayHttpError({
    status: 429,
    message: `Rate limit reached: this key's ${what} limit is used up; retry in ${seconds} s.`,
    type: 'rate_limit_error',
    code: what === 'requests per minute' ? 'rate_limit_exceeded' : 'tokens_rate_limit_exceeded',
    kind: 'rate_limit',
    retryAfterSeconds: seconds,
  });
}

/** One limit's window: `points` per `duration` seconds, its keys under `keyPrefix`. */
export interface LimiterSpec {
  points: number;
  duration: number;
  /** `rpm:` or `tpm:`; a shared store puts its own prefix before it. */
  keyPrefix: string;
}

/**
 * Where limit windows are counted: in this process (the default), or in a store every gateway process shares
 * (`redisLimiterStore` in `@llmo/gateway/node`, chosen by `gateway.redis`).
 */
export type LimiterStore = (spec: LimiterSpec) => RateLimiterAbstract;

/** Counts in this process's memory: each gateway process has its own windows. */
export const memoryLimiterStore: LimiterStore = ({ points, duration }) =>
  new RateLimiterMemory({ points, duration });

/** A key's limiter and the limit it was made for. */
interface Window {
  points: number;
  limiter: RateLimiterAbstract;
}

const window = (store: LimiterStore, points: number, keyPrefix: string): Window => ({
  points,
  limiter: store({ points, duration: 60, keyPrefix }),
});

/**
 * Per-key requests-per-minute and tokens-per-minute limits, with rate-limiter-flexible (fixed 60 s windows per
 * key; in memory, or shared through Redis). Requests are counted when they arrive; tokens when the answer is
 * known (a request is refused once the key's tokens for the window are spent, since its own size is not known
 * in advance).
 */
export class KeyLimits {
  private readonly rpm = new Map<string, Window>();
  private readonly tpm = new Map<string, Window>();

  /**
   * `previous`: the limits a configuration reload replaces. A key whose limit is unchanged keeps its window
   * (its count so far in this minute), so a reload (SIGHUP) never hands every key a fresh minute; a key whose
   * limit changed starts a new window at the new limit.
   */
  constructor(
    entries: readonly ApiKeyEntry[],
    store: LimiterStore = memoryLimiterStore,
    previous?: KeyLimits,
  ) {
    for (const e of entries) {
      if (e.rpm !== undefined)
        this.rpm.set(
          e.id,
          previous?.rpm.get(e.id)?.points === e.rpm ? previous.rpm.get(e.id)! : window(store, e.rpm, 'rpm:'),
        );
      if (e.tpm !== undefined)
        this.tpm.set(
          e.id,
          previous?.tpm.get(e.id)?.points === e.tpm ? previous.tpm.get(e.id)! : window(store, e.tpm, 'tpm:'),
        );
    }
  }

  /** Counts one request; throws a 429 `GatewayHttpError` with Retry-After when a limit is reached. */
  async admit(key: ApiKeyEntry): Promise<void> {
    const tokens = this.tpm.get(key.id)?.limiter;
    if (tokens && key.tpm !== undefined) {
      const state = await tokens.get(key.id);
      if (state && state.consumedPoints >= key.tpm) throw tooMany('tokens per minute', state.msBeforeNext);
    }
    const requests = this.rpm.get(key.id)?.limiter;
    if (requests) {
      try {
        await requests.consume(key.id, 1);
      } catch (error) {
        if (isLimiterRes(error)) throw tooMany('requests per minute', error.msBeforeNext);
        throw error;
      }
    }
  }

  /** Charges the tokens a request used to its key's window. */
  async charge(key: ApiKeyEntry, tokens: number): Promise<void> {
    const limiter = this.tpm.get(key.id)?.limiter;
    if (limiter && tokens > 0) await limiter.penalty(key.id, tokens);
  }
}
