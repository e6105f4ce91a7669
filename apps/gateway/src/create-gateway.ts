import { OpenAPIHono } from '@hono/zod-openapi';
import type { LlmoConfig } from '@llmo/config';
import type { BaseRouter } from '@llmo/core';
import { authorizeKey, createDashboard } from '@llmo/dashboard';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { type ApiKeyEntry, presentedKey } from './api-keys.js';
import { docsPage } from './docs-page.js';
import type { GatewayEnv } from './gateway-env.js';
import { GatewayHttpError } from './gateway-http-error.js';
import { buildSettings, type GatewaySettings } from './gateway-settings.js';
import { GatewayStats, type GatewayStatsSnapshot } from './gateway-stats.js';
import type { LimiterStore } from './key-limits.js';
import { KeyLimits } from './key-limits.js';
import { chatCompletionRequestSchema } from './openai-schemas.js';
import type { RequestLogger } from './request-logger.js';
import { RequestScope, type ScopeDeps } from './request-scope.js';
import { registerOpenAIRoutes } from './routes/openai-routes.js';
import { type MetricsSource, registerOpsRoutes } from './routes/ops-routes.js';
import { registerSeedRoutes } from './routes/seed-routes.js';
import { chatRequestSchema, parallelRequestSchema } from './seed-schemas.js';
import { toHttpError } from './to-http-error.js';
import { validationError } from './validation-error.js';

export interface GatewayOptions {
  /** The router every request goes through (`createRouterFromConfig(config)`). */
  router: BaseRouter;
  /** The parsed configuration: its `gateway:` section (keys, limits, CORS, default message) and `defaults:`. */
  config?: LlmoConfig;
  /** One line per request (pino in the Node entry). Default: none. */
  logger?: RequestLogger;
  /** Served at `/metrics` (the Node entry passes a prom-client registry fed by `@llmo/prometheus`). */
  metrics?: MetricsSource;
  /** Clock for latencies, in ms. Default `performance.now`. */
  now?: () => number;
  /**
   * The live dashboard at `/dashboard` (`@llmo/dashboard`), behind the same keys as the API (a browser logs in
   * with HTTP Basic, the key as password). Default on; `false` leaves it out.
   */
  dashboard?: boolean;
  /**
   * Where the per-key rate limit windows are counted. Default: this process's memory. The Node entry passes a
   * Redis store when `gateway.redis` is set, so every gateway process shares one window per key.
   */
  limiterStore?: LimiterStore;
}

/** The gateway: a Hono app (web standards only) plus the handles the Node entry drives. */
export interface Gateway {
  app: OpenAPIHono<GatewayEnv>;
  /**
   * `app.fetch`: mount it in any runtime that speaks `Request` → `Response`. Pass the server's `env` on (what
   * `@hono/node-server` gives: `{ incoming, outgoing }`): the dashboard uses it to drop a live-stream client that
   * stopped reading.
   */
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>;
  router: BaseRouter;
  /** Resolves once the keys are hashed and the settings are built (requests wait for it too). */
  ready: Promise<void>;
  /** Swaps keys, limits, CORS and the default message for new requests; requests in flight keep theirs. */
  updateConfig(config: LlmoConfig): Promise<void>;
  /** API requests (chat, models, stats) not finished yet, streams included. */
  readonly inFlight: number;
  /** Resolves when no API request is in flight (at once when none is). */
  idle(): Promise<void>;
  stats(): GatewayStatsSnapshot;
  /** Stops what the gateway runs beside requests (the dashboard's collector and its live streams). */
  close(): void;
  /**
   * Aborts every API request in flight (shutdown after its grace period): their upstream calls are cancelled,
   * so the router still emits their usage records, a stream ends with a final `shutting_down` error event, a
   * pending answer becomes a 503, and each request's log line is written. Returns how many were aborted.
   */
  abortAll(reason?: string): number;
}

/**
 * Paths behind the API keys; operations endpoints (/health, /metrics, /docs) are open. Hono's `/chat/*` also
 * matches `/chat` itself (listing both would run the middleware twice).
 */
const PROTECTED = ['/v1/*', '/chat/*', '/stats'];

const KNOWN_KEYS: Record<string, readonly string[]> = {
  '/v1/chat/completions': Object.keys(chatCompletionRequestSchema.shape),
  '/chat/parallel': Object.keys(parallelRequestSchema.shape),
};
const knownKeysFor = (path: string) => KNOWN_KEYS[path] ?? Object.keys(chatRequestSchema.shape);

function notAdmin(path: string): GatewayHttpError {
  return new GatewayHttpError({
    status: 403,
    message: `${path} shows every tenant's data: it needs a key with "admin: true" in gateway.keys.`,
    type: 'permission_error',
    code: 'admin_required',
    kind: 'auth',
  });
}

function tooLarge(maxBytes: number): GatewayHttpError {
  return new GatewayHttpError({
    status: 413,
    message: `The request body is larger than ${maxBytes} bytes (gateway.limits.maxBodyBytes).`,
    type: 'invalid_request_error',
    code: 'request_too_large',
    kind: 'validation',
  });
}

/**
 * The body size limit. A body with a Content-Length (what HTTP clients and the SDKs send) is judged by the
 * header alone; only a chunked body goes through hono's bodyLimit, which counts the bytes as they arrive.
 * (hono's middleware reads `request.body` first, which makes the Node adapter build a full WHATWG Request
 * on every call: a measurable share of the gateway's cost per request.)
 */
function sizeLimit(maxBytes: number): MiddlewareHandler {
  const streamed = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge(maxBytes);
    },
  });
  return (c, next) => {
    const headers = c.req.raw.headers;
    const length = headers.get('content-length');
    if (length !== null && !headers.has('transfer-encoding')) {
      if (Number(length) > maxBytes) throw tooLarge(maxBytes);
      return next();
    }
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return streamed(c, next);
  };
}

// Request ids: a random prefix per gateway and a counter, unique within the process and across restarts
// without a UUID's cost on every request.
// (Drawn on first use: edge runtimes refuse random values at import time.)
let idPrefix: string | undefined;
let idCounter = 0;
const newId = () => {
  idPrefix ??= crypto.randomUUID().slice(0, 8);
  return `${idPrefix}${(idCounter++).toString(36).padStart(6, '0')}`;
};

/** A client-supplied request id is echoed only when it is short and plain (it goes into log lines). */
const SAFE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Builds the gateway app around a router. Web-standard APIs only (Hono, Web Crypto, streams): the same app
 * runs under `@hono/node-server` (the Node entry and the CLI) or in an edge runtime (`export default
 * { fetch: gateway.fetch }`). Files, signals and process-wide logging live in `@llmo/gateway/node`.
 *
 * @example
 * const gateway = createGateway({ router: await createRouterFromConfig(config), config });
 * serve({ fetch: gateway.fetch, port: 8000 });
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { router } = options;
  const stats = new GatewayStats();
  const deps: ScopeDeps = {
    router,
    stats,
    logger: options.logger,
    now: options.now ?? (() => performance.now()),
  };

  let current: { settings: GatewaySettings; cors: MiddlewareHandler; bodyLimit: MiddlewareHandler };
  const install = (settings: GatewaySettings) => {
    const c = settings.gateway.cors;
    current = {
      settings,
      cors: c
        ? cors({
            origin: c.origins === '*' ? '*' : c.origins,
            ...(c.methods ? { allowMethods: c.methods } : {}),
            ...(c.headers ? { allowHeaders: c.headers } : {}),
            ...(c.credentials !== undefined ? { credentials: c.credentials } : {}),
            ...(c.maxAgeSeconds !== undefined ? { maxAge: c.maxAgeSeconds } : {}),
            exposeHeaders: [
              'x-request-id',
              'x-llmo-provider',
              'x-llmo-model',
              'x-llmo-attempts',
              'x-llmo-cost',
              'retry-after',
            ],
          })
        : (_c, next) => next(),
      bodyLimit: sizeLimit(settings.gateway.limits.maxBodyBytes),
    };
  };
  const limits = new KeyLimits(options.limiterStore);
  const ready = buildSettings(options.config, limits, options.logger).then(install);
  // Reloads one at a time, in call order, after the first settings: the last call's configuration is the one
  // that stays, even when an earlier build (or the first) finishes later.
  let settled: Promise<unknown> = ready;

  let inFlight = 0;
  const idleWaiters = new Set<() => void>();
  /** The abort handle of every request in flight (removed when its log line is written). */
  const aborts = new Map<RequestScope, AbortController>();
  const ended = () => {
    inFlight--;
    if (inFlight === 0) for (const wake of idleWaiters) wake();
    if (inFlight === 0) idleWaiters.clear();
  };

  const app = new OpenAPIHono<GatewayEnv>({
    defaultHook: (result, c) => {
      if (!result.success) throw validationError(result.error, knownKeysFor(c.req.path));
    },
  });

  app.use('*', async (c, next) => {
    await ready;
    return current.cors(c, next);
  });

  const gate: MiddlewareHandler<GatewayEnv> = async (c, next) => {
    const { settings } = current;
    const given = c.req.header('x-request-id');
    const id = given && SAFE_ID.test(given) ? given : newId();
    const abort = new AbortController();
    const signal = AbortSignal.any([c.req.raw.signal, abort.signal]);
    const scope = new RequestScope(deps, id, settings, undefined, signal, c.req.method, c.req.path);
    inFlight++;
    aborts.set(scope, abort);
    scope.onFinish = () => {
      aborts.delete(scope);
      ended();
    };
    c.set('scope', scope);
    const max = settings.gateway.limits.maxConcurrentRequests;
    if (max !== undefined && inFlight > max) {
      throw new GatewayHttpError({
        status: 503,
        message: `The gateway is at its limit of ${max} requests at once; retry shortly.`,
        type: 'api_error',
        code: 'overloaded',
        kind: 'overloaded',
        retryAfterSeconds: 1,
      });
    }
    if (!settings.keys.open) {
      const presented = presentedKey(c.req.raw.headers);
      const key = presented === undefined ? undefined : await settings.keys.find(presented);
      if (!key) {
        throw new GatewayHttpError({
          status: 401,
          message:
            presented === undefined
              ? 'No API key: send it as "Authorization: Bearer <key>".'
              : 'Incorrect API key provided.',
          type: 'authentication_error',
          code: 'invalid_api_key',
          kind: 'auth',
        });
      }
      scope.setKey(key);
      await settings.limits.admit(key);
    }
    return current.bodyLimit(c, next);
  };
  // Around every protected request (errors included: Hono answers them through onError inside `next`): its
  // log line, unless a stream writes it when it ends.
  const logLine: MiddlewareHandler<GatewayEnv> = async (c, next) => {
    await next();
    const scope = c.get('scope') as RequestScope | undefined;
    if (scope && !scope.deferred) scope.finish(c.res.status);
  };
  for (const path of PROTECTED) app.use(path, logLine, gate);
  // /stats shows every tenant's totals: with keys configured, only an admin key reads it.
  app.use('/stats', async (c, next) => {
    const scope = c.get('scope') as RequestScope | undefined;
    if (!scope?.settings.keys.open && !scope?.key?.admin) throw notAdmin('/stats');
    return next();
  });

  app.onError((error, c) => {
    let http: GatewayHttpError;
    if (error instanceof HTTPException && !(error instanceof GatewayHttpError)) {
      http = new GatewayHttpError({
        status: error.status,
        message: error.status === 400 ? `Invalid request: ${error.message}` : error.message,
        type: 'invalid_request_error',
        code: error.status === 400 ? 'invalid_json' : 'http_error',
        kind: 'validation',
      });
    } else {
      http = toHttpError(error);
    }
    const scope = c.get('scope') as RequestScope | undefined;
    // A request cut by the shutdown answers as such, not as a client cancellation.
    if (scope?.shutdown) http = scope.shutdown;
    if (scope) {
      scope.line.error_kind ??= http.kind;
      if (http.kind === 'internal') scope.line.error_name = error.name;
    }
    return http.toResponse(scope ? { 'x-request-id': scope.id } : {});
  });

  registerOpenAIRoutes(app);
  registerSeedRoutes(app);
  registerOpsRoutes(app, router, options.metrics);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'llmo gateway',
      version: '0.0.0',
      description:
        'An OpenAI-compatible API in front of every configured provider, and the chat endpoints of the seed service.',
    },
  });
  app.get('/docs', (c) => c.html(docsPage('/openapi.json')));

  // The dashboard shows every tenant's requests: only an admin key opens it (read at each request, so a reload
  // that changes the keys applies at once), and an open gateway leaves it open too.
  const adminKey = authorizeKey(async (key) => (await current.settings.keys.find(key))?.admin === true);
  const dashboard =
    options.dashboard === false
      ? undefined
      : createDashboard({
          router,
          authorize: async (request) => {
            await ready;
            return current.settings.keys.open || adminKey(request);
          },
        });
  if (dashboard) {
    // Before the dashboard's own check: a valid key that is not an admin gets a 403 (not the login prompt),
    // and an admin key's requests count against its rate limit like any other.
    app.use('/dashboard/*', async (c, next) => {
      await ready;
      const { settings } = current;
      if (settings.keys.open) return next();
      let key: ApiKeyEntry | undefined;
      // authorizeKey reads the key from Bearer or HTTP Basic (a browser); here it only hands the key over.
      await authorizeKey(async (presented) => {
        key = await settings.keys.find(presented);
        return true;
      })(c.req.raw);
      if (!key) return next(); // the dashboard answers 401 with its login prompt
      if (!key.admin) throw notAdmin('/dashboard');
      await settings.limits.admit(key);
      return next();
    });
    app.route('/dashboard', dashboard);
  }

  return {
    app,
    fetch: (request, env) => app.fetch(request, env),
    router,
    ready,
    updateConfig(config) {
      const next = settled
        .catch(() => {})
        .then(async () => install(await buildSettings(config, limits, options.logger)));
      settled = next;
      return next;
    },
    get inFlight() {
      return inFlight;
    },
    idle() {
      if (inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.add(resolve));
    },
    stats: () => stats.snapshot(router),
    close: () => dashboard?.close(),
    abortAll(reason = 'The gateway is shutting down.') {
      const error = new GatewayHttpError({
        status: 503,
        message: reason,
        type: 'api_error',
        code: 'shutting_down',
        kind: 'shutdown',
        retryAfterSeconds: 1,
      });
      const all = [...aborts];
      for (const [scope, abort] of all) {
        scope.shutdown = error;
        abort.abort(error);
      }
      return all.length;
    },
  };
}
