// A/B of the router's own cost in ONE process: two builds of @llmo/core (e.g. an earlier commit and the
// working tree, bundled by bench/vs-baseline.sh) run the same calls in alternating blocks, so drift and
// noisy neighbours hit both alike. Prints the median per-call time of each over the blocks.
// Usage: node --import tsx bench/ab-overhead.bench.ts <a.mjs> <b.mjs>
import { pathToFileURL } from 'node:url';
import { memoryProvider } from './memory-provider.js';

type Core = typeof import('../src/index.js');
const [aPath, bPath] = process.argv.slice(2);
if (!aPath || !bPath) throw new Error('usage: ab-overhead.bench.ts <a.mjs> <b.mjs>');
const load = async (path: string): Promise<Core> => import(pathToFileURL(path).href);
const variants = { a: await load(aPath), b: await load(bPath) };

const provider = memoryProvider;

const BLOCKS = 30;
const CALLS = 2_000;
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

for (const scenario of ['route', 'routeStream'] as const) {
  const routers = Object.fromEntries(
    Object.entries(variants).map(([k, core]) => {
      const router = new core.BaseRouter({ strategy: core.roundRobin(), onWarning: false });
      router.addProvider(provider);
      return [k, router];
    }),
  ) as Record<'a' | 'b', InstanceType<Core['BaseRouter']>>;
  const run = async (router: InstanceType<Core['BaseRouter']>) => {
    const t0 = performance.now();
    for (let i = 0; i < CALLS; i++) {
      if (scenario === 'route') await router.route('What is Python?');
      else for await (const _ of router.routeStream('What is Python?'));
    }
    return ((performance.now() - t0) * 1000) / CALLS;
  };
  for (let w = 0; w < 5; w++) await Promise.all([run(routers.a), run(routers.b)]); // JIT warm-up
  const times: Record<'a' | 'b', number[]> = { a: [], b: [] };
  for (let block = 0; block < BLOCKS; block++) {
    const order: ('a' | 'b')[] = block % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
    for (const k of order) times[k].push(await run(routers[k]));
  }
  const ma = median(times.a);
  const mb = median(times.b);
  console.log(
    `${scenario.padEnd(12)} a ${ma.toFixed(2)} µs/call   b ${mb.toFixed(2)} µs/call   b vs a ${(((mb - ma) / ma) * 100).toFixed(0)}%`,
  );
}
