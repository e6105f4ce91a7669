import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import {
  type CreateRouterFromConfigOptions,
  type LlmoConfig,
  parseConfig,
  type ResolvedGatewayConfig,
  resolveGatewayConfig,
} from '@llmo/config';
import { createRouterFromConfig, loadConfig } from '@llmo/config/node';
import type { Router } from '@llmo/core';
import { registerRouterMetrics } from '@llmo/prometheus';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { createGateway, type Gateway } from '../create-gateway.js';
import { GatewayHttpError } from '../gateway-http-error.js';
import { createGatewayLogger } from './create-logger.js';
import type { DailyFileStream } from './daily-file-stream.js';
import { DEFAULT_CONFIG_YAML } from './default-config.js';
import { type RedisLimiterStore, redisLimiterStore } from './redis-limiter-store.js';

export interface StartGatewayOptions {
  /** The YAML file (with its `LLMO_ENV` overlay). Unset: the built-in mock configuration. */
  configPath?: string;
  /** Overrides `gateway.port` (0 picks a free one). */
  port?: number;
  /** Overrides `gateway.host`. */
  host?: string;
  /** Where `${VAR}` are read from. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Install SIGTERM/SIGINT (graceful shutdown, then exit) and SIGHUP (reload) handlers. Default false. */
  handleSignals?: boolean;
  /** Where stdout log lines go (tests capture them). Default `process.stdout`. */
  stdout?: NodeJS.WritableStream;
  /** The log file's clock. */
  now?: () => Date;
  /** Laid over `gateway.logs` (e.g. `{ file: false }` for a gateway started by a test or an embedding program). */
  logs?: Partial<ResolvedGatewayConfig['logs']>;
  /** Given to `createRouterFromConfig` (e.g. `fetch`), on start and on every reload. */
  routerOptions?: CreateRouterFromConfigOptions;
}

/** A gateway listening on a socket. */
export interface RunningGateway {
  url: string;
  port: number;
  gateway: Gateway;
  router: Router;
  logger: Logger;
  /** Re-reads the configuration file: providers (metrics kept), keys, limits, CORS. Requests in flight go on. */
  reload(): Promise<void>;
  /**
   * Stops accepting, lets requests in flight finish (up to `gateway.limits.shutdownTimeoutMs`), then closes the
   * router, which delivers the usage records still queued. Safe to call twice.
   */
  shutdown(): Promise<{ drained: boolean }>;
}

async function readConfig(options: StartGatewayOptions): Promise<LlmoConfig> {
  const env = options.env ?? process.env;
  if (options.configPath === undefined) return parseConfig(DEFAULT_CONFIG_YAML, { file: '(built-in)', env });
  return loadConfig(options.configPath, { env });
}

/**
 * Starts the gateway from a configuration file: the router from `providers:`, the app from `gateway:`, pino
 * to stdout and a daily-rolled `logs/app.log`, Prometheus metrics at `/metrics`, and (with `handleSignals`)
 * graceful shutdown on SIGTERM and reload on SIGHUP.
 *
 * @example
 * const running = await startGateway({ configPath: 'llmo.yaml', port: 8000 });
 */
export async function startGateway(options: StartGatewayOptions = {}): Promise<RunningGateway> {
  // Signal handlers first, before anything is awaited: a SIGHUP during start-up (a config-management tool
  // reloading every service at once) would otherwise kill the process (its default action). Signals that
  // arrive before the gateway is ready are queued and acted on once it is.
  const early = { reload: false, stop: false };
  let onReload = () => {
    early.reload = true;
  };
  let onStop = () => {
    early.stop = true;
  };
  const hup = () => onReload();
  const term = () => onStop();
  const removeSignals = () => {
    process.off('SIGHUP', hup);
    process.off('SIGTERM', term);
    process.off('SIGINT', term);
  };
  if (options.handleSignals) {
    process.on('SIGHUP', hup);
    process.on('SIGTERM', term);
    process.on('SIGINT', term);
  }
  try {
    return await start(
      options,
      (reload, stop) => {
        onReload = reload;
        onStop = stop;
        if (early.stop) stop();
        else if (early.reload) reload();
      },
      removeSignals,
    );
  } catch (error) {
    removeSignals();
    throw error;
  }
}

async function start(
  options: StartGatewayOptions,
  ready: (reload: () => void, stop: () => void) => void,
  removeSignals: () => void,
): Promise<RunningGateway> {
  const config = await readConfig(options);
  const settings = resolveGatewayConfig(config.gateway);
  const { logger, file } = createGatewayLogger({
    logs: { ...settings.logs, ...options.logs },
    stdout: options.stdout,
    now: options.now,
  });
  const routerOptions = {
    ...options.routerOptions,
    router: { onWarning: false as const, ...options.routerOptions?.router },
  };
  const router = await createRouterFromConfig(config, routerOptions);
  const registry = new Registry();
  registerRouterMetrics(router, { registry });
  // Read once at start: a reload keeps the connection (changing gateway.redis needs a restart).
  const shared: RedisLimiterStore | undefined = settings.redis
    ? redisLimiterStore(settings.redis, {
        onStateChange: (state, error) => {
          if (state === 'down')
            logger.warn(
              { event: 'redis_down', error_code: (error as { code?: string } | undefined)?.code },
              'Redis unreachable: rate limits are counted per process until it is back',
            );
          else logger.info({ event: 'redis_up' }, 'Redis reachable again: rate limits shared');
        },
      })
    : undefined;
  if (shared && !(await shared.ready)) {
    logger.warn(
      { event: 'redis_down' },
      'Redis unreachable at start: rate limits are counted per process until it is reachable',
    );
  }
  const gateway = createGateway({
    router,
    config,
    logger,
    metrics: { contentType: registry.contentType, metrics: () => registry.metrics() },
    limiterStore: shared?.store,
  });
  await gateway.ready;
  if (settings.keys.length === 0) {
    logger.warn({ event: 'gateway_open' }, 'no gateway.keys configured: every client is allowed');
  }

  let closing = false;
  const server = createAdaptorServer({
    // `env` ({ incoming, outgoing }) goes on: the dashboard drops a live-stream client that stopped reading by it.
    fetch: (request: Request, env: unknown) => {
      if (closing) {
        // A keep-alive connection that sends a request after shutdown began: refuse it and close the connection.
        return new GatewayHttpError({
          status: 503,
          message: 'The gateway is shutting down.',
          type: 'api_error',
          code: 'shutting_down',
          kind: 'shutdown',
          retryAfterSeconds: 1,
        }).toResponse({ connection: 'close' });
      }
      return gateway.fetch(request, env);
    },
  }) as Server;
  // Longer than the clients' idle keep-alive (undici: 4 s; load balancers: 60 s), so a client never reuses a
  // connection the gateway is closing at that moment (an ECONNRESET on a request the gateway never saw).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const host = options.host ?? settings.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? settings.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info(
    { event: 'gateway_started', url, providers: router.getProviders().map((p) => p.name) },
    'listening',
  );

  let reloading: Promise<void> = Promise.resolve();
  const reload = () => {
    // One reload at a time, in order: two SIGHUPs in a row apply the file twice, never interleaved.
    reloading = reloading.then(async () => {
      try {
        const next = await readConfig(options);
        const fresh = await createRouterFromConfig(next, routerOptions);
        // The new provider objects join the running router; metrics of names that stay are kept, and requests
        // in flight finish on the providers they started with.
        router.updateProviders(fresh.getProviders(), { preserveMetrics: true });
        await fresh.close({ timeoutMs: 0 });
        await gateway.updateConfig(next);
        logger.info(
          { event: 'config_reloaded', providers: router.getProviders().map((p) => p.name) },
          'configuration reloaded',
        );
      } catch (error) {
        // ConfigError messages name paths and lines, never values.
        logger.error(
          { event: 'config_reload_failed', error: (error as Error).message },
          'configuration not reloaded; the previous one stays active',
        );
      }
    });
    return reloading;
  };

  let shuttingDown: Promise<{ drained: boolean }> | undefined;
  const shutdown = () => {
    shuttingDown ??= (async () => {
      closing = true;
      const timeoutMs = settings.limits.shutdownTimeoutMs;
      const deadline = Date.now() + timeoutMs;
      logger.info({ event: 'gateway_stopping', in_flight: gateway.inFlight }, 'shutting down');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // The dashboard's live streams would hold the server open until the end; they end now (a browser then
      // finds the gateway gone), API requests in flight go on.
      gateway.close();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const finished = await Promise.race([gateway.idle().then(() => true), timedOut]);
      clearTimeout(timer);
      if (!finished) {
        // The grace period is over: abort what is still running, so each request's upstream call is cancelled
        // (the router then emits its usage record), a stream gets a final `shutting_down` event and every
        // request writes its log line. Closing the connections alone would lose all three.
        const aborted = gateway.abortAll('The gateway is shutting down.');
        logger.warn({ event: 'gateway_abort_in_flight', aborted }, 'aborting requests still in flight');
        await settle(gateway.idle(), ABORT_SETTLE_MS);
      }
      // A floor: the usage records of the requests just aborted are queued now and need a moment to reach
      // their sinks even when the grace period is spent.
      const report = await router.close({
        timeoutMs: Math.max(USAGE_FLUSH_FLOOR_MS, deadline - Date.now()),
      });
      server.closeAllConnections();
      await closed;
      const drained = finished && report.drained;
      logger.info(
        {
          event: 'gateway_stopped',
          drained,
          usage_delivered: report.usage.delivered,
          usage_pending: report.usage.pending,
        },
        'stopped',
      );
      await shared?.close();
      await flush(logger, file);
      removeSignals();
      return { drained };
    })();
    return shuttingDown;
  };

  if (options.handleSignals) {
    let stopping = false;
    ready(
      () => void reload(),
      () => {
        // A second SIGTERM/SIGINT while draining changes nothing: the shutdown already bounds its wait.
        if (stopping) return;
        stopping = true;
        void shutdown().then(({ drained }) => process.exit(drained ? 0 : 1));
      },
    );
  }

  return { url, port, gateway, router, logger, reload, shutdown };
}

/** How long aborted requests get to write their last event and log line (bounded: a stuck one is dropped). */
const ABORT_SETTLE_MS = 1_000;
/** The least time the router gets to deliver queued usage records at shutdown. */
const USAGE_FLUSH_FLOOR_MS = 1_000;

/** Waits for `promise`, at most `ms`. */
async function settle(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

async function flush(logger: Logger, file: DailyFileStream | undefined): Promise<void> {
  await new Promise<void>((resolve) => logger.flush(() => resolve()));
  if (file) await new Promise<void>((resolve) => file.end(() => resolve()));
}
