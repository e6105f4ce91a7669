// A consumer's install, end to end: the built package packed into a tarball, installed with npm into a fresh
// project outside the repository (faiss-node from the npm registry, its GitHub-downloading install script not
// run), `npx llmo-faiss-setup`, then a small ESM program that builds a FaissStore and searches. Needs the npm
// registry, and for the source build what the root postinstall installs (libfaiss-dev, libopenblas-dev, g++).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * The environment of a user's shell: without what pnpm, turbo and vitest pass to this test (npm_config_*,
 * npm_package_*, NODE_OPTIONS…), which would change what npm does. Registry and proxy settings stay.
 */
function userEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase();
    const keep =
      /^npm_config_(registry|.*proxy|cafile|ca|strict_ssl|cache|userconfig)$/.test(lower) ||
      !/^(npm_|pnpm_|vitest|turbo_|node_options$|node_path$|init_cwd$)/.test(lower);
    if (keep) env[key] = value;
  }
  return env;
}

interface Run {
  stdout: string;
  stderr: string;
}

/** Runs a command with a bound on its time; rejects with its output when it fails or overruns. */
function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, env: userEnvironment(), timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `${command} ${args.join(' ')} failed in ${cwd} (${error.killed ? `killed after ${timeoutMs} ms` : error.message.split('\n')[0]})\n` +
                `--- stdout\n${stdout}\n--- stderr\n${stderr}`,
            ),
          );
        } else resolve({ stdout, stderr });
      },
    );
  });
}

const smoke = `
import { FaissStore, RetrievalError } from '@llmo/retrieval';

const vectors = Array.from({ length: 200 }, (_, i) => Array.from({ length: 16 }, (_, j) => Math.sin(i * 31 + j * 7)));
const documents = vectors.map((_, i) => ({ pageContent: 'document ' + i, metadata: { i } }));
const store = await FaissStore.fromVectors(vectors, documents, { size: 2 });
try {
  const hits = await store.similaritySearchVectorWithScore(vectors[42], 3);
  const error = await store.similaritySearchVectorWithScore([1, 2], 1).catch((e) => e);
  console.log(JSON.stringify({
    top: hits.map(([document, score]) => ({ i: document.metadata.i, score })),
    info: store.info(),
    typedError: RetrievalError.isInstance(error) ? error.code : String(error),
  }));
} finally {
  await store.close();
}
`;

describe('a consumer installs the packed package with npm', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'llmo-retrieval-consumer-'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('npm install --ignore-scripts, npx llmo-faiss-setup, then a FaissStore builds and searches', {
    timeout: 900_000,
  }, async () => {
    // The package's test task depends on its build (packages/retrieval/turbo.json); run alone, build here.
    if (!existsSync(join(packageDir, 'dist/index.js')) || !existsSync(join(packageDir, 'dist/worker.js')))
      await run('npx', ['--no', 'tsup'], packageDir, 120_000);

    // npm pack, not pnpm pack: the manifest has no workspace: ranges to rewrite, and npm comes with Node.
    const packed = await run('npm', ['pack', '--json', '--pack-destination', work], packageDir, 120_000);
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    const tarball = join(work, filename);

    const app = join(work, 'app');
    await mkdir(app);
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({ name: 'app', private: true, type: 'module' }),
    );
    // As the README says: faiss-node's install script downloads from GitHub, so npm must not run it.
    await run('npm', ['install', tarball, '--ignore-scripts', '--no-audit', '--no-fund'], app, 300_000);
    const manifest = JSON.parse(await readFile(join(app, 'node_modules/faiss-node/package.json'), 'utf8'));
    expect(manifest.version).toBe('0.5.1');
    expect(existsSync(join(app, 'node_modules/faiss-node/build/Release/faiss-node.node'))).toBe(false);

    // `--no`: only the bin the package installed, never a registry lookup.
    const setup = await run('npx', ['--no', 'llmo-faiss-setup'], app, 600_000);
    expect(setup.stdout).toMatch(
      /\[llmo-faiss-setup\] faiss-node binding (built and loads|loads)|prebuilt binary installed/,
    );
    const built = setup.stdout.includes('built and loads (patched)');

    await writeFile(join(app, 'smoke.mjs'), smoke);
    const result = JSON.parse((await run('node', ['smoke.mjs'], app, 120_000)).stdout) as {
      top: { i: number; score: number }[];
      info: { documents: number; workers: number; patchedBinding: boolean };
      typedError: string;
    };
    expect(result.top[0]?.i).toBe(42);
    expect(result.top[0]?.score).toBeCloseTo(0, 4);
    expect(result.top).toHaveLength(3);
    expect(result.info).toMatchObject({ documents: 200, workers: 2 });
    // Built from source here, so with the patch applied at source level; a prebuilt download is stock.
    expect(result.info.patchedBinding).toBe(built);
    expect(result.typedError).toBe('invalid_argument');
  });
});
