// The published packages as a user gets them. In order:
//
// 1. `pnpm pack` every published package (workspace ranges become the ranges npm will see).
// 2. A fresh npm project under the OS temp dir installs the tarballs (their dependencies from the
//    registry), as `npm install @llmo/…` would. @llmo/retrieval is left out: its faiss-node binding is
//    built and tested by its own package; so are the samples of its README.
// 3. `attw --profile esm-only` on every tarball: the types resolve for ESM consumers under node16 and
//    bundler resolution (CommonJS-only problems are out of scope: the packages are ESM only).
// 4. Every ```ts block of the root README and of each installed package's README is copied into that
//    project as it is written, type-checked with `tsc --strict` under `moduleResolution: bundler` and under
//    `node16`, and run with tsx: samples that call a provider reach fake servers on 127.0.0.1 through the
//    environment variables they read (see lib/fakes.mjs). A marker may exempt a block, with its reason
//    (see lib/snippets.mjs).
// 5. CommonJS: require() of every entry point, and TypeScript compiling a CommonJS file (nodenext).
// 6. An app bundled by esbuild for Node, as CommonJS and as ESM, routing a request to a fake server.
//
// Every step has a time limit; the whole run stops after TOTAL_TIMEOUT_MS. Exit code 1 on any failure.
// LLMO_CONSUMER_KEEP=1 keeps the temp dir for a look; LLMO_CONSUMER_REUSE=<that dir> then re-checks only the
// README samples in it (no pack, install or attw: for editing READMEs; the packages are the kept ones), and
// LLMO_CONSUMER_VERBOSE=1 prints everything each sample printed.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { undeclaredTypeImports } from './lib/declared-imports.mjs';
import { startFakes } from './lib/fakes.mjs';
import { extractSnippets, toReadmeLocations } from './lib/snippets.mjs';

const TOTAL_TIMEOUT_MS = 12 * 60_000;
const ATTW_VERSION = '0.18.5'; // engines: node >= 20
/** Entry points not loaded by the CommonJS check, and why. */
const REQUIRE_EXEMPT = { '@llmo/langchain/retrieval': 'it imports @llmo/retrieval, not installed here' };
/** Published packages whose tarball is not installed here, and why. */
const NOT_INSTALLED = {
  '@llmo/retrieval': 'its faiss-node binding is built and tested by @llmo/retrieval itself',
};

/**
 * READMEs whose samples are not checked yet, and why: each entry is a known gap, printed on every run.
 * Remove it once the README's samples compile and run (or carry a marker saying why not).
 */
const PENDING = {};

const root = fileURLToPath(new URL('../../', import.meta.url));
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const started = Date.now();
const seconds = (from = started) => `${((Date.now() - from) / 1000).toFixed(1)} s`;
const log = (message) => console.log(`[consumer] ${message}`);
let failures = 0;
const fail = (message) => {
  failures++;
  console.error(`✗ ${message}`);
};

const reuse = process.env.LLMO_CONSUMER_REUSE;
const work = reuse ?? mkdtempSync(join(tmpdir(), 'llmo-consumer-'));
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');
let fakes;

// Each command runs in its own process group, so a timeout also ends what it started (npm's scripts, tsx).
const children = new Set();
const killGroup = (child) => {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
};
function abandon(message) {
  console.error(`✗ ${message}`);
  for (const child of children) killGroup(child);
  if (!process.env.LLMO_CONSUMER_KEEP && !reuse) rmSync(work, { recursive: true, force: true });
  process.exit(1);
}
const overall = setTimeout(
  () => abandon(`the consumer check did not finish within ${TOTAL_TIMEOUT_MS / 60_000} min`),
  TOTAL_TIMEOUT_MS,
);
overall.unref();
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => abandon(`stopped by ${signal}`));

/** Runs a command; resolves with its output and status (never rejects), killed after `timeoutMs`. */
function exec(command, args, { cwd, env = process.env, timeoutMs }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.add(child);
    child.on('exit', () => children.delete(child));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ status: -1, stdout, stderr: `${stderr}${error.message}`, timedOut });
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status: timedOut ? -1 : status, stdout, stderr, timedOut });
    });
  });
}

/** Runs `fn` over `items`, at most `limit` at once, in input order. */
async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

/** Indented, and at most `max` lines (the rest counted), so one failure cannot bury the others. */
const indent = (text, max = 40) => {
  const lines = text.trim().split('\n');
  const shown = lines.slice(0, max).map((line) => `    ${line}`);
  if (lines.length > max) shown.push(`    … ${lines.length - max} more lines`);
  return shown.join('\n');
};

// pnpm as the test command runs it (turbo → pnpm run), else the version the root package.json pins.
const pnpm = process.env.npm_execpath?.includes('pnpm')
  ? [process.execPath, process.env.npm_execpath]
  : ['npx', '-y', readJson(join(root, 'package.json')).packageManager];

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({
    dir: join(root, 'packages', dir),
    manifest: readJson(join(root, 'packages', dir, 'package.json')),
  }))
  .filter(({ manifest }) => !manifest.private)
  .map(({ dir, manifest }) => ({ name: manifest.name, dir }));
const installed = packages.filter((p) => !(p.name in NOT_INSTALLED));

// turbo builds what this packs (turbo.json here): a package missing there would be packed unbuilt or stale.
const builtFirst = new Set(readJson(join(root, 'tests/consumer/turbo.json')).tasks.test.dependsOn);
for (const { name } of packages)
  if (!builtFirst.has(`${name}#build`))
    fail(`tests/consumer/turbo.json: add "${name}#build" to the test task's dependsOn (it is packed here)`);

// Every package a published .d.ts imports is declared (see lib/declared-imports.mjs): npm's flat install below
// would not notice one that is missing.
for (const { dir } of packages) for (const problem of undeclaredTypeImports(dir)) fail(problem);

/** Steps 1 to 3: pack, install in a fresh project, attw. */
async function prepare() {
  mkdirSync(tarballs);
  mkdirSync(project);
  // 1. Pack.
  let t = Date.now();
  const packed = await mapLimit(packages, 4, async ({ name, dir }) => {
    const out = join(tarballs, name.replace('@', '').replace('/', '-'));
    mkdirSync(out);
    const r = await exec(pnpm[0], [...pnpm.slice(1), 'pack', '--pack-destination', out], {
      cwd: dir,
      timeoutMs: 120_000,
    });
    const file = readdirSync(out).find((f) => f.endsWith('.tgz'));
    if (r.status !== 0 || !file) {
      fail(`pnpm pack ${name}:\n${indent(r.stderr || r.stdout)}`);
      return undefined;
    }
    return { name, tarball: join(out, file) };
  });
  if (packed.some((p) => !p)) throw new Error('packing failed');
  const tarballOf = new Map(packed.map((p) => [p.name, p.tarball]));
  log(`packed ${packed.length} packages in ${seconds(t)}`);

  // 2. The consumer project: our tarballs, their peers and the tools, from the registry.
  const versionOf = (name) => {
    for (const dir of ['.', 'examples', ...packages.map((p) => relative(root, p.dir))]) {
      const m = readJson(join(root, dir, 'package.json'));
      const spec = m.devDependencies?.[name] ?? m.dependencies?.[name];
      if (spec && !spec.startsWith('workspace:')) return spec;
    }
    throw new Error(`no version of ${name} in the workspace to install`);
  };
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify(
      {
        name: 'llmo-consumer',
        private: true,
        type: 'module',
        dependencies: {
          ...Object.fromEntries(installed.map((p) => [p.name, `file:${tarballOf.get(p.name)}`])),
          // Peers the READMEs tell users to install: LangChain and prom-client for their packages, undici for
          // the custom-CA fetch of @llmo/provider-gigachat/node and @llmo/validators/node, ioredis for the
          // client @llmo/orchestrator/redis is given.
          '@langchain/core': versionOf('@langchain/core'),
          ioredis: versionOf('ioredis'),
          'prom-client': versionOf('prom-client'),
          undici: versionOf('undici'),
          // The AI SDK and a provider package of it, which the @llmo/ai-sdk README adopts from.
          ai: versionOf('ai'),
          '@ai-sdk/openai-compatible': versionOf('@ai-sdk/openai-compatible'),
          // OpenTelemetry: the API @llmo/otel is built on, and the SDK its README adopts from.
          '@opentelemetry/api': versionOf('@opentelemetry/api'),
          '@opentelemetry/sdk-trace-base': versionOf('@opentelemetry/sdk-trace-base'),
          '@opentelemetry/context-async-hooks': versionOf('@opentelemetry/context-async-hooks'),
          // Hono for @llmo/dashboard (a peer) and @hono/node-server, which its README serves it with.
          hono: versionOf('hono'),
          '@hono/node-server': versionOf('@hono/node-server'),
        },
        devDependencies: {
          typescript: versionOf('typescript'),
          tsx: versionOf('tsx'),
          '@types/node': versionOf('@types/node'),
          // The AI SDK's declarations import 'json-schema' types without depending on them.
          '@types/json-schema': versionOf('@types/json-schema'),
          '@arethetypeswrong/cli': ATTW_VERSION,
          esbuild: versionOf('esbuild'),
        },
      },
      null,
      2,
    )}\n`,
  );
  t = Date.now();
  // The npm a user has: without the npm_* settings pnpm puts in the environment of the scripts it runs.
  const npmEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_')));
  const install = await exec(
    'npm',
    ['install', '--prefer-offline', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error'],
    { cwd: project, env: npmEnv, timeoutMs: 300_000 },
  );
  if (install.status !== 0)
    throw new Error(`npm install failed:\n${indent(install.stderr || install.stdout)}`);
  log(`npm installed the tarballs and their dependencies in a fresh project in ${seconds(t)}`);

  // 3. attw on every tarball (retrieval's too: it costs nothing to check).
  t = Date.now();
  const attwBin = join(project, 'node_modules/@arethetypeswrong/cli/dist/index.js');
  await mapLimit(packed, 4, async ({ name, tarball }) => {
    const r = await exec(
      process.execPath,
      [attwBin, tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-color', '--no-emoji'],
      { cwd: project, timeoutMs: 120_000 },
    );
    if (r.status !== 0) fail(`attw --profile esm-only ${name}:\n${indent(r.stdout || r.stderr)}`);
  });
  log(
    `attw --profile esm-only passed for ${packed.length - failures} of ${packed.length} tarballs in ${seconds(t)}`,
  );
}

try {
  if (reuse) log(`reusing ${project}: README samples only`);
  else await prepare();
  mkdirSync(join(project, 'snippets'), { recursive: true });
  for (const file of readdirSync(join(project, 'snippets'))) rmSync(join(project, 'snippets', file));

  // 4. README samples.
  const readmes = [
    { file: join(root, 'README.md'), readme: 'README.md', slug: 'root' },
    ...installed.map((p) => ({
      file: join(p.dir, 'README.md'),
      readme: `${relative(root, p.dir)}/README.md`,
      slug: relative(join(root, 'packages'), p.dir),
    })),
  ].filter(({ readme }) => {
    if (!(readme in PENDING)) return true;
    log(`NOT CHECKED: ${readme}: ${PENDING[readme]}`);
    return false;
  });
  const byFile = new Map();
  const snippets = [];
  for (const { file, readme, slug } of readmes) {
    for (const snippet of extractSnippets(file, readme)) {
      const name = `snippets/${slug}-${snippet.index}.ts`;
      snippets.push({ ...snippet, file: name });
      byFile.set(name, snippet);
    }
  }
  const checked = snippets.filter((s) => s.mode !== 'skip');
  for (const s of checked) writeFileSync(join(project, s.file), s.code);
  // @hono/node-server's declarations (which @llmo/dashboard's README serves it with) name DOM's RequestInfo,
  // which a Node project without lib DOM lacks (users have skipLibCheck, tsc --init's default, or lib DOM).
  // Declared here for that third-party file only; our own packages' declarations are still checked without DOM.
  mkdirSync(join(project, 'shims'), { recursive: true });
  writeFileSync(join(project, 'shims/third-party.d.ts'), 'type RequestInfo = Request | string;\n');
  for (const s of snippets.filter((s) => s.mode === 'skip'))
    log(`skipped ${s.readme}:${s.line} (${s.reason})`);

  // tsc --strict under both resolutions a user may have: a bundler's, and Node's own.
  const base = {
    strict: true,
    target: 'ES2022',
    lib: ['ES2023'], // a Node project's: no DOM
    types: ['node'],
    noEmit: true,
    skipLibCheck: false, // our .d.ts files are checked too, as a consumer without skipLibCheck would
  };
  // CommonJS consumers: every entry point through require(), and TypeScript compiling CommonJS.
  const entries = [];
  for (const { name } of installed) {
    const manifest = readJson(join(project, 'node_modules', name, 'package.json'));
    for (const key of Object.keys(manifest.exports ?? { '.': null })) {
      const entry = key === '.' ? name : `${name}/${key.slice(2)}`;
      if (key.endsWith('.json')) continue;
      if (entry in REQUIRE_EXEMPT) log(`not required from CommonJS: ${entry} (${REQUIRE_EXEMPT[entry]})`);
      else entries.push(entry);
    }
  }
  mkdirSync(join(project, 'commonjs'), { recursive: true });
  writeFileSync(
    join(project, 'commonjs/require-all.cjs'),
    `${entries.map((e) => `if (Object.keys(require(${JSON.stringify(e)})).length === 0) throw new Error('${e}: no exports');`).join('\n')}
const { Router } = require('@llmo/core');
const { createMockProvider } = require('@llmo/provider-mock');
const router = new Router().addProvider(createMockProvider({ name: 'cjs', latencyMs: 1 }));
router.route('Hi').then((r) => console.log('require() of ${entries.length} entry points; routed: ' + r.text));
`,
  );
  writeFileSync(
    join(project, 'commonjs/require.cts'),
    `import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';

export const router: Router = new Router().addProvider(createMockProvider({ name: 'cjs' }));
`,
  );

  // The AI SDK's own declarations need the DOM lib (HeadersInit, FileList…) and @types/json-schema, which it does
  // not depend on; its users compile with both (or skipLibCheck). Samples that import it get their own program
  // with the DOM lib, so every other sample stays checked without it.
  const usesAiSdk = (s) => /from '(ai|@ai-sdk\/[^']+|@llmo\/ai-sdk)'/.test(s.code);
  const plain = checked.filter((s) => !usesAiSdk(s)).map((s) => s.file);
  const withAiSdk = checked.filter(usesAiSdk).map((s) => s.file);
  const domLib = { lib: ['ES2023', 'DOM', 'DOM.Iterable'] };
  const modes = {
    bundler: {
      options: { module: 'ESNext', moduleResolution: 'Bundler' },
      files: [...plain, 'shims/third-party.d.ts'],
    },
    node16: {
      options: { module: 'Node16', moduleResolution: 'Node16' },
      files: [...plain, 'shims/third-party.d.ts'],
    },
    'bundler, AI SDK samples with the DOM lib': {
      options: { module: 'ESNext', moduleResolution: 'Bundler', ...domLib },
      files: withAiSdk,
    },
    'node16, AI SDK samples with the DOM lib': {
      options: { module: 'Node16', moduleResolution: 'Node16', ...domLib },
      files: withAiSdk,
    },
    // TypeScript accepts require() of ESM from CommonJS files with nodenext (TypeScript >= 5.8).
    'CommonJS nodenext': {
      options: { module: 'NodeNext', moduleResolution: 'NodeNext' },
      files: ['commonjs/require.cts'],
    },
  };
  let t = Date.now();
  await Promise.all(
    Object.entries(modes).map(async ([mode, { options, files }]) => {
      if (files.length === 0) return;
      const config = `tsconfig.${mode.replace(/\W+/g, '-')}.json`;
      writeFileSync(
        join(project, config),
        JSON.stringify({ compilerOptions: { ...base, ...options }, include: files }, null, 2),
      );
      const r = await exec(
        process.execPath,
        [join(project, 'node_modules/typescript/bin/tsc'), '-p', config],
        {
          cwd: project,
          timeoutMs: 240_000,
        },
      );
      if (r.status !== 0)
        fail(
          `tsc --strict (moduleResolution ${mode}) rejects README samples:\n${indent(toReadmeLocations(r.stdout || r.stderr, byFile))}`,
        );
    }),
  );
  log(
    `tsc --strict: ${checked.length} samples under bundler and node16 resolution, and a CommonJS file under nodenext, in ${seconds(t)}`,
  );

  t = Date.now();
  const cjs = await exec(process.execPath, ['commonjs/require-all.cjs'], { cwd: project, timeoutMs: 60_000 });
  if (cjs.status !== 0) fail(`require() from CommonJS:\n${indent(`${cjs.stdout}\n${cjs.stderr}`)}`);
  else log(`${cjs.stdout.trim()} (${seconds(t)})`);

  // Run them.
  fakes = await startFakes(project);
  const runnable = checked.filter((s) => s.mode === 'run');
  t = Date.now();
  await mapLimit(runnable, 4, async (s) => {
    const r = await exec(process.execPath, ['--import', 'tsx', s.file], {
      cwd: project,
      // No keys of the machine's own: only the fakes' (see lib/fakes.mjs).
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...fakes.env },
      timeoutMs: 90_000,
    });
    const where = `${s.readme}:${s.line} (${s.file})`;
    if (r.status !== 0)
      fail(
        `${where} ${r.timedOut ? 'did not finish within 90 s' : `exited with ${r.status}`}:\n${indent(toReadmeLocations(`${r.stdout}\n${r.stderr}`, byFile))}`,
      );
    else if (!r.stdout.trim()) fail(`${where} ran but printed nothing: a sample should show what it did`);
    else if (process.env.LLMO_CONSUMER_VERBOSE)
      log(`ran ${where}:\n${indent(`${r.stdout}\n${r.stderr}`, 200)}`);
    else log(`ran ${where}: ${r.stdout.trim().split('\n')[0].slice(0, 100)}`);
  });
  log(
    `ran ${runnable.length} samples in ${seconds(t)}; chat requests per fake: ${JSON.stringify(fakes.counts())}`,
  );

  // Apps bundled for Node as many deploy them (a Lambda's esbuild build, CommonJS or ESM): one copy of each
  // class across core's subpaths, and a request through the default transport (a CommonJS bundle has no
  // `import.meta.url`, which once broke every request of it).
  t = Date.now();
  mkdirSync(join(project, 'bundled'), { recursive: true });
  writeFileSync(
    join(project, 'bundled/app.mjs'),
    `import { LlmoError, Router } from '@llmo/core';
import { ProviderError } from '@llmo/core/provider';
import { transportName } from '@llmo/core/transport';
import { createOpenAI } from '@llmo/provider-openai';

const error = new ProviderError({ kind: 'server', retryable: true, provider: 'p', message: 'm' });
if (!(error instanceof LlmoError)) throw new Error('two copies of LlmoError in the bundle');
const router = new Router().addProvider(
  createOpenAI({ name: 'openai', model: 'gpt-4o-mini', apiKey: process.env.OPENAI_API_KEY, baseURL: process.env.OPENAI_BASE_URL }),
);
router.route('Hi').then((r) => console.log(transportName + ': ' + r.text));
`,
  );
  writeFileSync(
    join(project, 'bundled/build.mjs'),
    `import { build } from 'esbuild';
for (const format of ['cjs', 'esm'])
  await build({ entryPoints: ['bundled/app.mjs'], bundle: true, platform: 'node', target: 'node20', format,
    outfile: 'bundled/app.' + format + (format === 'cjs' ? '.cjs' : '.mjs'), logLevel: 'error' });
`,
  );
  const bundled = await exec(process.execPath, ['bundled/build.mjs'], { cwd: project, timeoutMs: 120_000 });
  if (bundled.status !== 0)
    fail(`esbuild could not bundle an app:\n${indent(bundled.stderr || bundled.stdout)}`);
  else
    for (const file of ['bundled/app.cjs.cjs', 'bundled/app.esm.mjs']) {
      const r = await exec(process.execPath, [file], {
        cwd: project,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...fakes.env },
        timeoutMs: 60_000,
      });
      if (r.status !== 0 || !r.stdout.includes('Python is a programming language.'))
        fail(`the app bundled by esbuild (${file}) failed:\n${indent(`${r.stdout}\n${r.stderr}`)}`);
      else
        log(
          `an app bundled by esbuild for Node (${file}) routed a request: ${r.stdout.trim()} (${seconds(t)})`,
        );
    }

  const typesOnly = snippets.filter((s) => s.mode === 'types-only');
  const skipped = snippets.filter((s) => s.mode === 'skip');
  log(
    `${snippets.length} README samples: ${runnable.length} type-checked and run, ${typesOnly.length} type-checked only, ${skipped.length} skipped`,
  );
  for (const s of typesOnly) log(`  type-checked only: ${s.readme}:${s.line} (${s.reason})`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
} finally {
  await fakes?.close();
  if (process.env.LLMO_CONSUMER_KEEP || reuse) log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

log(`${failures === 0 ? 'passed' : `${failures} failure(s)`} in ${seconds()}`);
process.exit(failures === 0 ? 0 : 1);
