import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  external: ['@llmo/core', /^@ai-sdk\//],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
});
