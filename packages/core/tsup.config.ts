import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The split build, for every runtime but Node (edge and browser bundlers tree-shake it per entry): one
    // entry per public subpath. Node's transport (transport-node.ts) is only in the Node build below, so edge
    // bundles never see undici.
    entry: ['src/index.ts', 'src/provider.ts', 'src/transport-fetch.ts', 'src/node.ts', 'src/zod.ts'],
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
    treeshake: true,
  },
  {
    // Node's build, two modules and their shared chunk (see src/node-provider-entry.ts), plus one generated
    // facade per provider-side subpath (scripts/write-node-facades.mjs); package.json points the subpaths'
    // `node` condition there. No declarations: types come from the split build above.
    entry: { index: 'src/index.ts', 'provider-side': 'src/node-provider-entry.ts' },
    outDir: 'dist/node',
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    external: ['undici'],
    noExternal: ['zod'],
    sourcemap: true,
    // The maps point at src/, which the package ships: no second copy of every source inside them.
    esbuildOptions(options) {
      options.sourcesContent = false;
    },
    treeshake: true,
  },
]);
