import { defineConfig } from 'tsup';

export default defineConfig({
  // `index` is the web-standard app (mountable in an edge runtime); `node` and `cli` are the Node server.
  entry: ['src/index.ts', 'src/node.ts', 'src/cli.ts'],
  format: ['esm'],
  target: 'es2022',
  platform: 'node',
  external: [
    /^@llmo\//,
    /^@hono\//,
    'hono',
    /^hono\//,
    'pino',
    'prom-client',
    /^rate-limiter-flexible/,
    'zod',
  ],
  dts: { entry: ['src/index.ts', 'src/node.ts'], compilerOptions: { types: ['node'] } },
  sourcemap: true,
  clean: true,
  treeshake: true,
});
