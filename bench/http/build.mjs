// Bundles the benchmark (src/main.ts) and its server (src/server.ts) into results/build/ with esbuild, packages
// left external (they load from node_modules as in any app: the workspace packages' dist, the SDKs' builds).
// Why not run the TypeScript with tsx, as bench/chaos does: tsx turns on source maps for the whole process,
// which makes every `error.stack` slower; a benchmark of the hot path should not carry that.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.ts', 'src/server.ts'],
  absWorkingDir: new URL('.', import.meta.url).pathname,
  outdir: 'results/build',
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
