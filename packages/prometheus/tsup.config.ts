import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'es2022',
  platform: 'node',
  external: ['@llmo/core', 'prom-client'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
});
