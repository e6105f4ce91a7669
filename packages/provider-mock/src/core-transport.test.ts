// Checks, as a consumer of @llmo/core would import it, that the `node` export condition of
// `@llmo/core/transport` selects the undici pool on Node (the edge check proves the browser side).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callApi } from '@llmo/core/provider';
import { getDefaultFetch, transportName } from '@llmo/core/transport';
import { describe, expect, it } from 'vitest';

describe('@llmo/core/transport on Node', () => {
  it('resolves to the undici keep-alive transport and reuses one connection', async () => {
    expect(transportName).toBe('undici');
    const sockets = new Set<unknown>();
    const server = createServer((req, res) => {
      sockets.add(req.socket);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      for (let i = 0; i < 5; i++) {
        const response = await callApi({ provider: 'p', url, fetch: getDefaultFetch() });
        expect(await response.json()).toEqual({ ok: true });
        // Let undici mark the socket idle once the body has ended; otherwise the next request may open another.
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(sockets.size).toBe(1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
