import { defineConfig } from 'tsup';

export default defineConfig({
  // `node` reads template and task files, `redis` is the Redis cache store, `prometheus` the per-task metrics
  // (prom-client); the main entry stays edge-safe.
  entry: ['src/index.ts', 'src/node.ts', 'src/redis.ts', 'src/prometheus.ts'],
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  // Dependencies stay imports, so an app's bundler dedupes them and splits gpt-tokenizer's lazy import().
  external: [
    /^@llmo\//,
    'prom-client',
    'yaml',
    '@huggingface/jinja',
    '@cfworker/json-schema',
    /^gpt-tokenizer/,
  ],
  // Node's types only for the declaration build of the Node entry; tsconfig.json keeps `types: []`.
  dts: { compilerOptions: { types: ['node'] } },
  sourcemap: true,
  clean: true,
  treeshake: true,
});
