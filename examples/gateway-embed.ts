// The gateway inside your own Node program: a router from a configuration, the Hono app around it, served on
// a free port; one request through it with plain fetch, then a graceful stop.
//   pnpm --filter @llmo/examples run gateway-embed
import { serve } from '@hono/node-server';
import { createRouterFromConfig, parseConfig } from '@llmo/config';
import { createGateway } from '@llmo/gateway';

const config = parseConfig(
  `
providers:
  - { name: local, type: mock, model: mock-normal, latencyMs: 0 }
gateway:
  keys: [{ key: "\${GATEWAY_KEY}", tenant: demo, rpm: 60 }]
`,
  { env: { GATEWAY_KEY: 'sk-demo-key' } },
);
const router = await createRouterFromConfig(config, { router: { onWarning: false } });
const gateway = createGateway({ router, config });

const server = serve({ fetch: gateway.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise((resolve) => server.once('listening', resolve));
const { port } = server.address() as { port: number };

const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
  method: 'POST',
  headers: { authorization: 'Bearer sk-demo-key', 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'Hello!' }] }),
});
const completion = (await response.json()) as { choices: { message: { content: string } }[] };
console.log(response.status, response.headers.get('x-llmo-provider'), completion.choices[0]?.message.content);

server.close();
await router.close(); // waits for requests in flight and delivers the usage records
