// @ts-check
// Makes faiss-node loadable for @llmo/retrieval. Shared by the package's `llmo-faiss-setup` bin (for consumers)
// and the llmo repository's postinstall (scripts/setup-faiss.mjs), so it is plain JavaScript that runs before
// anything is built, with nothing but Node's own modules.
//
// 1. A binding that loads is kept (unless a rebuild from source is asked for).
// 2. Optionally, faiss-node's own prebuilt download is tried (it needs github.com).
// 3. Otherwise faiss-node's C++ source is compiled against the system's libfaiss: patched at source level with
//    ./faiss-node@0.5.1.patch (leak fix, typed-array search, BLAS threshold, thread control) and a shim that lets
//    faiss 1.7.3 (Debian 12, Ubuntu 24.04) compile code written for 1.7.4. Missing system packages are named,
//    with the apt-get command where apt exists.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The faiss-node version the patch is written for. */
export const PATCHED_VERSION = '0.5.1';
/** The source patch, shipped with the package (the llmo repository applies the same file through pnpm). */
export const PATCH_FILE = fileURLToPath(new URL(`./faiss-node@${PATCHED_VERSION}.patch`, import.meta.url));
/** Debian/Ubuntu packages a source build needs (Node's headers come with Node itself from nodejs.org or NodeSource). */
export const APT_PACKAGES = ['libfaiss-dev', 'libopenblas-dev', 'g++'];

/**
 * @typedef {(message: string) => void} Log
 * @typedef {{ ok: true, patched: boolean } | { ok: false, error: string }} Probe
 * @typedef {{ what: string, apt?: string }} Missing
 * @typedef {{ cxx: string, addonApi?: string, nodeHeaders?: string, missing: Missing[] }} Prerequisites
 * @typedef {'present' | 'prebuilt' | 'built' | 'missing' | 'failed'} SetupStatus
 * @typedef {{ status: SetupStatus, ok: boolean, patched: boolean, faissDir?: string, missing?: Missing[], error?: string }} SetupResult
 */

/**
 * The directory of the faiss-node that @llmo/retrieval loads: resolved from this package, as its worker does.
 * @param {string | URL} [from]
 * @returns {string | undefined}
 */
export function findFaissNode(from = import.meta.url) {
  try {
    return dirname(createRequire(from).resolve('faiss-node/package.json'));
  } catch {
    return undefined;
  }
}

/**
 * Loads the binding in a child process (a failed dlopen, or a crash, must not take this one down).
 * @param {string} faissDir
 * @returns {Probe}
 */
export function probeBinding(faissDir) {
  const result = spawnSync(
    process.execPath,
    ['-e', `const f = require(${JSON.stringify(faissDir)}); process.stdout.write(String(f.llmoPatch ?? 0))`],
    { encoding: 'utf8', timeout: 60_000, env: { ...process.env, OMP_NUM_THREADS: '1' } },
  );
  if (result.status === 0) return { ok: true, patched: result.stdout.trim() === '1' };
  const lines = `${result.stderr ?? ''}${result.error ? ` ${result.error.message}` : ''}`.trim().split('\n');
  // The first line of Node's error is the interesting one ("Error: libfaiss.so: cannot open shared object…").
  const error = lines.find((line) => /Error/.test(line)) ?? lines.at(-1) ?? `exit code ${result.status}`;
  return { ok: false, error: error.trim() };
}

/**
 * Tries faiss-node's own prebuilt download (what its install script does first). Bounded: it needs github.com.
 * @param {string} faissDir
 * @param {Log} log
 * @returns {boolean} whether a binding loads afterwards
 */
export function tryPrebuilt(faissDir, log) {
  let bin;
  try {
    bin = createRequire(join(faissDir, 'package.json')).resolve('prebuild-install/bin.js');
  } catch {
    log('prebuild-install (a faiss-node dependency) is not installed; skipping the prebuilt download');
    return false;
  }
  log("trying faiss-node's prebuilt binary from GitHub (up to 60 s)…");
  const result = spawnSync(process.execPath, [bin, '--runtime', 'napi'], {
    cwd: faissDir,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, npm_config_loglevel: 'warn' },
  });
  if (result.status === 0 && probeBinding(faissDir).ok) return true;
  const reason =
    `${result.stderr ?? ''}`
      .trim()
      .split('\n')
      .at(-1)
      ?.replace(/^prebuild-install (warn|ERR!) /, '') ||
    result.error?.message ||
    `exit code ${result.status}`;
  log(`no prebuilt binary (${reason})`);
  return false;
}

/**
 * Whether the C++ compiler finds a header (honours CPATH and the compiler's own search path).
 * @param {string} cxx
 * @param {string} header
 */
function compilerFindsHeader(cxx, header) {
  return (
    spawnSync(cxx, ['-E', '-x', 'c++', '-', '-o', '/dev/null'], {
      input: `#include <${header}>\n`,
      stdio: ['pipe', 'ignore', 'ignore'],
      timeout: 60_000,
    }).status === 0
  );
}

/**
 * Whether the linker finds a shared library (honours LIBRARY_PATH): the compiler prints a full path if so.
 * @param {string} cxx
 * @param {string} file
 */
function compilerFindsLibrary(cxx, file) {
  const result = spawnSync(cxx, [`-print-file-name=${file}`], { encoding: 'utf8', timeout: 60_000 });
  return result.status === 0 && isAbsolute(result.stdout.trim()) && existsSync(result.stdout.trim());
}

/**
 * Node's C headers (node_api.h): next to the Node binary (nodejs.org, NodeSource, nvm), npm's nodedir, or
 * Debian's libnode-dev. N-API is ABI-stable, so any Node ≥ 14's headers build an addon this Node loads.
 * @returns {string | undefined}
 */
export function findNodeHeaders() {
  const nodedir = process.env.npm_config_nodedir;
  return [
    join(dirname(process.execPath), '../include/node'),
    nodedir && join(nodedir, 'include/node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ].find((dir) => dir && existsSync(join(dir, 'node_api.h')));
}

/**
 * What a source build needs, and which of it is missing.
 * @param {string} faissDir
 * @returns {Prerequisites}
 */
export function checkPrerequisites(faissDir) {
  const cxx = process.env.CXX || 'g++';
  /** @type {Missing[]} */
  const missing = [];
  const haveCompiler = spawnSync(cxx, ['--version'], { stdio: 'ignore', timeout: 60_000 }).status === 0;
  if (!haveCompiler) missing.push({ what: `a C++17 compiler with OpenMP (${cxx})`, apt: 'g++' });
  // Without a compiler to ask, look where Debian and /usr/local put them.
  const header = (/** @type {string} */ name) =>
    haveCompiler ? compilerFindsHeader(cxx, name) : existsSync(join('/usr/include', name));
  // -l links a shared or a static library (Debian's libfaiss-dev ships only libfaiss.a).
  const library = (/** @type {string} */ name) =>
    [`lib${name}.so`, `lib${name}.a`].some((file) =>
      haveCompiler
        ? compilerFindsLibrary(cxx, file)
        : ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib', '/usr/local/lib'].some(
            (dir) => existsSync(join(dir, file)),
          ),
    );
  if (!header('faiss/IndexFlat.h') || !library('faiss'))
    missing.push({ what: 'faiss (headers faiss/IndexFlat.h and libfaiss)', apt: 'libfaiss-dev' });
  if (!library('openblas')) missing.push({ what: 'OpenBLAS (libopenblas)', apt: 'libopenblas-dev' });
  const nodeHeaders = findNodeHeaders();
  if (!nodeHeaders)
    missing.push({
      what:
        "Node's headers (node_api.h): use a Node that ships include/node (nodejs.org, NodeSource, nvm), " +
        "set npm_config_nodedir to a Node source or headers directory, or with Debian's own nodejs install libnode-dev",
    });
  let addonApi;
  try {
    addonApi = dirname(createRequire(join(faissDir, 'package.json')).resolve('node-addon-api/package.json'));
  } catch {
    missing.push({ what: 'node-addon-api (a faiss-node dependency: reinstall your dependencies)' });
  }
  return { cxx, addonApi, nodeHeaders, missing };
}

/**
 * Says what is missing and how to get it.
 * @param {Missing[]} missing
 * @param {Log} log
 */
export function explainMissing(missing, log) {
  log('a source build needs what is missing here:');
  for (const item of missing) log(`  - ${item.what}`);
  const apt = APT_PACKAGES.filter((name) => missing.some((item) => item.apt === name));
  if (apt.length > 0 && existsSync('/usr/bin/apt-get')) {
    log(`install them with: sudo apt-get install -y ${apt.join(' ')}   (as root: without sudo)`);
  } else if (apt.length > 0) {
    log(
      'no apt-get here: install faiss ≥ 1.7.3 (headers and shared library), OpenBLAS and a C++17 compiler with ' +
        'OpenMP with your package manager; set CPATH / LIBRARY_PATH if they are outside the default paths, ' +
        'CXX for another compiler.',
    );
  }
  log('then run llmo-faiss-setup again.');
}

/**
 * @typedef {{ path: string, hunks: { oldStart: number, old: string[], new: string[] }[] }} FilePatch
 */

/**
 * Parses a unified diff (as git and pnpm write them).
 * @param {string} text
 * @returns {FilePatch[]}
 */
export function parsePatch(text) {
  /** @type {FilePatch[]} */
  const files = [];
  /** @type {FilePatch | undefined} */
  let file;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = /** @type {string} */ (lines[i]);
    if (line.startsWith('+++ ')) {
      file = { path: line.slice(4).replace(/^b\//, '').trim(), hunks: [] };
      files.push(file);
      continue;
    }
    const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (!header || !file) continue;
    let oldLeft = Number(header[2] ?? 1);
    let newLeft = Number(header[4] ?? 1);
    /** @type {{ oldStart: number, old: string[], new: string[] }} */
    const hunk = { oldStart: Number(header[1]), old: [], new: [] };
    while (oldLeft > 0 || newLeft > 0) {
      const body = lines[++i];
      if (body === undefined) throw new Error(`patch ends inside a hunk of ${file.path}`);
      if (body.startsWith('\\')) continue; // "\ No newline at end of file"
      const mark = body[0] ?? ' '; // an empty context line may have lost its leading space
      const content = body.slice(1);
      if (mark !== ' ' && mark !== '-' && mark !== '+') throw new Error(`unexpected line in patch: ${body}`);
      if (mark !== '+') {
        hunk.old.push(content);
        oldLeft--;
      }
      if (mark !== '-') {
        hunk.new.push(content);
        newLeft--;
      }
    }
    file.hunks.push(hunk);
  }
  return files;
}

/**
 * Applies one file's hunks: each hunk's old lines must appear, in order, somewhere after the previous hunk.
 * @param {string} source
 * @param {FilePatch} patch
 * @returns {string}
 */
export function applyFilePatch(source, patch) {
  const lines = source.split('\n');
  let from = 0;
  for (const hunk of patch.hunks) {
    const at = findBlock(lines, hunk.old, from);
    if (at < 0) throw new Error(`${patch.path}: the hunk at line ${hunk.oldStart} does not apply`);
    lines.splice(at, hunk.old.length, ...hunk.new);
    from = at + hunk.new.length;
  }
  return lines.join('\n');
}

/**
 * @param {string[]} lines
 * @param {string[]} block
 * @param {number} from
 */
function findBlock(lines, block, from) {
  for (let start = from; start + block.length <= lines.length; start++) {
    if (block.every((line, j) => lines[start + j] === line)) return start;
  }
  return -1;
}

/**
 * The C++ source to compile: faiss-node's own, with the patch applied unless it is already (pnpm applies it in
 * the llmo repository) or this is a faiss-node version the patch was not written for.
 * @param {string} faissDir
 * @param {Log} log
 */
export function patchedSource(faissDir, log) {
  const source = readFileSync(join(faissDir, 'src/faiss.cc'), 'utf8');
  if (source.includes('llmoPatch')) {
    log('faiss-node source already carries the llmo patch');
    return source;
  }
  const version = JSON.parse(readFileSync(join(faissDir, 'package.json'), 'utf8')).version;
  if (version !== PATCHED_VERSION) {
    log(
      `faiss-node ${version}: the llmo patch is written for ${PATCHED_VERSION}; building its source unpatched ` +
        '(it works; the pool then recycles workers to contain the stock search leak)',
    );
    return source;
  }
  const file = parsePatch(readFileSync(PATCH_FILE, 'utf8')).find((f) => f.path === 'src/faiss.cc');
  if (!file) throw new Error(`${PATCH_FILE} has no hunks for src/faiss.cc`);
  log('applying the llmo patch (leak fix, typed-array search, BLAS threshold) to faiss-node 0.5.1 source');
  return applyFilePatch(source, file);
}

// faiss-node 0.5.1 is written for faiss 1.7.4, whose id type is faiss::idx_t; faiss 1.7.3 (Debian 12,
// Ubuntu 24.04) names it faiss::Index::idx_t. Forced in with -include, so the source itself stays as it is.
const VERSION_SHIM = `#include <faiss/Index.h>
#if FAISS_VERSION_MAJOR == 1 && FAISS_VERSION_MINOR == 7 && FAISS_VERSION_PATCH < 4
namespace faiss { using idx_t = Index::idx_t; }
#endif
`;

/**
 * Compiles faiss-node against the system's libfaiss into build/Release/faiss-node.node, where faiss-node's
 * loader (`bindings`) looks first. Writes beside it and renames, so a failed build never leaves half a binding.
 * @param {string} faissDir
 * @param {Prerequisites} prerequisites
 * @param {Log} log
 */
export function buildBinding(faissDir, prerequisites, log) {
  const { cxx, addonApi, nodeHeaders } = prerequisites;
  if (!addonApi || !nodeHeaders) throw new Error('buildBinding: prerequisites are missing');
  const work = join(faissDir, 'build/llmo');
  const release = join(faissDir, 'build/Release');
  mkdirSync(work, { recursive: true });
  mkdirSync(release, { recursive: true });
  const source = join(work, 'faiss.cc');
  const shim = join(work, 'faiss-version-shim.h');
  writeFileSync(source, patchedSource(faissDir, log));
  writeFileSync(shim, VERSION_SHIM);
  const output = join(release, 'faiss-node.node');
  const partial = `${output}.partial`;
  const split = (/** @type {string | undefined} */ flags) => (flags ?? '').split(/\s+/).filter(Boolean);
  const args = [
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
    ...split(process.env.CXXFLAGS),
    source,
    '-lfaiss',
    '-lopenblas',
    ...split(process.env.LDFLAGS),
    '-o',
    partial,
  ];
  log(`compiling ${output}`);
  log(`  ${cxx} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(cxx, args, { stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
  if (result.status !== 0) {
    rmSync(partial, { force: true });
    throw new Error(
      `${cxx} failed (${result.error?.message ?? `exit code ${result.status}`}); its output is above`,
    );
  }
  renameSync(partial, output);
  log(`compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Makes faiss-node loadable; never throws (the result says what happened).
 * @param {{
 *   faissDir?: string,
 *   log: Log,
 *   prebuilt?: boolean,
 *   rebuild?: boolean,
 *   installSystemPackages?: (packages: string[]) => boolean,
 * }} options
 *   `prebuilt`: try faiss-node's prebuilt download before building from source (default true).
 *   `rebuild`: build the patched binding from source even when a stock one loads (default false).
 *   `installSystemPackages`: called with the missing apt packages; returns whether it installed them.
 * @returns {SetupResult}
 */
export function setupFaiss(options) {
  const { log, prebuilt = true, rebuild = false, installSystemPackages } = options;
  const faissDir = options.faissDir ?? findFaissNode();
  if (!faissDir) {
    log('faiss-node is not installed next to @llmo/retrieval: install your dependencies first');
    return { status: 'failed', ok: false, patched: false, error: 'faiss-node is not installed' };
  }
  try {
    const first = probeBinding(faissDir);
    if (first.ok && (first.patched || !rebuild)) {
      log(
        first.patched
          ? `faiss-node binding loads (patched build): nothing to do [${faissDir}]`
          : `faiss-node binding loads (stock prebuilt: the worker pool contains its per-query leak) [${faissDir}]`,
      );
      return { status: 'present', ok: true, patched: first.patched, faissDir };
    }
    if (first.ok) log('a stock faiss-node binding loads; rebuilding it from source with the llmo patch');
    else log(`faiss-node binding does not load: ${first.error} [${faissDir}]`);
    if (!first.ok && prebuilt && tryPrebuilt(faissDir, log)) {
      log(
        'prebuilt binary installed (stock: no leak fix, no typed-array search; the worker pool compensates)',
      );
      return { status: 'prebuilt', ok: true, patched: false, faissDir };
    }
    log(
      `building faiss-node from source against the system's libfaiss (${process.platform}-${process.arch})`,
    );
    let prerequisites = checkPrerequisites(faissDir);
    const apt = [...new Set(prerequisites.missing.flatMap((item) => (item.apt ? [item.apt] : [])))];
    if (apt.length > 0 && installSystemPackages?.(apt)) {
      prerequisites = checkPrerequisites(faissDir);
    }
    if (prerequisites.missing.length > 0) {
      explainMissing(prerequisites.missing, log);
      return { status: 'missing', ok: false, patched: false, faissDir, missing: prerequisites.missing };
    }
    buildBinding(faissDir, prerequisites, log);
    const built = probeBinding(faissDir);
    if (!built.ok) throw new Error(`the built binding does not load: ${built.error}`);
    log(`faiss-node binding built and loads (${built.patched ? 'patched' : 'unpatched source'})`);
    return { status: 'built', ok: true, patched: built.patched, faissDir };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`failed: ${message}`);
    return { status: 'failed', ok: false, patched: false, faissDir, error: message };
  }
}
