import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LlmoError } from '@llmo/core';
import type { Registry } from 'prom-client';
import { createMetricsHandler } from './metrics-handler.js';

export interface MetricsServerOptions {
  /**
   * Default 9464, the port registered for Prometheus exporters of this kind (the OpenTelemetry exporter's);
   * never 9090, which is Prometheus's own. `0` picks a free port.
   */
  port?: number;
  /** Default `127.0.0.1`: metrics are not published beyond the machine unless you say so (`0.0.0.0`). */
  host?: string;
  /** Default `/metrics`. */
  path?: string;
  registry?: Registry;
}

export interface MetricsServer {
  /** e.g. `http://127.0.0.1:9464/metrics` */
  readonly url: string;
  readonly port: number;
}

export const DEFAULT_METRICS_PORT = 9464;

let current: { server: Server; info: MetricsServer } | undefined;
let starting = false;

/** Serves the registry's metrics on `GET {path}`. One server per process; starting a second is an error. */
export async function startMetricsServer(options: MetricsServerOptions = {}): Promise<MetricsServer> {
  if (current || starting) {
    throw new LlmoError({
      name: 'MetricsServerError',
      message: `the metrics server is already running${current ? ` at ${current.info.url}` : ''}; call stopMetricsServer() first, or mount createMetricsHandler() on your own server`,
    });
  }
  const port = options.port ?? DEFAULT_METRICS_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LlmoError({
      name: 'MetricsServerError',
      message: `port must be an integer 0..65535, got ${port}`,
    });
  }
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/metrics';
  const handler = createMetricsHandler(options.registry);
  const server = createServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Not Found: metrics are at ${path}\n`);
      return;
    }
    void handler(req, res);
  });
  starting = true;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new LlmoError({
      name: 'MetricsServerError',
      message:
        code === 'EADDRINUSE'
          ? `port ${port} on ${host} is already in use; pass another port (or 0 for any free one)`
          : `cannot listen on ${host}:${port}: ${(error as Error).message}`,
      cause: error,
    });
  } finally {
    starting = false;
  }
  const actual = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  current = { server, info: { url: `http://${shownHost}:${actual}${path}`, port: actual } };
  return current.info;
}

/** Stops the metrics server; does nothing when none is running. */
export async function stopMetricsServer(): Promise<void> {
  const running = current;
  if (!running) return;
  current = undefined;
  running.server.closeAllConnections();
  await new Promise<void>((resolve) => running.server.close(() => resolve()));
}
