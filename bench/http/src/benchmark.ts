// The HTTP hot-path benchmark (issue 12): every client against one loopback server, in the same rounds.
// Per round, every scenario runs every client (in an order rotated each round), so drift in the machine's
// load spreads over all clients alike. A warm-up round (a quarter of the counts) runs first and is discarded.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { CLIENT_IDS, CLIENTS, type ClientId } from './clients.js';
import { FRAMING_PARSERS, type FramingParser, runFraming } from './framing.js';
import { median, quantile, runWindow, type Scenario, type WindowResult } from './measure.js';
import { startServer } from './server-process.js';

export const SCENARIOS: readonly Scenario[] = [
  { id: 'json, 1 in flight', chunks: 0, concurrency: 1, calls: 200 },
  { id: 'json, 10 in flight', chunks: 0, concurrency: 10, calls: 300 },
  { id: 'json, 100 in flight', chunks: 0, concurrency: 100, calls: 600, memory: true },
  { id: '100-chunk stream, 1 in flight', chunks: 100, concurrency: 1, calls: 50 },
  { id: '100-chunk stream, 10 in flight', chunks: 100, concurrency: 10, calls: 100 },
  { id: '100-chunk stream, 100 in flight', chunks: 100, concurrency: 100, calls: 200, memory: true },
  { id: '20-chunk stream, 10 in flight', chunks: 20, concurrency: 10, calls: 150 },
  { id: '500-chunk stream, 10 in flight', chunks: 500, concurrency: 10, calls: 30 },
];

export interface BenchOptions {
  rounds: number;
  warmup: boolean;
  /** Multiplies every scenario's call count. */
  scale: number;
  /** Overrides every scenario's call count (the smoke test). */
  calls?: number;
  /** Bound on one window (one client, one scenario, one round). */
  timeCapMs: number;
  /**
   * Bound on all the windows together: each window gets at most its share (a warm-up window a quarter of it),
   * so a slow client makes fewer calls rather than a longer run.
   */
  budgetSeconds: number;
  clients: readonly ClientId[];
  framing: { totalBytes: number; repeats: number } | false;
  log?: (line: string) => void;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  rounds: 3,
  warmup: true,
  scale: 1,
  timeCapMs: 8_000,
  budgetSeconds: 150,
  clients: CLIENT_IDS,
  framing: { totalBytes: 2_000_000, repeats: 5 },
};

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  loadAverage: [number, number, number];
  date: string;
  commit: string;
}

export interface Aggregate {
  calls: number;
  failed: number;
  wrong: number;
  firstError?: string;
  p50: number;
  p99: number;
  firstChunkP50: number;
  firstChunkP99: number;
  /** Median over rounds. */
  callsPerSecond: number;
  cpuPerCall: number;
  heapPeakDelta?: number;
  rssPeakDelta?: number;
}

export interface BenchResult {
  machine: Machine;
  options: Omit<BenchOptions, 'log'>;
  seconds: number;
  server: { requests: number; cpuSeconds: number };
  /** scenario id → client → aggregate. */
  results: Record<string, Partial<Record<ClientId, Aggregate>>>;
  framing?: Record<string, Record<FramingParser, number>>;
}

export function machine(): Machine {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: 'pipe',
    }).trim();
  } catch {
    // not a git checkout
  }
  const load = loadavg();
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: [load[0]!, load[1]!, load[2]!],
    date: new Date().toISOString(),
    commit,
  };
}

function aggregate(windows: WindowResult[]): Aggregate {
  const all = (pick: (w: WindowResult) => number[]) => windows.flatMap(pick);
  const calls = windows.reduce((n, w) => n + w.calls, 0);
  const memory = windows.filter((w) => w.heapPeakDelta !== undefined);
  return {
    calls,
    failed: windows.reduce((n, w) => n + w.failed, 0),
    wrong: windows.reduce((n, w) => n + w.wrong, 0),
    firstError: windows.find((w) => w.firstError)?.firstError,
    p50: quantile(
      all((w) => w.latencies),
      0.5,
    ),
    p99: quantile(
      all((w) => w.latencies),
      0.99,
    ),
    firstChunkP50: quantile(
      all((w) => w.firstChunk),
      0.5,
    ),
    firstChunkP99: quantile(
      all((w) => w.firstChunk),
      0.99,
    ),
    callsPerSecond: median(windows.map((w) => w.latencies.length / w.seconds)),
    cpuPerCall: median(windows.map((w) => w.cpuMicros / Math.max(1, w.calls))),
    heapPeakDelta: memory.length ? median(memory.map((w) => w.heapPeakDelta!)) : undefined,
    rssPeakDelta: memory.length ? median(memory.map((w) => w.rssPeakDelta!)) : undefined,
  };
}

export async function runBenchmark(options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? (() => {});
  const started = performance.now();
  const info = machine();
  const server = await startServer();
  const clients = options.clients.map((id) => ({ id, client: CLIENTS[id].create(server.baseURL) }));
  const windows = new Map<string, WindowResult[]>();
  const countOf = (scenario: Scenario) =>
    options.calls ?? Math.max(1, Math.round(scenario.calls * options.scale));
  const windowCount = (options.rounds + (options.warmup ? 0.25 : 0)) * SCENARIOS.length * clients.length;
  const capMs = Math.min(options.timeCapMs, (options.budgetSeconds * 1000) / windowCount);
  try {
    const rounds = [...(options.warmup ? [-1] : []), ...Array.from({ length: options.rounds }, (_, i) => i)];
    for (const round of rounds) {
      const t0 = performance.now();
      for (const scenario of SCENARIOS) {
        const count = round < 0 ? Math.max(20, Math.round(countOf(scenario) / 4)) : countOf(scenario);
        const shift = Math.max(0, round) % clients.length;
        for (const { id, client } of [...clients.slice(shift), ...clients.slice(0, shift)]) {
          const result = await runWindow(client, scenario, count, round < 0 ? capMs / 4 : capMs);
          if (round < 0) continue;
          const key = `${scenario.id}\u0000${id}`;
          windows.set(key, [...(windows.get(key) ?? []), result]);
        }
      }
      log(
        `${round < 0 ? 'warm-up' : `round ${round + 1}/${options.rounds}`}: ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
    }
  } finally {
    await Promise.all(clients.map(({ client }) => client.close().catch(() => {})));
  }
  const serverStats = await server.stats().catch(() => ({ requests: Number.NaN, cpuMicros: Number.NaN }));
  await server.close();

  const results: BenchResult['results'] = {};
  for (const scenario of SCENARIOS) {
    results[scenario.id] = {};
    for (const { id } of clients)
      results[scenario.id]![id] = aggregate(windows.get(`${scenario.id}\u0000${id}`) ?? []);
  }

  let framing: BenchResult['framing'];
  if (options.framing) {
    framing = {};
    for (const readSize of [16 * 1024, 256]) {
      const label = readSize >= 1024 ? `${readSize / 1024} KiB reads` : `${readSize}-byte reads`;
      framing[label] = await runFraming({ ...options.framing, readSize, timeCapMs: 2_000 });
      log(`SSE framing, ${label}: done`);
    }
  }
  const { log: _, ...rest } = options;
  return {
    machine: info,
    options: rest,
    seconds: (performance.now() - started) / 1000,
    server: { requests: serverStats.requests, cpuSeconds: serverStats.cpuMicros / 1e6 },
    results,
    framing,
  };
}

export { FRAMING_PARSERS };
