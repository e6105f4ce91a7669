// Checks the pending release before release day, in two steps.
//
// 1. Parses every changeset exactly as `changeset version` will, and checks that each names a published
//    workspace package with a valid bump. (A markdown formatter once rewrote every front matter into a
//    heading: a changeset that does not parse only fails on release day; this makes it fail in CI.)
// 2. Runs the real `changeset version` on a scratch copy (the workspace's package.json files and .changeset/,
//    under the OS temp dir; the working tree is never touched) and fails when the plan it produces would:
//    - publish an unintended major: a package whose major version goes up although no changeset asks for a
//      major of it (changesets bumps peer dependents to a major when a release leaves their peer range; at
//      0.x a `^` range breaks on every minor, which once made every provider 1.0.0);
//    - publish a peer range on one of our packages that the release does not satisfy, that a minor of that
//      package would leave (so the next minor of @llmo/core would force majors again), or that has no upper
//      bound (changesets rewrites an out-of-range peer to `>=x`, which promises every future major).
// Prints the plan: every package that would be released, old → new version, and why.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import parse from '@changesets/parse';

const root = fileURLToPath(new URL('..', import.meta.url));
// semver comes with @changesets/cli (the same copy its release plan uses).
const semver = createRequire(realpathSync(join(root, 'node_modules/@changesets/cli/package.json')))('semver');
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** Workspace package folders (relative to the root), from pnpm-workspace.yaml's `packages:` globs. */
function workspaceDirs() {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const globs = [];
  let inPackages = false;
  for (const line of yaml.split('\n')) {
    if (/^\S/.test(line)) inPackages = line.startsWith('packages:');
    const item = inPackages && /^\s+-\s+['"]?([^'"#\s]+)/.exec(line);
    if (item) globs.push(item[1]);
  }
  const dirs = [];
  for (const glob of globs) {
    if (glob.endsWith('/*')) {
      const parent = glob.slice(0, -2);
      if (!existsSync(join(root, parent))) continue;
      for (const entry of readdirSync(join(root, parent), { withFileTypes: true }))
        if (entry.isDirectory()) dirs.push(`${parent}/${entry.name}`);
    } else if (!glob.includes('*')) dirs.push(glob);
    else throw new Error(`pnpm-workspace.yaml: glob ${glob} is not supported here (only "dir" and "dir/*")`);
  }
  return dirs.filter((dir) => existsSync(join(root, dir, 'package.json')));
}

const packages = new Map(); // name → { dir, manifest }
for (const dir of workspaceDirs()) {
  const manifest = readJson(join(root, dir, 'package.json'));
  packages.set(manifest.name, { dir, manifest });
}
const published = new Set([...packages].filter(([, p]) => !p.manifest.private).map(([name]) => name));

// 1. Parse.
let failed = false;
const fail = (message) => {
  failed = true;
  console.error(`✗ ${message}`);
};
const rank = { patch: 1, minor: 2, major: 3 };
const requested = new Map(); // name → highest bump a changeset asks for, and which changesets
const files = readdirSync(join(root, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
for (const file of files) {
  try {
    const { releases, summary } = parse(readFileSync(join(root, '.changeset', file), 'utf8'));
    if (releases.length === 0) throw new Error('names no package');
    if (!summary.trim()) throw new Error('has no summary');
    for (const { name, type } of releases) {
      if (!published.has(name)) throw new Error(`names ${name}, which is not a published workspace package`);
      if (!(type in rank)) throw new Error(`bumps ${name} by "${type}"`);
      const seen = requested.get(name);
      if (!seen || rank[type] > rank[seen.type]) requested.set(name, { type, files: [file] });
      else if (seen.type === type) seen.files.push(file);
    }
  } catch (error) {
    fail(`.changeset/${file}: ${error.message}`);
  }
}
if (failed) process.exit(1);
console.log(`changesets: ${files.length} parse and name published packages`);

// 2. The release plan, from the real `changeset version` on a scratch copy.
const scratch = mkdtempSync(join(tmpdir(), 'llmo-changeset-version-'));
let after;
try {
  for (const file of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(root, file), join(scratch, file));
  for (const { dir } of packages.values()) {
    mkdirSync(join(scratch, dir), { recursive: true });
    cpSync(join(root, dir, 'package.json'), join(scratch, dir, 'package.json'));
  }
  cpSync(join(root, '.changeset'), join(scratch, '.changeset'), { recursive: true });
  // The changelog generator and the CLI resolve from the scratch root.
  symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  const run = spawnSync(process.execPath, [join(root, 'node_modules/@changesets/cli/bin.js'), 'version'], {
    cwd: scratch,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
  });
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr);
    fail(`changeset version failed on a scratch copy (status ${run.status ?? run.signal})`);
    process.exit(1);
  }
  after = new Map(
    [...packages].map(([name, { dir }]) => [name, readJson(join(scratch, dir, 'package.json'))]),
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const plan = [];
for (const name of published) {
  const before = packages.get(name).manifest.version;
  const next = after.get(name).version;
  if (before === next) continue;
  const asked = requested.get(name);
  const major = semver.major(next) > semver.major(before);
  const why = asked
    ? `${asked.type} (${asked.files.join(', ')})`
    : 'no changeset: a dependency it uses was released';
  plan.push(`  ${name.padEnd(26)} ${before.padStart(7)} → ${next.padEnd(7)} ${why}`);
  if (major && asked?.type !== 'major')
    fail(
      `${name} would be released as ${next} (a major) although no changeset asks for a major of it` +
        ` (asked: ${asked?.type ?? 'nothing'}). A peer range it declares is probably left by a release:` +
        ' see "Releases" in the root README.',
    );
}

// Peer ranges on our own packages, as they would be published.
for (const name of published) {
  const manifest = after.get(name);
  for (const [dep, spec] of Object.entries(manifest.peerDependencies ?? {})) {
    if (!packages.has(dep)) continue;
    const version = after.get(dep).version;
    const raw = spec.replace(/^workspace:/, '');
    const range = raw === '*' ? version : raw === '^' || raw === '~' ? `${raw}${version}` : raw;
    if (!semver.validRange(range)) {
      fail(`${name}: peer ${dep}@"${spec}" is not a semver range`);
      continue;
    }
    const nextMinor = semver.inc(version, 'minor');
    const nextMajor = semver.inc(version, 'major');
    if (!semver.satisfies(version, range))
      fail(`${name}: peer ${dep}@"${spec}" would not accept ${dep}@${version}, released with it`);
    else if (!semver.satisfies(nextMinor, range))
      fail(
        `${name}: peer ${dep}@"${spec}" would not accept ${dep}@${nextMinor}: the next minor of ${dep}` +
          ` would force a major of ${name}. Use a range that spans minors: "workspace:0.x" at 0.x, "workspace:^" from 1.0.`,
      );
    else if (semver.satisfies(nextMajor, range))
      fail(`${name}: peer ${dep}@"${spec}" has no upper bound (it accepts ${dep}@${nextMajor})`);
  }
}

if (plan.length > 0) console.log(`changeset version would release:\n${plan.join('\n')}`);
else console.log('changeset version would release nothing (no pending changesets)');
if (failed) process.exit(1);
console.log('release plan: no unintended major; peer ranges on our packages span minors and stop at a major');
