import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export default defineConfig({
  // One entry per public subpath. transport-node is only reached through the `node` export condition,
  // so edge bundles resolve transport-fetch and never see undici.
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
  define: { __PACKAGE_VERSION__: JSON.stringify(version) },
});
