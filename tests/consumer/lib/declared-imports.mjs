// Every package a published .d.ts imports must be one its package.json declares (dependency or peer).
// npm's flat node_modules hides the mistake (zod resolves anyway, through @llmo/core's dependency); pnpm's
// strict layout and Yarn PnP do not, and a type that cannot be resolved silently becomes `any` for a user
// with skipLibCheck, or an error without it.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

const SPECIFIER = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

/** The package a bare specifier names: `zod/mini` → `zod`, `@scope/pkg/sub` → `@scope/pkg`. */
export function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function declarationFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...declarationFiles(path));
    else if (/\.d\.(ts|mts|cts)$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** Problems (one line each) for a built package: `dir/dist` declarations against `dir/package.json`. */
export function undeclaredTypeImports(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const declared = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  const builtins = new Set(builtinModules);
  const problems = [];
  for (const file of declarationFiles(join(dir, 'dist'))) {
    // Block comments dropped: a JSDoc example's `import … from 'x'` is not an import.
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const [, specifier] of text.matchAll(SPECIFIER)) {
      if (specifier.startsWith('.') || specifier.startsWith('node:') || builtins.has(specifier)) continue;
      const name = packageOf(specifier);
      // @types/node's globals are the user's (our READMEs say Node types are needed for /node entries).
      if (declared.has(name) || declared.has(`@types/${name}`)) continue;
      problems.push(
        `${manifest.name}: ${file.slice(dir.length + 1)} imports "${specifier}", but "${name}" is not in its dependencies or peerDependencies`,
      );
    }
  }
  return [...new Set(problems)];
}
