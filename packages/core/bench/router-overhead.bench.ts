// Router overhead benchmark: route() and routeStream() over an in-memory provider, against calling the
// same provider directly, at concurrency 1 and 100; then heap growth over 100k routed calls.
// Every loop is bounded by a call count. Run with `pnpm bench` (in packages/core or at the root).
// LLMO_CORE_ENTRY=path/to/src/index.ts runs it against another copy of the router (bench/vs-baseline.sh
// uses that to compare with an earlier commit in the same run).
import { cpus, totalmem } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { ChatRequest } from '../src/index.js';
import { batchedMemoryProvider, memoryProvider } from './memory-provider.js';

const entry = process.env.LLMO_CORE_ENTRY;
const core: typeof import('../src/index.js') = entry
  ? await import(pathToFileURL(entry).href)
  : await import('../src/index.js');
const { BaseRouter, roundRobin } = core;
// The provider's stream from the entry's own sources when it has them, else this tree's (a bundled baseline
// router then runs over today's provider stream: the A/B compares routers).
const providerEntry = entry?.endsWith('index.ts') ? entry.replace(/index\.ts$/, 'provider.ts') : undefined;
const { partStream }: typeof import('../src/provider.js') = providerEntry
  ? await import(pathToFileURL(providerEntry).href)
  : await import('../src/provider.js');

const CALLS = 20_000;
const HEAP_CALLS = 100_000;

const provider = memoryProvider;

const request: ChatRequest = { messages: [{ role: 'user', content: 'What is Python?' }] };
const router = new BaseRouter({ strategy: roundRobin(), onWarning: false });
router.addProvider(provider);
// 100 parts from one read (an HTTP provider's partStream): the router's cost per streamed part.
const batched = batchedMemoryProvider(partStream);
const batchedRouter = new BaseRouter({ strategy: roundRobin(), onWarning: false }).addProvider(batched);

const scenarios: Record<string, () => Promise<unknown>> = {
  'direct generate()': () => provider.generate(request),
  'router.route()': () => router.route('What is Python?'),
  'direct stream()': async () => {
    for await (const _ of provider.stream(request));
  },
  'router.routeStream()': async () => {
    for await (const _ of router.routeStream('What is Python?'));
  },
  'direct 100-part stream()': async () => {
    for await (const _ of batched.stream(request));
  },
  'router.routeStream(100p)': async () => {
    for await (const _ of batchedRouter.routeStream('What is Python?').parts);
  },
};

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Runs `calls` calls with `concurrency` loops; returns per-call latencies (µs) and calls per second. */
async function measure(call: () => Promise<unknown>, calls: number, concurrency: number) {
  const latencies = new Float64Array(calls);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        const index = next++;
        const t0 = performance.now();
        await call();
        latencies[index] = (performance.now() - t0) * 1000;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort();
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), perSecond: calls / seconds };
}

const fmt = (n: number, digits = 1) => n.toFixed(digits).padStart(9);
console.log(
  `Router overhead${entry ? ` (${entry})` : ''}: Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
);
console.log(`${CALLS.toLocaleString()} calls per row after a warm-up; latency per call in µs\n`);
console.log(
  `${'scenario'.padEnd(26)} ${'conc.'.padStart(5)} ${'p50 µs'.padStart(9)} ${'p99 µs'.padStart(9)} ${'calls/s'.padStart(10)}  overhead vs direct`,
);

for (const call of Object.values(scenarios)) await measure(call, 2_000, 10); // warm-up (JIT)

for (const concurrency of [1, 100]) {
  const direct: Record<string, { p50: number; perSecond: number }> = {};
  for (const [name, call] of Object.entries(scenarios)) {
    const result = await measure(call, CALLS, concurrency);
    let overhead = '';
    const kind = /100/.test(name) ? 'batched' : /stream/i.test(name) ? 'stream' : 'generate';
    if (name.startsWith('direct')) direct[kind] = result;
    else {
      const base = direct[kind]!;
      const perCall = 1e6 / result.perSecond - 1e6 / base.perSecond;
      overhead = `${perCall.toFixed(1)} µs/call (p50 +${(result.p50 - base.p50).toFixed(1)} µs)`;
    }
    console.log(
      `${name.padEnd(26)} ${String(concurrency).padStart(5)} ${fmt(result.p50)} ${fmt(result.p99)} ${result.perSecond.toFixed(0).padStart(10)}  ${overhead}`,
    );
  }
}

// Heap after 100k routed calls: metrics, breaker and usage state must stay bounded.
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.log('\n(heap growth skipped: run with node --expose-gc)');
} else {
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < HEAP_CALLS; i += 100) {
    await Promise.all(Array.from({ length: 100 }, () => router.route('What is Python?')));
  }
  gc();
  const after = process.memoryUsage().heapUsed;
  console.log(
    `\nHeap after ${HEAP_CALLS.toLocaleString()} route() calls: ${(before / 2 ** 20).toFixed(2)} MB → ${(after / 2 ** 20).toFixed(2)} MB (${((after - before) / 2 ** 20).toFixed(2)} MB growth)`,
  );
}
