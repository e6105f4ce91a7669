import { z } from 'zod';
import { RouterError } from '../errors/router-error.js';
import type { FetchFunction } from '../provider-utils/fetch-function.js';
import type { PriceTable } from '../spec/model-pricing.js';
import type { UsageCallback } from '../usage/usage-dispatcher.js';
import type { RetryPolicy } from './backoff.js';
import type { CircuitBreakerOptions } from './circuit-breaker.js';
import { formatZodError } from './format-zod-error.js';
import type { Logger } from './logger.js';
import type { RoutingStrategy } from './routing-strategy.js';
import type { WarningHandler } from './warnings.js';

export interface BaseRouterOptions {
  /** Orders providers per request. */
  strategy: RoutingStrategy;
  /** Retries on the same provider for transient errors. */
  retry?: Partial<RetryPolicy>;
  /** Time allowed per attempt (for streams: until the first chunk). Default 60 s. */
  timeoutMs?: number;
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
  /** Default 5 s, as in the seed. */
  callbackTimeoutMs?: number;
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
    message: `must be a function (${what})`,
  });
const positiveMs = (what: string) =>
  z
    .number({ error: `must be a number of milliseconds (${what})` })
    .finite()
    .positive({ message: `must be > 0 (${what})` });
const count = (what: string) =>
  z
    .number({ error: `must be an integer (${what})` })
    .int({ message: `must be an integer (${what})` })
    .min(0, {
      message: `must be ≥ 0 (${what})`,
    });
const pricing = z.strictObject({
  inputPer1K: z.number().min(0),
  outputPer1K: z.number().min(0),
  currency: z.string().regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code such as "USD" or "RUB"' }),
});

export const baseRouterOptionsSchema = z
  .strictObject({
    strategy: z.custom<RoutingStrategy>(
      (v) =>
        v != null &&
        typeof v === 'object' &&
        typeof (v as RoutingStrategy).name === 'string' &&
        typeof (v as RoutingStrategy).order === 'function',
      { message: 'must be a strategy object with a `name` and an `order(providers, context)` method' },
    ),
    retry: z
      .strictObject({
        maxRetries: count('retries per provider, e.g. 2').max(10, { message: 'must be ≤ 10' }),
        initialDelayMs: positiveMs('first backoff, e.g. 250'),
        maxDelayMs: positiveMs('backoff cap, e.g. 8000'),
        factor: z.number().min(1, { message: 'must be ≥ 1 (backoff growth, e.g. 2)' }),
        maxRetryAfterMs: z.number().min(0, { message: 'must be ≥ 0' }),
      })
      .partial()
      .optional(),
    timeoutMs: positiveMs('per-attempt timeout, e.g. 60000').optional(),
    deadlineMs: positiveMs('whole-request deadline').optional(),
    circuitBreaker: z
      .union([
        z.literal(false),
        z
          .strictObject({
            failureThreshold: count('consecutive failures, e.g. 5').min(1, { message: 'must be ≥ 1' }),
            cooldownMs: positiveMs('cooldown, e.g. 30000'),
          })
          .partial(),
      ])
      .optional(),
    healthCheck: z
      .strictObject({
        ttlMs: z.number().min(0).optional(),
        timeoutMs: positiveMs('health check timeout').optional(),
      })
      .optional(),
    prices: z.record(z.string(), z.record(z.string(), pricing)).optional(),
    usageCallback: fn('an async function receiving each usage record').optional(),
    callbackUrl: z
      .string()
      .refine((v) => /^https?:\/\//.test(v), {
        message: 'must be an http(s) URL, e.g. "https://billing.example/usage"',
      })
      .optional(),
    callbackHeaders: z.record(z.string(), z.string()).optional(),
    callbackTimeoutMs: positiveMs('usage POST timeout, e.g. 5000').optional(),
    tenantId: z.string().min(1).optional(),
    platformKeyId: z.string().min(1).optional(),
    logger: z
      .custom<Logger>(
        (v) =>
          v != null &&
          typeof v === 'object' &&
          typeof (v as Logger).info === 'function' &&
          typeof (v as Logger).warn === 'function',
        { message: 'must have info() and warn() methods (pino and console both do)' },
      )
      .optional(),
    onWarning: z.union([z.literal(false), fn('a warning handler, or false to silence warnings')]).optional(),
    fetch: fn('a fetch implementation').optional(),
    seed: z.number().int().optional(),
    defaultCompletionTokens: count('tokens').optional(),
  })
  .refine((o) => !(o.usageCallback && o.callbackUrl), {
    message:
      'give either usageCallback (in-process function) or callbackUrl (HTTP POST), not both: usage would be counted twice',
    path: ['callbackUrl'],
  });

/** Validates options against `schema`, throwing one `RouterError` that names every bad field and its fix. */
export function validateOptions<T>(schema: z.ZodType<T>, value: unknown, label: string): T {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) {
    throw new RouterError({ code: 'invalid-options', message: formatZodError(label, parsed.error) });
  }
  return parsed.data;
}
