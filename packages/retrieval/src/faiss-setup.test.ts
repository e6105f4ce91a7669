// The setup shipped in the package (setup/faiss-setup.mjs, bin/llmo-faiss-setup.mjs), on this machine's
// installed faiss-node. consumer-install.test.ts runs it for real in a fresh project.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyFilePatch,
  checkPrerequisites,
  explainMissing,
  findFaissNode,
  PATCH_FILE,
  parsePatch,
  probeBinding,
} from '../setup/faiss-setup.mjs';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const faissDir = findFaissNode()!;
const bin = join(packageDir, 'bin/llmo-faiss-setup.mjs');

describe('the shipped patch', () => {
  it("applied at source level, turns faiss-node 0.5.1's source into exactly what pnpm's patch makes", () => {
    // The installed source is pnpm's patched one; undo the hunks to get the original, then apply them.
    const patched = readFileSync(join(faissDir, 'src/faiss.cc'), 'utf8');
    expect(patched).toContain('llmoPatch');
    const [file] = parsePatch(readFileSync(PATCH_FILE, 'utf8'));
    expect(file?.path).toBe('src/faiss.cc');
    expect(file!.hunks.length).toBeGreaterThan(5);
    const reverse = { ...file!, hunks: file!.hunks.map((h) => ({ ...h, old: h.new, new: h.old })) };
    const original = applyFilePatch(patched, reverse);
    expect(original).not.toContain('llmo patch');
    expect(applyFilePatch(original, file!)).toBe(patched);
  });

  it('a hunk that does not apply is an error naming where', () => {
    const [file] = parsePatch(readFileSync(PATCH_FILE, 'utf8'));
    expect(() => applyFilePatch('int main() {}\n', file!)).toThrow(
      /src\/faiss\.cc: the hunk at line \d+ does not apply/,
    );
  });
});

describe('probing and prerequisites', () => {
  const dirs: string[] = [];
  const cxx = process.env.CXX;
  afterEach(async () => {
    if (cxx === undefined) delete process.env.CXX;
    else process.env.CXX = cxx;
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it("loads this repository's binding in a child process and sees the patch", () => {
    expect(probeBinding(faissDir)).toEqual({ ok: true, patched: true });
  });

  it('a binding that does not load is reported with its error, without harm to this process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'llmo-probe-'));
    dirs.push(dir);
    await writeFile(join(dir, 'package.json'), '{"name":"faiss-node","main":"index.js"}');
    await writeFile(join(dir, 'index.js'), "throw new Error('libfaiss.so: cannot open shared object file');");
    const probe = probeBinding(dir);
    expect(probe.ok).toBe(false);
    expect(probe).toMatchObject({
      error: expect.stringContaining('libfaiss.so: cannot open shared object file'),
    });
  });

  it('names what a source build is missing, with the apt-get command', () => {
    process.env.CXX = '/nonexistent/c++';
    const { missing } = checkPrerequisites(faissDir);
    expect(missing).toContainEqual({ what: 'a C++17 compiler with OpenMP (/nonexistent/c++)', apt: 'g++' });
    const lines: string[] = [];
    explainMissing(
      [...missing, { what: 'faiss (headers faiss/IndexFlat.h and libfaiss)', apt: 'libfaiss-dev' }],
      (line) => lines.push(line),
    );
    expect(lines.join('\n')).toContain('/nonexistent/c++');
    if (existsSync('/usr/bin/apt-get'))
      expect(lines.join('\n')).toMatch(/apt-get install -y (libfaiss-dev )?g\+\+/);
    else expect(lines.join('\n')).toContain('no apt-get here');
  });
});

describe('the llmo-faiss-setup bin', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });

  it('keeps a binding that loads', () => {
    const result = run();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      '[llmo-faiss-setup] faiss-node binding loads (patched build): nothing to do',
    );
  });

  it('--check reports without changing anything', () => {
    const result = run('--check');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('binding loads (patched build)');
    expect(result.stdout).toContain('a source build has everything it needs');
  });

  it('--help prints the usage with the system packages; an unknown option is an error', () => {
    expect(run('--help')).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('apt-get install -y libfaiss-dev libopenblas-dev g++'),
    });
    expect(run('--frobnicate')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('unknown option --frobnicate'),
    });
  });
});
