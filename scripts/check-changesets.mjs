// Parses every changeset exactly as `changeset version` will at release time, and checks that each names a
// published workspace package with a valid bump. A changeset that does not parse only fails on release day;
// this makes it fail in CI instead (a markdown formatter once rewrote every front matter into a heading).
import { readdirSync, readFileSync } from 'node:fs';
import parse from '@changesets/parse';

const root = new URL('..', import.meta.url);
const published = new Set();
for (const group of ['packages']) {
  for (const dir of readdirSync(new URL(`${group}/`, root))) {
    const manifest = JSON.parse(readFileSync(new URL(`${group}/${dir}/package.json`, root), 'utf8'));
    if (!manifest.private) published.add(manifest.name);
  }
}

let failed = false;
const files = readdirSync(new URL('.changeset/', root)).filter((f) => f.endsWith('.md') && f !== 'README.md');
for (const file of files) {
  try {
    const { releases, summary } = parse(readFileSync(new URL(`.changeset/${file}`, root), 'utf8'));
    if (releases.length === 0) throw new Error('names no package');
    if (!summary.trim()) throw new Error('has no summary');
    for (const { name, type } of releases) {
      if (!published.has(name)) throw new Error(`names ${name}, which is not a published workspace package`);
      if (!['major', 'minor', 'patch'].includes(type)) throw new Error(`bumps ${name} by "${type}"`);
    }
  } catch (error) {
    failed = true;
    console.error(`✗ .changeset/${file}: ${error.message}`);
  }
}
if (failed) process.exit(1);
console.log(`changesets: ${files.length} parse and name published packages`);
