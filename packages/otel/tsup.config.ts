import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  external: ['@llmo/core', '@opentelemetry/api'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
});
