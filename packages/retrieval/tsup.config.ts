import { defineConfig } from 'tsup';

export default defineConfig({
  // worker.ts is its own entry: the pool starts it with new URL('./worker.js', import.meta.url).
  entry: ['src/index.ts', 'src/worker.ts'],
  format: ['esm'],
  target: 'es2022',
  platform: 'node',
  external: ['faiss-node'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  treeshake: true,
});
