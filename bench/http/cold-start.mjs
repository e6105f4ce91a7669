// Cold start (issue 12): import + construct, over an empty Node process. Each variant runs in fresh processes
// (`node --input-type=module -e …`, from this folder so packages resolve as in an app), interleaved with the
// others, `--runs` times (default 15); prints the median wall time over the empty process's median, and the
// median of the import + construct time measured inside the process. Writes results/cold.md.
//   pnpm bench:cold [--runs 15]   (root: builds core + provider-openai first)
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = fileURLToPath(new URL('.', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Math.max(1, Math.min(200, Number(values.runs)));
const baseURL = `'http://127.0.0.1:1/v1'`;

/** Each body runs between two performance.now() calls; the process prints the difference and exits. */
const VARIANTS = [
  ['empty', 'empty Node process', ''],
  ['floor', 'undici: new Agent()', `const { Agent } = await import('undici'); new Agent();`],
  [
    'openai',
    'openai SDK 6: new OpenAI()',
    `const { default: OpenAI } = await import('openai'); new OpenAI({ apiKey: 'x', baseURL: ${baseURL} });`,
  ],
  [
    'ai-sdk',
    'AI SDK 5: ai + createOpenAICompatible().chatModel()',
    `await import('ai'); const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
     createOpenAICompatible({ name: 'a', baseURL: ${baseURL} }).chatModel('m');`,
  ],
  [
    'llmo-provider',
    'llmo: createOpenAI()',
    `const { createOpenAI } = await import('@llmo/provider-openai');
     createOpenAI({ name: 'a', model: 'm', baseURL: ${baseURL} });`,
  ],
  [
    'llmo-router',
    'llmo: new Router().addProvider(createOpenAI())',
    `const { Router } = await import('@llmo/core'); const { createOpenAI } = await import('@llmo/provider-openai');
     new Router().addProvider(createOpenAI({ name: 'a', model: 'm', baseURL: ${baseURL} }));`,
  ],
];

function once(body) {
  const code = `const t0 = performance.now(); ${body} console.log(performance.now() - t0);`;
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: here,
    encoding: 'utf8',
    timeout: 30_000,
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`node -e failed (${child.status}): ${child.stderr}\n${code}`);
  return { wall, inside: Number(child.stdout.trim()) };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};

const samples = Object.fromEntries(VARIANTS.map(([id]) => [id, { wall: [], inside: [] }]));
for (const [, , body] of VARIANTS) once(body); // warm the file system cache
for (let i = 0; i < runs; i++) {
  for (const [id, , body] of VARIANTS) {
    const { wall, inside } = once(body);
    samples[id].wall.push(wall);
    samples[id].inside.push(inside);
  }
}

const empty = median(samples.empty.wall);
const over = (id) => `+${(median(samples[id].wall) - empty).toFixed(0)} ms`;
const ms = (value) => `${value.toFixed(1)} ms`;
const markdown = [
  `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}; median of ${runs} fresh processes per variant, interleaved.`,
  '',
  '| measure | openai SDK 6 | AI SDK 5 | llmo provider | llmo router | goal |',
  '|---|---|---|---|---|---|',
  `| import + construct, over an empty Node process | ${over('openai')} | ${over('ai-sdk')} | ${over('llmo-provider')} | ${over('llmo-router')} | ≤ +20 ms |`,
  '',
  '| variant | process wall time (median) | over the empty process | import + construct, inside (median) |',
  '|---|---:|---:|---:|',
  ...VARIANTS.map(
    ([id, label]) =>
      `| ${label} | ${ms(median(samples[id].wall))} | ${id === 'empty' ? '—' : over(id)} | ${ms(median(samples[id].inside))} |`,
  ),
  '',
].join('\n');
console.log(markdown);
mkdirSync(`${here}results`, { recursive: true });
writeFileSync(`${here}results/cold.md`, markdown);
