// Edge check: bundles the edge-safe packages for a browser/worker target, exactly as an edge app would
// (from their built dist, through their export maps, with the `worker`/`browser` conditions), and fails on
// anything that needs Node: a `node:` import, `process`, `Buffer`, `require`, or undici. It also prints the
// gzip sizes of typical bundles and proves that importing one strategy does not pull in the others.
// This check reads bundles; tests/edge-runtimes RUNS them (in edge-runtime and workerd, against fake servers),
// built with the same `bundle()` and scanned with the same `assertEdgeSafe()`, which this module exports.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
// The examples package depends on core and every edge-safe package, so all resolve from its folder.
const resolveDir = `${root}examples`;
const PROVIDERS = [
  ['@llmo/provider-mock', 'createMockProvider'],
  ['@llmo/provider-openai', 'createOpenAI'],
  ['@llmo/provider-gigachat', 'createGigaChat'],
  ['@llmo/provider-yandexgpt', 'createYandexGPT'],
  ['@llmo/provider-ollama', 'createOllama'],
  ['@llmo/provider-anthropic', 'createAnthropic'],
  ['@llmo/provider-gemini', 'createGemini'],
  ['@llmo/provider-bedrock', 'createBedrock'],
  ['@llmo/provider-vertex', 'createVertex'],
];
// Other edge-safe packages (not providers): checked for Node APIs and sized alone.
const OTHERS = [
  ['@llmo/validators', 'validateMany'],
  ['@llmo/config', 'parseConfig'],
  ['@llmo/ai-sdk', 'createLlmoModel'],
  ['@llmo/otel', 'instrumentRouter'],
  // A Hono app (hono is web-standard); the page's script and uPlot are strings inside it.
  ['@llmo/dashboard', 'createDashboard'],
  ['@llmo/orchestrator', 'createOrchestrator'],
];
const strategies = {
  roundRobin: 'round-robin',
  random: 'random',
  firstAvailable: 'first-available',
  bestAvailable: 'best-available',
  weighted: 'weighted',
  leastLatency: 'least-latency',
  costAware: 'cost-aware',
};
const FORBIDDEN = [
  [/\bfrom\s*["']node:|\bimport\(\s*["']node:|\brequire\(\s*["']node:/, 'a node: import'],
  [/\brequire\s*\(/, 'require()'],
  [/\bprocess\s*(\.|\[|\))/, 'process'],
  [/\bBuffer\b/, 'Buffer'],
  [/undici/, 'undici'],
];

/**
 * Bundles `contents` as an edge app would: esbuild, browser platform, `worker`/`browser` conditions, packages
 * resolved from `resolveDir` (their built dists, through their export maps). `format: 'iife'` gives a classic
 * script (edge-runtime evaluates scripts); the default is an ES module (workerd, and the checks below).
 */
export async function bundle(
  label,
  contents,
  { minify = false, format = 'esm', resolveDir: dir = resolveDir } = {},
) {
  try {
    const result = await build({
      stdin: { contents, resolveDir: dir, sourcefile: `${label}.js`, loader: 'js' },
      bundle: true,
      write: false,
      format,
      platform: 'browser',
      conditions: ['worker', 'browser'],
      target: 'es2022',
      minify,
      treeShaking: true,
      legalComments: 'none',
      logLevel: 'silent',
    });
    return result.outputFiles[0].text;
  } catch (error) {
    throw new Error(
      `${label}: cannot be bundled for the edge:\n${error.errors?.map((e) => `  ${e.text}`).join('\n') ?? error}`,
    );
  }
}

// Quoted strings are blanked before scanning: an error hint may mention process.env without using it.
// Template literals are kept, so `${process.env.X}` would still be caught. Comments are dropped too (esbuild
// keeps some inside expressions): yaml's browser build notes that "Buffer inherits from Uint8Array" beside
// code that uses atob/btoa. A `//` only starts a comment after whitespace, so `http://…` in a template stays.
const withoutStrings = (code) =>
  code
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(^|\s)\/\/[^\n]*/g, '$1');

/** Throws if the bundle uses a Node API: a `node:` import, `require`, `process`, `Buffer` or undici. */
export function assertEdgeSafe(label, source) {
  const code = withoutStrings(source);
  const problems = [];
  for (const [pattern, what] of FORBIDDEN) {
    const match = code.match(pattern);
    if (match) {
      const at = match.index ?? 0;
      problems.push(`  ${what}: …${code.slice(Math.max(0, at - 60), at + 60).replace(/\n/g, ' ')}…`);
    }
  }
  if (problems.length > 0) throw new Error(`${label} is not edge-safe:\n${problems.join('\n')}`);
}

async function main() {
  const present = (code) =>
    Object.values(strategies).filter((name) => new RegExp(`name:\\s*"${name}"`).test(code));
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  let failed = false;
  const fail = (message) => {
    console.error(`✗ ${message}`);
    failed = true;
  };

  // 1. Every edge-safe entry, together and one package at a time.
  try {
    const everything = await bundle(
      'all-exports',
      [
        `export * as core from '@llmo/core';`,
        `export * as provider from '@llmo/core/provider';`,
        `export * as transport from '@llmo/core/transport';`,
        ...PROVIDERS.map(([name], i) => `export * as p${i} from '${name}';`),
        ...OTHERS.map(([name], i) => `export * as o${i} from '${name}';`),
      ].join('\n'),
    );
    assertEdgeSafe('the edge-safe packages together', everything);
    if (!/transportName\s*=\s*"fetch"/.test(everything))
      fail('@llmo/core/transport did not resolve to the fetch transport');
    for (const [name] of [...PROVIDERS, ...OTHERS])
      assertEdgeSafe(name, await bundle(name, `export * from '${name}';`));
    console.log(
      `✓ @llmo/core (main, /provider, /transport) and ${[...PROVIDERS, ...OTHERS].map(([n]) => n).join(', ')}`,
    );
    console.log(
      '  bundle for a browser/worker target with no node: import, process, Buffer, require or undici',
    );
  } catch (error) {
    fail(error.message);
  }

  // 2. Sizes: what an app pays for.
  const sizes = [
    [
      'Router (all strategy names) + mock provider',
      `import { Router } from '@llmo/core'; import { createMockProvider } from '@llmo/provider-mock'; export const r = new Router({ strategy: 'best-available' }).addProvider(createMockProvider({ name: 'a' }));`,
    ],
    [
      'BaseRouter + bestAvailable + mock provider',
      `import { BaseRouter, bestAvailable } from '@llmo/core'; import { createMockProvider } from '@llmo/provider-mock'; export const r = new BaseRouter({ strategy: bestAvailable() }).addProvider(createMockProvider({ name: 'a' }));`,
    ],
    [
      "provider helpers only (a provider's view)",
      `export { callApi, parseSseStream, parseNdjsonStream, ProviderError } from '@llmo/core/provider';`,
    ],
    ...PROVIDERS.slice(1).map(([name, factory]) => [
      `Router + ${name}`,
      `export { Router } from '@llmo/core'; export { ${factory} } from '${name}';`,
    ]),
    ...OTHERS.map(([name, fn]) => [`${name} (${fn}: every check)`, `export { ${fn} } from '${name}';`]),
  ];
  console.log('\nGzip sizes (esbuild, minified, browser target):');
  for (const [label, code] of sizes) {
    const minified = await bundle(label, code, { minify: true });
    assertEdgeSafe(label, minified);
    console.log(
      `  ${label.padEnd(52)} ${kb(minified.length).padStart(9)} min  ${kb(gzipSync(minified).length).padStart(8)} gzip`,
    );
  }

  // 3. One strategy imported → only that strategy bundled.
  console.log('\nTree-shaking of strategies (BaseRouter + one strategy):');
  for (const [exportName, name] of Object.entries(strategies)) {
    const code = await bundle(
      exportName,
      `import { BaseRouter, ${exportName} } from '@llmo/core'; export const r = new BaseRouter({ strategy: ${exportName}(${exportName === 'weighted' ? '{ weights: {} }' : ''}) });`,
    );
    const found = present(code);
    if (found.length !== 1 || found[0] !== name)
      fail(`importing ${exportName} bundled strategies: ${found.join(', ') || 'none'}`);
    else console.log(`  ✓ ${exportName.padEnd(15)} bundles only "${name}"`);
  }
  const named = present(
    await bundle('router', `import { Router } from '@llmo/core'; export const r = new Router();`),
  );
  console.log(`  (Router, which accepts names, carries all ${named.length}: ${named.join(', ')})`);

  if (failed) process.exit(1);
  console.log('\nedge check passed');
}

// Run as a script (`node scripts/edge-check.mjs`); imported (by tests/edge-runtimes), it only lends its helpers.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
