import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as router from './index.js';
import * as providerEntry from './node-provider-entry.js';

// On Node, `@llmo/core/provider`, `/zod`, `/transport` and `/node` re-export from one module
// (src/node-provider-entry.ts) and `@llmo/core` shares its code, so a name must mean the same thing in every
// entry: an `export *` conflict would silently drop it. What the build made of it is checked on the built
// files by scripts/check-node-build.mjs (run by `publint`).
const providerSide = {
  './node': () => import('./node.js'),
  './provider': () => import('./provider.js'),
  './transport': () => import('./transport-node.js'),
  './zod': () => import('./zod.js'),
};
const same = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  Object.keys(a).filter((name) => name in b && a[name] !== b[name]);

describe('the Node build (one module for the provider-side subpaths)', () => {
  it('exports every name of every provider-side entry, bound to the same value', async () => {
    const declared = new Set<string>();
    for (const [subpath, load] of Object.entries(providerSide)) {
      const entry: Record<string, unknown> = await load();
      const missing = Object.keys(entry).filter((name) => !(name in providerEntry));
      expect({ subpath, missing, different: same(entry, providerEntry) }).toEqual({
        subpath,
        missing: [],
        different: [],
      });
      for (const name of Object.keys(entry)) declared.add(name);
    }
    expect(Object.keys(providerEntry).filter((name) => !declared.has(name))).toEqual([]);
  });

  it('shares what `@llmo/core` also exports (one LlmoError class on both sides)', () => {
    expect(same(router, providerEntry)).toEqual([]);
    expect(providerEntry.LlmoError).toBe(router.LlmoError);
  });

  it('is what package.json maps the subpaths to under the `node` condition', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const subpaths = Object.entries(manifest.exports as Record<string, Record<string, string>>).filter(
      ([, target]) => typeof target === 'object',
    );
    expect(subpaths.map(([subpath]) => subpath).sort()).toEqual(['.', ...Object.keys(providerSide)].sort());
    for (const [subpath, target] of subpaths) {
      // `types` first (TypeScript reads it), then `node` before `default` (the first match wins).
      expect({ subpath, conditions: Object.keys(target), node: target.node }).toEqual({
        subpath,
        conditions: ['types', 'node', 'default'],
        // One file per subpath (a facade over the shared module, for the provider side): mocking one subpath
        // in a test runner, which mocks by file, leaves the others real.
        node: subpath === '.' ? './dist/node/index.js' : `./dist/node/${subpath.slice(2)}.js`,
      });
    }
  });
});
