import { defineConfig } from 'tsup';

export default defineConfig({
  // `node` is the Node-only entry (custom CA / insecure TLS for GigaChat); the main entry stays edge-safe.
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  external: ['@llmo/core', '@llmo/provider-vertex'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
});
