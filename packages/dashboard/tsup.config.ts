import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

const require = createRequire(import.meta.url);

/**
 * `import text from './file?raw'` (Vite's convention, which vitest understands too): the file's contents as a
 * string. The page's script and the chart library are embedded this way at build time, so the published
 * package serves them without a filesystem (edge-safe) and without a CDN, and a user runs no build step.
 */
const raw: Plugin = {
  name: 'raw',
  setup(build) {
    build.onResolve({ filter: /\?raw$/ }, (args) => {
      const specifier = args.path.slice(0, -'?raw'.length);
      const path = specifier.startsWith('.')
        ? new URL(specifier, `file://${args.resolveDir}/`).pathname
        : require.resolve(specifier, { paths: [args.resolveDir] });
      // The `.raw` suffix keeps tsup's own CSS handling (which matches paths ending in .css) off these files.
      return { path: `${path}.raw`, namespace: 'raw' };
    });
    build.onLoad({ filter: /.*/, namespace: 'raw' }, async (args) => ({
      contents: await readFile(args.path.slice(0, -'.raw'.length), 'utf8'),
      loader: 'text',
    }));
  },
};

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  external: ['@llmo/core', /^hono(\/|$)/],
  esbuildPlugins: [raw],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
});
