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

/** One kind of window: counts per key under `keyPrefix`, reset every `duration` seconds. */
export interface LimiterSpec {
  /** The most a window may count; the gateway compares the count with each key's own limit itself. */
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

/**
 * A window counts past any key's limit: the limit is checked against the count here, so that a window does
 * not depend on it (a reload that changes a key's limit keeps the key's count, in memory as in Redis).
 */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/**
 * Per-key requests-per-minute and tokens-per-minute limits, with rate-limiter-flexible (fixed 60 s windows per
 * key; in memory, or shared through Redis). Requests are counted when they arrive; tokens are held for the
 * prompt (estimated) while a request runs and settled to what it used when the answer is known; a request is
 * refused once the key's tokens for the window are spent (its answer's size is not known in advance).
 *
 * One instance serves a gateway for its whole life, across configuration reloads: a window is keyed by the
 * key's id (its `name`, or a hash of its secret) and checked against the key's limit of the moment, so a
 * reload never hands a key a fresh minute, a changed limit applies to the count so far, and a key removed and
 * added back within the minute finds its count. A `name` given to another secret carries the window with it.
 */
export class KeyLimits {
  readonly #rpm: RateLimiterAbstract;
  readonly #tpm: RateLimiterAbstract;

  constructor(store: LimiterStore = memoryLimiterStore) {
    this.#rpm = store({ points: UNBOUNDED, duration: 60, keyPrefix: 'rpm:' });
    this.#tpm = store({ points: UNBOUNDED, duration: 60, keyPrefix: 'tpm:' });
  }

  /** Counts one request; throws a 429 `GatewayHttpError` with Retry-After when a limit is reached. */
  async admit(key: ApiKeyEntry): Promise<void> {
    if (key.tpm !== undefined) {
      const state = await this.#tpm.get(key.id);
      if (state && state.consumedPoints >= key.tpm) throw tooMany('tokens per minute', state.msBeforeNext);
    }
    if (key.rpm !== undefined) {
      // Counted first, compared after: one atomic step per request in a shared store (a refused request counts
      // too, as rate-limiter-flexible's own limit would).
      const state = await this.#rpm.consume(key.id, 1).catch((error: unknown) => {
        if (isLimiterRes(error)) return error;
        throw error;
      });
      if (state.consumedPoints > key.rpm) throw tooMany('requests per minute', state.msBeforeNext);
    }
  }

  /**
   * Holds `tokens` (a request's prompt, estimated) in the key's tpm window while the request runs, so that
   * requests of one key running at once count each other's prompts at admission instead of all passing a
   * window that none of them has charged yet. `charge` settles it.
   */
  async hold(key: ApiKeyEntry, tokens: number): Promise<TokenHold | undefined> {
    if (key.tpm === undefined || tokens <= 0) return undefined;
    const state = await this.#tpm.penalty(key.id, tokens);
    return { tokens, until: Date.now() + state.msBeforeNext };
  }

  /** Charges the tokens a request used to its key's window, net of what its `hold` already counted. */
  async charge(key: ApiKeyEntry, tokens: number, hold?: TokenHold): Promise<void> {
    if (key.tpm === undefined) return;
    // A hold counts only in the window it was made in (a second's margin for the calls in between): once that
    // window has reset the hold is gone, and giving it back would credit the next one.
    const held = hold !== undefined && hold.until - Date.now() > 1000 ? hold.tokens : 0;
    const rest = tokens - held;
    if (rest > 0) await this.#tpm.penalty(key.id, rest);
    else if (rest < 0) await this.#tpm.reward(key.id, -rest);
  }
}

/** Tokens held in a key's tpm window for a request in flight, and when that window ends (`Date.now()` time). */
export interface TokenHold {
  tokens: number;
  until: number;
}
