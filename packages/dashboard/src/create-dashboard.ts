import { validateProviderSettings, z } from '@llmo/core/provider';
import { type Context, Hono } from 'hono';
import type { DashboardAuthorizer } from './authorize-key.js';
import { collectorOptionsShape, type DashboardCollectorOptions, routerOption } from './collector-options.js';
import { DashboardCollector } from './dashboard-collector.js';
import { renderDashboardPage } from './dashboard-page.js';
import { type NodeConnection, openSnapshotEventStream } from './snapshot-event-stream.js';

export interface DashboardOptions extends Partial<DashboardCollectorOptions> {
  /**
   * Decides whether a request may see the dashboard; every route (page, snapshot, stream) asks it and answers
   * 401 when it says no. An open stream asks again every `heartbeatMs` and ends when it says no. `authorizeKey(check)` builds one from a key check. Without it the dashboard is open to
   * whoever reaches it: mount it behind your own auth then.
   */
  authorize?: DashboardAuthorizer;
  /** An existing collector to serve (several dashboards, or your own use of it). Default: one made for `router`. */
  collector?: DashboardCollector;
  /** The page's title. Default "llmo dashboard". */
  title?: string;
  /**
   * Longest quiet time on a stream before a `: ping` comment keeps proxies from closing it; also how long a
   * write may wait for a client that takes nothing before that client is dropped. Default 15 000 ms.
   */
  heartbeatMs?: number;
  /**
   * How long one SSE connection lives before the server ends it and the page reconnects (at once, with the
   * next snapshot): proxies and load balancers then never hold a connection for days. Default 300 000 ms.
   */
  maxStreamMs?: number;
  /** SSE streams open at once; more get 503 and the page polls `/snapshot` instead. Default 100. */
  maxStreams?: number;
}

/** The Hono app `createDashboard` returns, with the collector it serves and a `close()`. */
export type Dashboard = Hono & {
  readonly collector: DashboardCollector;
  /** Ends every open stream; closes the collector when the dashboard made it. Idempotent. */
  close(): void;
};

const schema = z.strictObject({
  router: z.optional(routerOption.router),
  ...collectorOptionsShape,
  authorize: z.optional(z.custom((value) => typeof value === 'function', { message: 'must be a function' })),
  collector: z.optional(
    z.custom((value) => value instanceof DashboardCollector, {
      message: 'must be a DashboardCollector (new DashboardCollector({ router }))',
    }),
  ),
  title: z.optional(z.string().check(z.minLength(1))),
  heartbeatMs: z.optional(z.number().check(z.int(), z.gte(1000), z.lte(600_000))),
  // Capped at a day: past 2^31-1 ms setTimeout fires at once (every stream would end as it opens), and no proxy
  // keeps a connection anywhere near that long.
  maxStreamMs: z.optional(
    z.number().check(
      z.int(),
      z.gte(1000),
      z.lte(86_400_000, {
        message: 'must be at most 86400000 (a day); streams reconnect, so keep it short',
      }),
    ),
  ),
  maxStreams: z.optional(z.number().check(z.int(), z.gte(0), z.lte(100_000))),
});

/**
 * A Hono app serving the live dashboard of a router. Mount it where you like:
 * `app.route('/dashboard', createDashboard({ router, authorize }))`. Routes (relative to the mount point):
 *
 * - `GET /`: the page (HTML with the chart library and script inline; no build step, no CDN).
 * - `GET /events`: Server-Sent Events: a `snapshot` event when something changed (at most once per
 *   `intervalMs`, default 1 s), a `: ping` comment when quiet, ended after `maxStreamMs` (the page reconnects);
 *   a client that stops reading is dropped. 503 past `maxStreams` or once closed; `HEAD` opens no stream.
 * - `GET /snapshot`: the same snapshot as JSON, for polling clients.
 *
 * Web-standard only (runs on Node, Bun, Deno and edge runtimes). On Node, pass `@hono/node-server`'s `env` on
 * to `app.fetch` when you wrap it: a stalled stream client's connection is dropped through it.
 *
 * @example
 * const app = new Hono();
 * app.route('/dashboard', createDashboard({ router, authorize: authorizeKey((key) => keys.has(key)) }));
 */
export function createDashboard(options: DashboardOptions): Dashboard {
  validateProviderSettings(options, 'createDashboard', schema);
  const {
    authorize,
    collector: given,
    title = 'llmo dashboard',
    heartbeatMs = 15_000,
    maxStreamMs = 300_000,
    maxStreams = 100,
    ...rest
  } = options;
  const collectorOptions = rest as DashboardCollectorOptions;
  if (given && Object.keys(collectorOptions).length > 0) {
    throw new TypeError(
      `createDashboard: pass either collector or the collector's options (${Object.keys(collectorOptions).join(', ')}), not both: set them on the collector.`,
    );
  }
  if (!given && !collectorOptions.router) {
    throw new TypeError('createDashboard: pass { router } (the Router to watch) or { collector }.');
  }
  const collector = given ?? new DashboardCollector(collectorOptions);
  const streams = new Set<() => void>();
  const app = new Hono();

  app.use('*', async (c, next) => {
    if (authorize && !(await authorize(c.req.raw))) {
      return c.text('Unauthorized: this dashboard needs a key.', 401, {
        'WWW-Authenticate': 'Basic realm="llmo dashboard", charset="UTF-8"',
        'Cache-Control': 'no-store',
      });
    }
    await next();
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
  });

  app.get('/snapshot', (c) => c.body(collector.snapshotJson(), 200, { 'Content-Type': 'application/json' }));

  app.get('/events', (c) => {
    if (!collector.listening) {
      return c.text('This dashboard is closed.', 503, { 'Retry-After': '5' });
    }
    if (streams.size >= maxStreams) {
      return c.text('Too many dashboard streams open; poll /snapshot instead.', 503, { 'Retry-After': '5' });
    }
    const headers = {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      // Chunked from the first byte: @hono/node-server otherwise waits to guess a Content-Length.
      'Transfer-Encoding': 'chunked',
    };
    // Hono answers HEAD with the GET route and drops the body unread: a stream opened for it would hold a
    // `maxStreams` slot (and a subscriber) until `maxStreamMs`.
    if (c.req.method === 'HEAD') return c.body(null, 200, headers);
    // Counted until its connection is really over (ended, dropped or gone), not merely asked to end.
    let over = false;
    const stop = () => events.end();
    const events = openSnapshotEventStream({
      collector,
      heartbeatMs,
      maxStreamMs,
      connection: nodeConnection(c.env),
      stillAuthorized: authorize && (() => authorize(c.req.raw)),
      onEnd: () => {
        over = true;
        streams.delete(stop);
      },
    });
    if (!over) streams.add(stop);
    return c.body(events.body, 200, headers);
  });

  const page = (c: Context) => {
    const nonce = createNonce();
    c.header(
      'Content-Security-Policy',
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(renderDashboardPage({ title, nonce }));
  };

  // The page at the mount point with and without a trailing slash (`/dashboard` and `/dashboard/`): Hono's
  // strict routing tells them apart, and a user types either. The page finds its endpoints from its own URL.
  app.get('/', page);
  app.get('/:trailingSlash{/?}', page);

  let closed = false;
  return Object.assign(app, {
    collector,
    close() {
      if (closed) return;
      closed = true;
      for (const end of [...streams]) end();
      if (!given) collector.close();
    },
  }) as Dashboard;
}

function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Node's response when `@hono/node-server` serves the app (`c.env.outgoing`; a host app must pass `env` on
 * when it wraps `app.fetch`), so a stalled client's connection can be dropped. Undefined elsewhere.
 */
function nodeConnection(env: unknown): NodeConnection | undefined {
  const outgoing = (env as { outgoing?: unknown } | undefined)?.outgoing;
  return typeof outgoing === 'object' &&
    outgoing !== null &&
    typeof (outgoing as NodeConnection).destroy === 'function'
    ? (outgoing as NodeConnection)
    : undefined;
}
