// One measured window: `calls` calls of one client, `concurrency` in flight, bounded by count and time.
import type { BenchClient, FirstMark } from './clients.js';
import { expectedText } from './wire.js';

export interface Scenario {
  id: string;
  /** 0 = non-streaming; otherwise the number of content chunks in the stream. */
  chunks: number;
  concurrency: number;
  calls: number;
  /** Sample heap and RSS during the window (every 5 ms). */
  memory?: boolean;
}

export interface WindowResult {
  calls: number;
  /** Calls that threw, and calls whose text differs from the server's. */
  failed: number;
  wrong: number;
  firstError?: string;
  seconds: number;
  /** User + system CPU of this process over the window, µs. */
  cpuMicros: number;
  /** Per successful call, µs. */
  latencies: number[];
  /** Streams only: time to the first text delta, µs. */
  firstChunk: number[];
  /** Peak minus the value at the start of the window (after a GC, when --expose-gc), bytes. */
  heapPeakDelta?: number;
  rssPeakDelta?: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

export async function runWindow(
  client: BenchClient,
  scenario: Scenario,
  calls: number,
  timeCapMs: number,
): Promise<WindowResult> {
  const expected = expectedText(scenario.chunks);
  const latencies: number[] = [];
  const firstChunk: number[] = [];
  let failed = 0;
  let wrong = 0;
  let firstError: string | undefined;
  let started = 0;
  const concurrency = Math.max(1, Math.min(scenario.concurrency, calls));

  gc?.();
  let heapPeak = 0;
  let rssPeak = 0;
  let sampler: ReturnType<typeof setInterval> | undefined;
  const base = scenario.memory ? process.memoryUsage() : undefined;
  if (base) {
    heapPeak = base.heapUsed;
    rssPeak = base.rss;
    sampler = setInterval(() => {
      const now = process.memoryUsage();
      if (now.heapUsed > heapPeak) heapPeak = now.heapUsed;
      if (now.rss > rssPeak) rssPeak = now.rss;
    }, 5);
  }

  const deadline = performance.now() + timeCapMs;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const loop = async () => {
    while (started < calls && performance.now() < deadline) {
      started++;
      const mark: FirstMark = { at: 0 };
      const begin = performance.now();
      try {
        const text =
          scenario.chunks === 0 ? await client.generate() : await client.stream(scenario.chunks, mark);
        const end = performance.now();
        if (text !== expected) wrong++;
        latencies.push((end - begin) * 1000);
        if (scenario.chunks > 0 && mark.at > 0) firstChunk.push((mark.at - begin) * 1000);
      } catch (error) {
        failed++;
        firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (sampler) clearInterval(sampler);

  const result: WindowResult = {
    calls: started,
    failed,
    wrong,
    firstError,
    seconds,
    cpuMicros: cpu.user + cpu.system,
    latencies,
    firstChunk,
  };
  if (base) {
    const end = process.memoryUsage();
    result.heapPeakDelta = Math.max(heapPeak, end.heapUsed) - base.heapUsed;
    result.rssPeakDelta = Math.max(rssPeak, end.rss) - base.rss;
  }
  return result;
}

/** The q-quantile (nearest rank) of unsorted samples; NaN when there are none. */
export function quantile(samples: number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function median(values: number[]): number {
  return quantile(values, 0.5);
}
