import { type BaseRouter, LlmoError } from '@llmo/core';
import { validateProviderSettings, z } from '@llmo/core/provider';

export interface DashboardCollectorOptions {
  /** The router to watch: its events (`router.on`) and its metrics, health and circuits (`getMetrics`). */
  router: BaseRouter;
  /** How far back the charts and the per-provider totals go. Default 60 (minutes). */
  historyMinutes?: number;
  /** Width of one chart point. Default 10 (seconds): 360 points for an hour. */
  bucketSeconds?: number;
  /** Requests kept with their attempt chains (finished and in flight). Default 50. */
  recentRequests?: number;
  /** Requests in flight tracked at once; past it the oldest is forgotten. Default 1000. */
  maxInFlight?: number;
  /** Providers with series at once (a bound against endless renames). Default 64. */
  maxProviders?: number;
  /** How often subscribers (the SSE streams) get a new snapshot when something changed. Default 1000 (ms). */
  intervalMs?: number;
  /** The clock, in ms since the epoch. Default `Date.now`; tests move it to age buckets out. */
  now?: () => number;
}

const positiveInt = (max: number) => z.optional(z.number().check(z.int(), z.gte(1), z.lte(max)));

const routerSchema = z.custom<BaseRouter>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as BaseRouter).on === 'function' &&
    typeof (value as BaseRouter).getMetrics === 'function',
  { message: 'must be an llmo Router (new Router(…) from @llmo/core)' },
);

/** The collector's options but `router`, which `createDashboard` also accepts. */
export const collectorOptionsShape = {
  historyMinutes: positiveInt(24 * 60),
  bucketSeconds: positiveInt(3600),
  recentRequests: positiveInt(1000),
  maxInFlight: positiveInt(100_000),
  maxProviders: positiveInt(1000),
  intervalMs: z.optional(z.number().check(z.int(), z.gte(50), z.lte(60_000))),
  now: z.optional(
    z.custom<() => number>((value) => typeof value === 'function', { message: 'must be a function' }),
  ),
};

export const routerOption = { router: routerSchema };

const schema = z.strictObject({ ...routerOption, ...collectorOptionsShape });

export type ResolvedCollectorOptions = Required<DashboardCollectorOptions>;

/** Checks the options (unknown keys rejected with a suggestion) and fills in the defaults. */
export function resolveCollectorOptions(
  options: DashboardCollectorOptions,
  label = 'DashboardCollector',
): ResolvedCollectorOptions {
  validateProviderSettings(options, label, schema);
  const resolved = {
    historyMinutes: 60,
    bucketSeconds: 10,
    recentRequests: 50,
    maxInFlight: 1000,
    maxProviders: 64,
    intervalMs: 1000,
    now: Date.now,
    ...stripUndefined(options),
  };
  // Bounds the work of one snapshot and its size on the wire (points × providers × series).
  if ((resolved.historyMinutes * 60) / resolved.bucketSeconds > 2000) {
    throw new LlmoError({
      name: 'InvalidSettingsError',
      message: `${label}: invalid settings:\n  - historyMinutes ${resolved.historyMinutes} at bucketSeconds ${resolved.bucketSeconds} makes more than 2000 points per chart; raise bucketSeconds or lower historyMinutes.`,
    });
  }
  return resolved;
}

function stripUndefined<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as T;
}
