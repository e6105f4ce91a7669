// Checks the BUILT package (run by `publint`, after the build): for every subpath, the file its `node`
// condition points at exports every value its types declare and every name of its `default` file (of the
// same kind), nothing more; the error classes and kind lists are one binding across every subpath on Node;
// and Node's transport is the undici one. The source-level test (src/node-provider-entry.test.ts) cannot see
// a build that splits an identity or drops a name; this can. TypeScript reads the declarations.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const ts = createRequire(import.meta.url)('typescript');
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const load = (relative) => import(new URL(relative, root).href);

/** The value exports a declaration file declares (a type-only export has no binding at run time). */
function declaredValues(dts) {
  const file = fileURLToPath(new URL(dts, root));
  const program = ts.createProgram([file], { noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file));
  return checker
    .getExportsOfModule(module)
    .filter((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return target.flags & ts.SymbolFlags.Value;
    })
    .map((symbol) => symbol.name);
}

const problems = [];
const onNode = {};
for (const [subpath, target] of Object.entries(manifest.exports)) {
  if (typeof target !== 'object') continue;
  const [node, other] = [await load(target.node), await load(target.default)];
  onNode[subpath] = node;
  const missing = declaredValues(target.types).filter((name) => !(name in node));
  const differing = Object.keys(other).filter((name) => typeof node[name] !== typeof other[name]);
  const extra = Object.keys(node).filter((name) => !(name in other));
  if (missing.length) problems.push(`${subpath}: ${target.node} lacks declared ${missing.join(', ')}`);
  if (differing.length)
    problems.push(`${subpath}: ${target.node} differs from ${target.default}: ${differing}`);
  if (extra.length) problems.push(`${subpath}: ${target.node} also exports ${extra.join(', ')}`);
}
for (const name of ['LlmoError', 'ProviderError', 'CALLER_KINDS', 'RETRYABLE_KINDS', 'readyPartsOf']) {
  const holders = Object.entries(onNode).filter(([, exports]) => name in exports);
  if (new Set(holders.map(([, exports]) => exports[name])).size > 1)
    problems.push(`${name} is not one binding across ${holders.map(([subpath]) => subpath).join(', ')}`);
}
if (onNode['./transport']?.transportName !== 'undici') problems.push('the node transport is not undici');

if (problems.length > 0) {
  console.error(`@llmo/core's Node build:\n  ✗ ${problems.join('\n  ✗ ')}`);
  process.exit(1);
}
console.log(
  `@llmo/core's Node build: ${Object.keys(onNode).length} subpaths export what their types declare, one binding each`,
);
