import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'es2022',
  // Node only: the fake servers use node:http and the edge runner uses worker_threads and esbuild.
  platform: 'node',
  external: ['@llmo/core', 'esbuild', 'vitest'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
});
