#!/usr/bin/env node
// @ts-check
// llmo-faiss-setup: makes faiss-node loadable for @llmo/retrieval where its own install script cannot (it
// downloads from GitHub). See the package README, "Installing outside this repository".
import {
  APT_PACKAGES,
  checkPrerequisites,
  explainMissing,
  findFaissNode,
  probeBinding,
  setupFaiss,
} from '../setup/faiss-setup.mjs';

const usage = `Usage: llmo-faiss-setup [--source] [--no-prebuilt] [--check]

Makes the faiss-node binding that @llmo/retrieval uses loadable:
  1. a binding that already loads is kept;
  2. otherwise faiss-node's prebuilt binary is downloaded from GitHub, if reachable (up to 60 s);
  3. otherwise faiss-node is compiled against the system's libfaiss, with the llmo patch (leak fix,
     typed-array search, BLAS threshold). Needs, on Debian/Ubuntu:
       apt-get install -y ${APT_PACKAGES.join(' ')}
     plus Node's headers (included with Node from nodejs.org, NodeSource or nvm).

Options:
  --source       build the patched binding from source now, without trying the download, even if a stock
                 binding already loads
  --no-prebuilt  do not try the download; build from source when no binding loads
  --check        only report: does the binding load, and what would a source build be missing
  -h, --help     this text

Environment: CXX (compiler, default g++), CXXFLAGS, LDFLAGS, CPATH / LIBRARY_PATH (non-default locations).
Exit code 0 when the binding loads at the end, 1 otherwise.`;

const args = new Set(process.argv.slice(2));
const known = ['--source', '--no-prebuilt', '--check', '-h', '--help'];
const unknown = [...args].filter((arg) => !known.includes(arg));
if (args.has('-h') || args.has('--help') || unknown.length > 0) {
  if (unknown.length > 0) process.stderr.write(`llmo-faiss-setup: unknown option ${unknown.join(' ')}\n\n`);
  process.stdout.write(`${usage}\n`);
  process.exit(unknown.length > 0 ? 2 : 0);
}

const log = (/** @type {string} */ message) => process.stdout.write(`[llmo-faiss-setup] ${message}\n`);

if (args.has('--check')) {
  const faissDir = findFaissNode();
  if (!faissDir) {
    log('faiss-node is not installed next to @llmo/retrieval');
    process.exit(1);
  }
  const probe = probeBinding(faissDir);
  log(
    probe.ok
      ? `binding loads (${probe.patched ? 'patched build' : 'stock'}) [${faissDir}]`
      : `binding does not load: ${probe.error} [${faissDir}]`,
  );
  const { missing } = checkPrerequisites(faissDir);
  if (missing.length === 0) log('a source build has everything it needs');
  else explainMissing(missing, log);
  process.exit(probe.ok ? 0 : 1);
}

const source = args.has('--source');
const result = setupFaiss({ log, prebuilt: !source && !args.has('--no-prebuilt'), rebuild: source });
process.exit(result.ok ? 0 : 1);
