import { defineConfig } from 'tsup';

export default defineConfig({
  // `node` is the Node-only entry (files, process.env, the JSONL cost log); the main entry stays edge-safe.
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  // Provider packages are loaded with import() by name at run time (see provider-packages.ts), never bundled.
  external: [/^@llmo\//, 'yaml'],
  // Node's types only for the declaration build of the Node entry; tsconfig.json keeps `types: []`.
  dts: { compilerOptions: { types: ['node'] } },
  sourcemap: true,
  clean: true,
  treeshake: true,
});
