// What the metrics cost per routed request: route() and routeStream() on a router without metrics (the
// baseline, measured in the same run) and on one observed by registerRouterMetrics, plus a scrape of the
// registry. Every loop is bounded by a call count. Run with `pnpm bench` in packages/prometheus.
import { cpus, totalmem } from 'node:os';
import { BaseRouter, type ProviderV1, roundRobin, type StreamPart } from '@llmo/core';
import { Registry } from 'prom-client';
import { registerRouterMetrics } from '../src/index.js';

const CALLS = 20_000;
const ROUNDS = 3;

/** Answers at once, so what is measured is the router's and the metrics' own work. */
const provider = (name: string): ProviderV1 => ({
  specificationVersion: 'v1',
  name,
  model: 'memory-1',
  providerType: 'memory',
  pricing: { inputPer1K: 0.001, outputPer1K: 0.002, currency: 'USD' },
  async generate() {
    return {
      text: 'four words of text',
      finishReason: 'stop',
      usage: { promptTokens: 3, completionTokens: 4 },
    };
  },
  async *stream(): AsyncGenerator<StreamPart> {
    yield { type: 'stream-start', warnings: [] };
    yield { type: 'text-start', id: '0' };
    for (const delta of ['four ', 'words ', 'of ', 'text']) yield { type: 'text-delta', id: '0', delta };
    yield { type: 'text-end', id: '0' };
    yield { type: 'finish', finishReason: 'stop', usage: { promptTokens: 3, completionTokens: 4 } };
  },
  async healthCheck() {
    return true;
  },
});

function makeRouter(withMetrics: boolean) {
  const router = new BaseRouter({ strategy: roundRobin(), onWarning: false });
  router.addProvider(provider('a')).addProvider(provider('b'));
  const registry = new Registry();
  if (withMetrics) registerRouterMetrics(router, { registry });
  return { router, registry };
}

async function perCallMicros(call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 2_000; i++) await call(); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await call();
  return Number(process.hrtime.bigint() - start) / 1e3 / CALLS;
}

const plain = makeRouter(false);
const observed = makeRouter(true);
const rows: [string, number[], number[]][] = [];
for (const [label, run] of [
  ['route()', (r: BaseRouter) => () => r.route('What is Python?')],
  [
    'routeStream()',
    (r: BaseRouter) => async () => {
      for await (const _ of r.routeStream('What is Python?'));
    },
  ],
] as const) {
  const base: number[] = [];
  const withMetrics: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    base.push(await perCallMicros(run(plain.router)));
    withMetrics.push(await perCallMicros(run(observed.router)));
  }
  rows.push([label, base, withMetrics]);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
);
console.log(`${CALLS} sequential calls per measurement, median of ${ROUNDS} rounds (interleaved)\n`);
console.log(
  'call'.padEnd(16),
  'baseline µs'.padStart(12),
  'with metrics µs'.padStart(16),
  'added µs'.padStart(10),
);
for (const [label, base, withMetrics] of rows) {
  const b = median(base);
  const m = median(withMetrics);
  console.log(
    label.padEnd(16),
    b.toFixed(1).padStart(12),
    m.toFixed(1).padStart(16),
    (m - b).toFixed(1).padStart(10),
  );
}

const scrapes: number[] = [];
for (let i = 0; i < 200; i++) {
  const start = process.hrtime.bigint();
  await observed.registry.metrics();
  scrapes.push(Number(process.hrtime.bigint() - start) / 1e3);
}
scrapes.sort((a, b) => a - b);
console.log(
  `\nscrape (registry.metrics(), 2 providers): p50 ${scrapes[100]!.toFixed(0)} µs, p99 ${scrapes[198]!.toFixed(0)} µs`,
);
