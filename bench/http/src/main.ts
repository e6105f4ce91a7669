// `pnpm bench:http`: runs the benchmark, prints the Markdown and writes it to results/latest.md.
//   node build.mjs && node --expose-gc results/build/main.js [--rounds 3] [--scale 1] [--clients floor,openai]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_OPTIONS, runBenchmark } from './benchmark.js';
import { CLIENT_IDS, type ClientId } from './clients.js';
import { renderMarkdown } from './report.js';

const HELP = `Usage: node --expose-gc results/build/main.js [options]   (after node build.mjs, in bench/http)
  --rounds N        measured rounds (default ${DEFAULT_OPTIONS.rounds})
  --scale F         multiplies every call count (default 1; 0.25 for a quick look)
  --budget S        seconds for all the measured windows together (default ${DEFAULT_OPTIONS.budgetSeconds}):
                    each window stops at its share, so a slow client makes fewer calls
  --no-warmup       skip the warm-up round
  --no-framing      skip the SSE framing micro-benchmark
  --clients LIST    comma-separated, from ${CLIENT_IDS.join(', ')} (default all)
  --out PATH        where the Markdown goes (default results/latest.md)`;

const { values } = parseArgs({
  options: {
    rounds: { type: 'string' },
    scale: { type: 'string' },
    budget: { type: 'string' },
    'no-warmup': { type: 'boolean' },
    'no-framing': { type: 'boolean' },
    clients: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const clients = (values.clients?.split(',') ?? [...CLIENT_IDS]) as ClientId[];
for (const client of clients) {
  if (!CLIENT_IDS.includes(client))
    throw new Error(`unknown client "${client}"; known: ${CLIENT_IDS.join(', ')}`);
}
if (!(globalThis as { gc?: unknown }).gc)
  console.warn('(run with --expose-gc: each window then starts after a GC)');

// Whatever happens, the process ends: a hung client cannot keep it alive past this.
setTimeout(() => {
  console.error('bench:http: global timeout (15 min), exiting');
  process.exit(2);
}, 15 * 60_000).unref();

const result = await runBenchmark({
  ...DEFAULT_OPTIONS,
  rounds: values.rounds ? Number(values.rounds) : DEFAULT_OPTIONS.rounds,
  scale: values.scale ? Number(values.scale) : DEFAULT_OPTIONS.scale,
  budgetSeconds: values.budget ? Number(values.budget) : DEFAULT_OPTIONS.budgetSeconds,
  warmup: !values['no-warmup'],
  framing: values['no-framing'] ? false : DEFAULT_OPTIONS.framing,
  clients,
  log: (line) => console.error(line),
});
const markdown = renderMarkdown(result);
console.log(markdown);
const out = values.out ?? fileURLToPath(new URL('../latest.md', import.meta.url));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, markdown);
console.error(`written to ${out}`);
