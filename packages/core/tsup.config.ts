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
    'src/zod.ts',
  ],
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  external: ['undici'],
  // zod is bundled (tree-shaken): one file to load instead of zod's many modules; providers use it through
  // `import * as z from '@llmo/core/zod'`. The package keeps zod as a dependency for its type declarations.
  noExternal: ['zod'],
  // Node's types only for the declaration build: transport/node-fetch.ts (Node-only, behind the `node` condition
  // and `@llmo/core/node`) imports node:module. tsconfig.json keeps `types: []`, so edge code still cannot use them.
  dts: { compilerOptions: { types: ['node'] } },
  sourcemap: true,
  clean: true,
  treeshake: true,
});
