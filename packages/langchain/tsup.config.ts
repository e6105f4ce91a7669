import { defineConfig } from 'tsup';

export default defineConfig({
  // `retrieval` is its own entry so the main one never imports @llmo/retrieval (Node only, optional peer).
  entry: ['src/index.ts', 'src/retrieval.ts'],
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  external: ['@llmo/core', '@llmo/retrieval', /^@langchain\/core/],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
});
