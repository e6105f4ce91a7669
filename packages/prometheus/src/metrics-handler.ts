import type { IncomingMessage, ServerResponse } from 'node:http';
import { register as defaultRegistry, type Registry } from 'prom-client';

/**
 * A Node request handler that answers with the registry's metrics in the Prometheus text format
 * (`text/plain; version=0.0.4; charset=utf-8`). Mount it on your own server at the path you scrape.
 */
export function createMetricsHandler(registry: Registry = defaultRegistry) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Method Not Allowed\n');
      return;
    }
    try {
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      // A collect() that throws must not take the server down; Prometheus records the failed scrape.
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`metrics collection failed: ${(error as Error).message}\n`);
    }
  };
}
