// Bundle sizes (issue 12): what an edge app pays for llmo, the openai SDK and the AI SDK. Each entry is bundled
// as scripts/edge-check.mjs bundles the edge-safe packages: esbuild, minified, browser platform with the
// `worker`/`browser` conditions, packages resolved from this folder (llmo from the workspace's built dist,
// through the export maps). Prints the minified and gzip sizes; writes results/bundle.md.
//   pnpm bench:bundle        (root: builds core + provider-openai first)
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const provider = `createOpenAI({ name: 'a', model: 'gpt-4o-mini', baseURL: 'https://example.invalid/v1' })`;

/** [id, label, entry source]; the ids name the columns of the table. */
const ENTRIES = [
  [
    'llmo-router',
    'llmo: BaseRouter + roundRobin + createOpenAI',
    `import { BaseRouter, roundRobin } from '@llmo/core'; import { createOpenAI } from '@llmo/provider-openai';
     export const router = new BaseRouter({ strategy: roundRobin() }).addProvider(${provider});`,
  ],
  [
    'llmo-router-names',
    'llmo: Router (every strategy name) + createOpenAI',
    `import { Router } from '@llmo/core'; import { createOpenAI } from '@llmo/provider-openai';
     export const router = new Router().addProvider(${provider});`,
  ],
  [
    'llmo-provider',
    'llmo: createOpenAI alone',
    `import { createOpenAI } from '@llmo/provider-openai'; export const provider = ${provider};`,
  ],
  [
    'openai',
    'openai SDK 6: new OpenAI() + chat.completions.create',
    `import OpenAI from 'openai';
     const client = new OpenAI({ apiKey: 'x', baseURL: 'https://example.invalid/v1', dangerouslyAllowBrowser: true });
     export const create = (body) => client.chat.completions.create(body);`,
  ],
  [
    'ai-sdk',
    'AI SDK 5: generateText + streamText + @ai-sdk/openai-compatible',
    `import { generateText, streamText } from 'ai'; import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
     const model = createOpenAICompatible({ name: 'a', baseURL: 'https://example.invalid/v1' }).chatModel('m');
     export const generate = (prompt) => generateText({ model, prompt });
     export const stream = (prompt) => streamText({ model, prompt });`,
  ],
];

async function bundle(label, contents) {
  const result = await build({
    stdin: { contents, resolveDir: here, sourcefile: `${label}.js`, loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['worker', 'browser'],
    target: 'es2022',
    minify: true,
    treeShaking: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const sizes = {};
const lines = [
  '| bundle (esbuild, minified, browser/worker conditions) | minified | gzip |',
  '|---|---:|---:|',
];
for (const [id, label, source] of ENTRIES) {
  try {
    const code = await bundle(id, source);
    sizes[id] = gzipSync(code).length;
    lines.push(`| ${label} | ${kib(code.length)} | ${kib(sizes[id])} |`);
  } catch (error) {
    lines.push(`| ${label} | failed: ${String(error.message).split('\n')[0]} | |`);
  }
}
const cell = (id) => (sizes[id] === undefined ? 'n/a' : kib(sizes[id]));
const markdown = [
  '| measure | openai SDK 6 | AI SDK 5 | llmo provider | llmo router | goal |',
  '|---|---|---|---|---|---|',
  `| gzip bundle: Router + one strategy + OpenAI provider | ${cell('openai')} | ${cell('ai-sdk')} | ${cell('llmo-provider')} (provider alone) | ${cell('llmo-router')} (${cell('llmo-router-names')} with \`Router\`) | ≤ 12 KiB |`,
  '',
  ...lines,
  '',
].join('\n');
console.log(markdown);
mkdirSync(`${here}results`, { recursive: true });
writeFileSync(`${here}results/bundle.md`, markdown);
