// Makes faiss-node loadable for @llmo/retrieval in this workspace. Run by the root postinstall.
//
// 1. If a binding already loads, keep it (and say whether it carries our patch).
// 2. Else try faiss-node's own prebuilt download (bounded; it needs github.com).
// 3. Else build the patched source (patches/faiss-node@0.5.1.patch: leak fix, BLAS threshold, typed-array
//    search) against Debian's libfaiss, installing libfaiss-dev and libopenblas-dev first when they are
//    missing and we may (root, or passwordless sudo).
// Set LLMO_FAISS=source to skip the prebuilt download, LLMO_FAISS=skip to do nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptInstall } from './apt-install.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const log = (message) => console.log(`[setup-faiss] ${message}`);
const mode = process.env.LLMO_FAISS ?? 'auto';
if (mode === 'skip') process.exit(0);

const retrieval = join(root, 'packages/retrieval');
if (!existsSync(join(retrieval, 'node_modules/faiss-node'))) {
  log('faiss-node is not installed (packages/retrieval absent?); nothing to do');
  process.exit(0);
}
const faissDir = realpathSync(join(retrieval, 'node_modules/faiss-node'));
const binary = join(faissDir, 'build/Release/faiss-node.node');

/** Loads the binding in a child process (a failed dlopen must not poison this one). */
function probe() {
  const result = spawnSync(
    process.execPath,
    ['-e', `const f = require(${JSON.stringify(faissDir)}); process.stdout.write(String(f.llmoPatch ?? 0))`],
    { encoding: 'utf8', timeout: 30_000 },
  );
  return result.status === 0
    ? { ok: true, patched: result.stdout.trim() === '1' }
    : { ok: false, error: result.stderr.trim().split('\n').slice(-3).join(' ') };
}

const first = probe();
if (first.ok && (first.patched || mode !== 'source')) {
  log(
    first.patched
      ? 'faiss-node binding present (patched build)'
      : 'faiss-node binding present (stock prebuilt: the worker pool will contain its per-query leak)',
  );
  process.exit(0);
}

if (mode !== 'source') {
  log('no faiss-node binding; trying its prebuilt download (needs github.com)…');
  const prebuild = spawnSync('npx', ['--no-install', 'prebuild-install', '--runtime', 'napi'], {
    cwd: faissDir,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
  if (prebuild.status === 0 && probe().ok) {
    log('prebuilt binary installed (stock: no leak fix, no typed-array search; the pool compensates)');
    process.exit(0);
  }
  log('prebuilt download unavailable; building the patched binding against Debian libfaiss instead');
}

const haveHeaders = () =>
  existsSync('/usr/include/faiss/IndexFlat.h') && existsSync('/usr/include/x86_64-linux-gnu/cblas.h');
if (!haveHeaders() && !aptInstall(['libfaiss-dev', 'libopenblas-dev'], log)) {
  log('@llmo/retrieval will not load until then (then run pnpm install again).');
  process.exit(0);
}

const require = createRequire(join(faissDir, 'package.json'));
const addonApi = dirname(require.resolve('node-addon-api/package.json'));
const nodeHeaders = [
  join(dirname(process.execPath), '../include/node'),
  '/usr/include/node',
  process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include/node'),
].find((dir) => dir && existsSync(join(dir, 'node_api.h')));
if (!nodeHeaders) {
  log('Node headers (node_api.h) not found; install them (Debian: libnode-dev) or set npm_config_nodedir.');
  process.exit(1);
}
// Debian's faiss 1.7.3 names the id type faiss::Index::idx_t; faiss-node's source expects faiss::idx_t.
const shim = join(faissDir, 'build/idx-t-shim.h');
mkdirSync(dirname(binary), { recursive: true });
writeFileSync(shim, '#include <faiss/Index.h>\nnamespace faiss { using idx_t = Index::idx_t; }\n');
log(`compiling ${binary} (g++, -lfaiss -lopenblas, -fopenmp)…`);
const started = Date.now();
execFileSync(
  'g++',
  [
    '-shared',
    '-fPIC',
    '-O3',
    '-std=c++17',
    '-fopenmp',
    '-DNAPI_VERSION=8',
    '-include',
    shim,
    '-I',
    addonApi,
    '-I',
    nodeHeaders,
    join(faissDir, 'src/faiss.cc'),
    '-lfaiss',
    '-lopenblas',
    '-o',
    binary,
  ],
  { stdio: 'inherit' },
);
const built = probe();
if (!built.ok || !built.patched) {
  log(`the built binding does not load: ${built.error ?? 'not patched'}`);
  process.exit(1);
}
log(`built the patched faiss-node binding in ${((Date.now() - started) / 1000).toFixed(1)} s`);
