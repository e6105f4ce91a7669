import * as z from 'zod/mini';
import { RouterError } from '../errors/router-error.js';
import type { FetchFunction } from '../provider-utils/fetch-function.js';
import { lazy } from '../provider-utils/lazy.js';
import type { PriceTable } from '../spec/model-pricing.js';
import { type UsageDeliveryOptions, usageDeliveryOptionsSchema } from '../usage/usage-delivery-options.js';
import type { UsageCallback } from '../usage/usage-dispatcher.js';
import type { RetryPolicy } from './backoff.js';
import type { CircuitBreakerOptions } from './circuit-breaker.js';
import { describeZodIssues, formatZodError } from './format-zod-error.js';
import type { Logger } from './logger.js';
import type { RoutingStrategy } from './routing-strategy.js';
import type { WarningHandler } from './warnings.js';

export interface BaseRouterOptions {
  /** Orders providers per request. */
  strategy: RoutingStrategy;
  /** Retries on the same provider for transient errors. */
  retry?: Partial<RetryPolicy>;
  /** Time allowed per attempt (for streams: until the first chunk, unless `firstChunkTimeoutMs`). Default 60 s. */
  timeoutMs?: number;
  /** Time allowed for a stream's first content chunk, per attempt. Default: `timeoutMs`. */
  firstChunkTimeoutMs?: number;
  /**
   * Longest silence allowed between two parts of a stream once it has started; a stream that stalls longer
   * ends in a `StreamInterruptedError` of kind `timeout` with the text so far. Default 30 s; `0` turns it off.
   */
  idleTimeoutMs?: number;
  /**
   * Share of requests (0..1) that `best-available` and `least-latency` send first to a provider that lacks
   * recent latency data (new, or back after failing), so its numbers stay current. Default 0.05.
   */
  exploration?: number;
  /** Time allowed for the whole request, retries and fallbacks included. Default: none. */
  deadlineMs?: number;
  /** `false` turns the circuit breaker off. */
  circuitBreaker?: Partial<CircuitBreakerOptions> | false;
  /** Health checks are cached this long (default 30 s) and given this long to answer (default 5 s). */
  healthCheck?: { ttlMs?: number; timeoutMs?: number };
  /** Prices that override the providers' own and the defaults: `{ openai: { 'gpt-4o': {...} } }`. */
  prices?: PriceTable;
  /** Receives one usage record per attempt. Mutually exclusive with `callbackUrl`. */
  usageCallback?: UsageCallback;
  /** POSTs one usage record per attempt as snake_case JSON. Mutually exclusive with `usageCallback`. */
  callbackUrl?: string;
  callbackHeaders?: Record<string, string>;
  /** Time allowed per delivery try (POST or callback call). Default 5 s, as in the seed. */
  callbackTimeoutMs?: number;
  /**
   * How usage records are queued, batched, sent and retried: `{ batchSize, maxBatchWaitMs, concurrency,
   * maxQueueSize, retry, store }`. Delivery is at least once; every record carries an `id` to deduplicate on.
   */
  usageDelivery?: UsageDeliveryOptions;
  tenantId?: string;
  platformKeyId?: string;
  logger?: Logger;
  /** Receives warnings; `false` silences them; unset prints them with `console.warn`. */
  onWarning?: WarningHandler | false;
  /** fetch for the usage HTTP sink. */
  fetch?: FetchFunction;
  /** Seeds the router's random numbers (random and weighted strategies, jitter) for reproducible runs. */
  seed?: number;
  /** Completion tokens assumed when estimating a request's cost without `maxTokens`. Default 256. */
  defaultCompletionTokens?: number;
}

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', {
    error: `must be a function (${what})`,
  });
const number = (what: string) => z.number({ error: `must be a number (${what})` });
const positiveMs = (what: string) =>
  number(`milliseconds: ${what}`).check(z.positive({ error: `must be > 0 (${what})` }));
const count = (what: string) =>
  z.int({ error: `must be an integer (${what})` }).check(z.gte(0, { error: `must be ≥ 0 (${what})` }));
const currency = z
  .string()
  .check(z.regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as "USD" or "RUB"' }));
const pricing = z.strictObject({
  inputPer1K: number('price per 1K input tokens').check(z.gte(0, { error: 'must be ≥ 0' })),
  outputPer1K: number('price per 1K output tokens').check(z.gte(0, { error: 'must be ≥ 0' })),
  currency,
});

// zod/mini, not classic zod: its functions tree-shake, which keeps @llmo/core small in edge bundles.
export const baseRouterOptionsSchema = lazy(() =>
  z
    .strictObject({
      strategy: z.custom<RoutingStrategy>(
        (v) =>
          v != null &&
          typeof v === 'object' &&
          typeof (v as RoutingStrategy).name === 'string' &&
          typeof (v as RoutingStrategy).order === 'function',
        { error: 'must be a strategy object with a `name` and an `order(providers, context)` method' },
      ),
      retry: z.optional(
        z.partial(
          z.strictObject({
            maxRetries: count('retries per provider, e.g. 2').check(z.lte(10, { error: 'must be ≤ 10' })),
            initialDelayMs: positiveMs('first backoff, e.g. 250'),
            maxDelayMs: positiveMs('backoff cap, e.g. 8000'),
            factor: number('backoff growth, e.g. 2').check(
              z.gte(1, { error: 'must be ≥ 1 (backoff growth, e.g. 2)' }),
            ),
            maxRetryAfterMs: number('longest Retry-After to wait').check(z.gte(0, { error: 'must be ≥ 0' })),
            maxPasses: count('passes over the providers, e.g. 3').check(
              z.gte(1, { error: 'must be ≥ 1 (passes over the providers, e.g. 3)' }),
            ),
          }),
        ),
      ),
      timeoutMs: z.optional(positiveMs('per-attempt timeout, e.g. 60000')),
      firstChunkTimeoutMs: z.optional(positiveMs('time to the first chunk of a stream, e.g. 30000')),
      idleTimeoutMs: z.optional(
        number('milliseconds of silence allowed between stream chunks, e.g. 30000; 0 turns it off').check(
          z.gte(0, { error: 'must be ≥ 0 (0 turns the idle timeout off)' }),
        ),
      ),
      exploration: z.optional(
        number('share of requests, e.g. 0.05').check(
          z.gte(0, { error: 'must be between 0 and 1 (share of requests, e.g. 0.05)' }),
          z.lte(1, { error: 'must be between 0 and 1 (share of requests, e.g. 0.05)' }),
        ),
      ),
      deadlineMs: z.optional(positiveMs('whole-request deadline')),
      circuitBreaker: z.optional(
        z.union(
          [
            z.literal(false),
            z.partial(
              z.strictObject({
                failureThreshold: count('consecutive failures, e.g. 5').check(
                  z.gte(1, { error: 'must be ≥ 1' }),
                ),
                cooldownMs: positiveMs('cooldown, e.g. 30000'),
              }),
            ),
          ],
          { error: 'must be false or { failureThreshold, cooldownMs }' },
        ),
      ),
      healthCheck: z.optional(
        z.strictObject({
          ttlMs: z.optional(number('cache time').check(z.gte(0, { error: 'must be ≥ 0' }))),
          timeoutMs: z.optional(positiveMs('health check timeout')),
        }),
      ),
      prices: z.optional(z.record(z.string(), z.record(z.string(), pricing))),
      usageCallback: z.optional(fn('an async function receiving each usage record')),
      callbackUrl: z.optional(
        z.string({ error: 'must be a URL string' }).check(
          z.regex(/^https?:\/\//, {
            error: 'must be an http(s) URL, e.g. "https://billing.example/usage"',
          }),
        ),
      ),
      callbackHeaders: z.optional(z.record(z.string(), z.string())),
      callbackTimeoutMs: z.optional(positiveMs('usage POST timeout, e.g. 5000')),
      usageDelivery: z.optional(usageDeliveryOptionsSchema()),
      tenantId: z.optional(z.string().check(z.minLength(1, { error: 'must not be empty' }))),
      platformKeyId: z.optional(z.string().check(z.minLength(1, { error: 'must not be empty' }))),
      logger: z.optional(
        z.custom<Logger>(
          (v) =>
            v != null &&
            typeof v === 'object' &&
            typeof (v as Logger).info === 'function' &&
            typeof (v as Logger).warn === 'function',
          { error: 'must have info() and warn() methods (pino and console both do)' },
        ),
      ),
      onWarning: z.optional(
        z.union([z.literal(false), fn('a warning handler')], {
          error: 'must be a function, or false to silence warnings',
        }),
      ),
      fetch: z.optional(fn('a fetch implementation')),
      seed: z.optional(z.int({ error: 'must be an integer' })),
      defaultCompletionTokens: z.optional(count('tokens')),
    })
    .check(
      z.refine((o) => !(o.usageCallback && o.callbackUrl), {
        error:
          'give either usageCallback (in-process function) or callbackUrl (HTTP POST), not both: usage would be counted twice',
        path: ['callbackUrl'],
      }),
    ),
);

/**
 * Options that are only a strategy object (what `new Router()` and `new Router({ strategy })` pass down):
 * valid without building the schema, which is most of what constructing a router costs.
 */
export function isStrategyOnly(options: unknown): boolean {
  if (typeof options !== 'object' || options === null || Object.getPrototypeOf(options) !== Object.prototype)
    return false;
  const keys = Reflect.ownKeys(options);
  if (keys.length !== 1 || keys[0] !== 'strategy') return false;
  const strategy = (options as { strategy?: RoutingStrategy }).strategy;
  return (
    strategy != null &&
    typeof strategy === 'object' &&
    typeof strategy.name === 'string' &&
    typeof strategy.order === 'function'
  );
}

/** Validates options against `schema`, throwing one `RouterError` that names every bad field and its fix. */
export function validateOptions<T>(schema: z.ZodMiniType<T>, value: unknown, label: string): T {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) {
    throw new RouterError({
      code: 'invalid-options',
      message: formatZodError(label, parsed.error, schema),
      issues: describeZodIssues(parsed.error, schema),
    });
  }
  return parsed.data;
}
