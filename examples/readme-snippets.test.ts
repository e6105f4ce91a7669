// What a user copies from a README must compile under --strict and run as written: the first TypeScript
// block of the root README's "Use it" and of @llmo/core's README are extracted, type-checked with this
// folder's strict tsconfig, and run with tsx.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runExample } from './run-example.test-helper.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The first ```ts block after `heading` (or the first in the file without one). */
async function snippet(readme: string, heading?: string): Promise<string> {
  const text = await readFile(here(readme), 'utf8');
  const from = heading ? text.indexOf(heading) : 0;
  const match = /```ts\n([\s\S]*?)```/.exec(text.slice(Math.max(0, from)));
  if (!match?.[1]) throw new Error(`no ts block in ${readme}${heading ? ` after ${heading}` : ''}`);
  return match[1];
}

const cases = [
  { name: 'root-use-it', readme: '../README.md', heading: '## Use it' },
  { name: 'core', readme: '../packages/core/README.md' },
];

describe('README snippets', () => {
  // One tsc run for all of them: it is most of the time.
  beforeAll(async () => {
    await mkdir(here('.readme-snippets'), { recursive: true });
    for (const { name, readme, heading } of cases) {
      await writeFile(here(`.readme-snippets/${name}.ts`), await snippet(readme, heading));
    }
    await writeFile(
      here('.readme-snippets/tsconfig.json'),
      JSON.stringify({ extends: '../tsconfig.json', include: ['*.ts'] }),
    );
    await promisify(execFile)(
      here('../node_modules/.bin/tsc'),
      ['-p', here('.readme-snippets/tsconfig.json'), '--noEmit'],
      { timeout: 180_000 },
    ).catch((error: { stdout?: string }) => {
      throw new Error(`a README snippet does not compile:\n${error.stdout ?? String(error)}`);
    });
  }, 240_000);

  for (const { name, readme, heading } of cases) {
    it(`${readme}${heading ? ` (${heading})` : ''} compiles under --strict and runs`, async () => {
      const out = await runExample(`.readme-snippets/${name}.ts`);
      expect(out.length).toBeGreaterThan(0);
    }, 240_000);
  }
});
