// Makes faiss-node loadable for @llmo/retrieval in this workspace. Run by the root postinstall.
//
// The work is @llmo/retrieval's own setup (packages/retrieval/setup/faiss-setup.mjs, what its
// `llmo-faiss-setup` bin runs for consumers); this script adds what only the repository does:
// 1. If a binding already loads, keep it (and say whether it carries our patch).
// 2. Else try faiss-node's own prebuilt download (bounded; it needs github.com).
// 3. Else build the patched source (packages/retrieval/setup/faiss-node@0.5.1.patch, applied by pnpm: leak fix, BLAS threshold,
//    typed-array search) against Debian's libfaiss, installing libfaiss-dev, libopenblas-dev (and g++) first
//    when they are missing and we may (root, or passwordless sudo).
// Set LLMO_FAISS=source to skip the prebuilt download (and replace a stock binding), LLMO_FAISS=skip to do nothing.
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setupFaiss } from '../packages/retrieval/setup/faiss-setup.mjs';
import { aptInstall } from './apt-install.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const log = (message) => console.log(`[setup-faiss] ${message}`);
const mode = process.env.LLMO_FAISS ?? 'auto';
if (mode === 'skip') process.exit(0);

const linked = join(root, 'packages/retrieval/node_modules/faiss-node');
if (!existsSync(linked)) {
  log('faiss-node is not installed (packages/retrieval absent?); nothing to do');
  process.exit(0);
}

const result = setupFaiss({
  faissDir: realpathSync(linked),
  log,
  prebuilt: mode !== 'source',
  rebuild: mode === 'source',
  installSystemPackages: (packages) => aptInstall(packages, log),
});
if (result.status === 'missing') {
  // Not fatal for the install: @llmo/retrieval says the same when it cannot load faiss-node.
  log('@llmo/retrieval will not load until then (then run pnpm install again).');
  process.exit(0);
}
process.exit(result.ok ? 0 : 1);
