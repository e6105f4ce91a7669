import { validateProviderSettings, z } from '@llmo/core/provider';
import { type Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { DashboardAuthorizer } from './authorize-key.js';
import { collectorOptionsShape, type DashboardCollectorOptions, routerOption } from './collector-options.js';
import { DashboardCollector } from './dashboard-collector.js';
import { renderDashboardPage } from './dashboard-page.js';

export interface DashboardOptions extends Partial<DashboardCollectorOptions> {
  /**
   * Decides whether a request may see the dashboard; every route (page, snapshot, stream) asks it and answers
   * 401 when it says no. `authorizeKey(check)` builds one from a key check. Without it the dashboard is open to
   * whoever reaches it: mount it behind your own auth then.
   */
  authorize?: DashboardAuthorizer;
  /** An existing collector to serve (several dashboards, or your own use of it). Default: one made for `router`. */
  collector?: DashboardCollector;
  /** The page's title. Default "llmo dashboard". */
  title?: string;
  /** Longest quiet time on a stream before a `: ping` comment keeps proxies from closing it. Default 15 000 ms. */
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
  maxStreamMs: z.optional(z.number().check(z.int(), z.gte(1000))),
  maxStreams: z.optional(z.number().check(z.int(), z.gte(0), z.lte(100_000))),
});

/**
 * A Hono app serving the live dashboard of a router. Mount it where you like:
 * `app.route('/dashboard', createDashboard({ router, authorize }))`. Routes (relative to the mount point):
 *
 * - `GET /`: the page (HTML with the chart library and script inline; no build step, no CDN).
 * - `GET /events`: Server-Sent Events: a `snapshot` event when something changed (at most once per
 *   `intervalMs`, default 1 s), a `: ping` comment when quiet, ended after `maxStreamMs` (the page reconnects).
 * - `GET /snapshot`: the same snapshot as JSON, for polling clients.
 *
 * Web-standard only (runs on Node, Bun, Deno and edge runtimes).
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

  app.get('/snapshot', (c) => c.json(collector.snapshot()));

  app.get('/events', (c) => {
    if (streams.size >= maxStreams) {
      return c.text('Too many dashboard streams open; poll /snapshot instead.', 503, { 'Retry-After': '5' });
    }
    return streamSSE(c, (stream) => {
      return new Promise<void>((resolve) => {
        let lastWrite = Date.now();
        let writing = false;
        let ended = false;
        const end = () => {
          if (ended) return;
          ended = true;
          unsubscribe();
          clearTimeout(lifetime);
          streams.delete(end);
          resolve(); // streamSSE closes the stream when this callback settles
        };
        // Latest wins: while a slow client has not taken the last write, newer snapshots replace it instead
        // of queueing, so a stalled reader costs one pending write, never a growing buffer.
        let pending: string | undefined;
        const write = (text: string) => {
          if (writing) {
            pending = text;
            return;
          }
          writing = true;
          lastWrite = Date.now();
          void stream.write(text).then(() => {
            writing = false;
            if (stream.aborted) return end();
            const next = pending;
            pending = undefined;
            if (next !== undefined && !ended) write(next);
          });
        };
        const unsubscribe = collector.subscribe({
          update(json) {
            if (json !== null) write(`event: snapshot\ndata: ${json}\n\n`);
            else if (Date.now() - lastWrite >= heartbeatMs) write(': ping\n\n');
          },
          close: end,
        });
        const lifetime = setTimeout(end, maxStreamMs);
        streams.add(end);
        stream.onAbort(end);
        // The first snapshot at once, with the reconnection delay the browser should use after a drop.
        write(`retry: 2000\nevent: snapshot\ndata: ${JSON.stringify(collector.snapshot())}\n\n`);
      });
    });
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
