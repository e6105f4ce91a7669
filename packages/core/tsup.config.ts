import { defineConfig } from 'tsup';

export default defineConfig({
  // One entry per public subpath. transport-node is only reached through the `node` export condition of
  // `@llmo/core/transport` (and node.ts through `@llmo/core/node`), so edge bundles never see undici.
  entry: [
    'src/index.ts',
    'src/provider.ts',
    'src/transport-fetch.ts',
    'src/transport-node.ts',
    'src/node.ts',
  ],
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  external: ['undici', 'zod'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
});
