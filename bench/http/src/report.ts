// Renders a BenchResult as Markdown: the issue's table (same rows and goals), then further rows (p99,
// memory…), the raw numbers per scenario, and the machine.
import type { Aggregate, BenchResult } from './benchmark.js';
import { CLIENTS, type ClientId } from './clients.js';
import type { FramingParser } from './framing.js';

const num = (value: number, digits: number) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** µs with a precision that suits the size: 2.6, 74, 1,234. */
export function micros(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return Math.abs(value) >= 100 ? num(Math.round(value), 0) : num(value, 1);
}
const signed = (value: number) =>
  !Number.isFinite(value) ? 'n/a' : `${value < 0 ? '−' : '+'}${micros(Math.abs(value))} µs`;
const mib = (bytes: number | undefined) =>
  bytes === undefined || !Number.isFinite(bytes) ? 'n/a' : `${num(bytes / 2 ** 20, 1)} MiB`;
const mbps = (value: number | undefined) => (value === undefined ? 'n/a' : num(value, 0));

interface Row {
  measure: string;
  cell: (client: ClientId) => string;
  goal: string;
}

export function renderMarkdown(result: BenchResult): string {
  const clients = Object.keys(Object.values(result.results)[0] ?? {}) as ClientId[];
  const get = (scenario: string, client: ClientId): Aggregate | undefined =>
    result.results[scenario]?.[client];
  const floor = (scenario: string) => get(scenario, 'floor');

  /** Added over the floor, or the floor's own value in brackets. */
  const added = (scenario: string, pick: (a: Aggregate) => number) => (client: ClientId) => {
    const own = get(scenario, client);
    const base = floor(scenario);
    if (!own) return 'n/a';
    if (client === 'floor') return `0 (${micros(pick(own))} µs)`;
    return base ? signed(pick(own) - pick(base)) : `${micros(pick(own))} µs`;
  };
  const ratio = (scenario: string) => (client: ClientId) => {
    const own = get(scenario, client);
    const base = floor(scenario);
    if (!own) return 'n/a';
    if (client === 'floor') return `1.00 (${num(own.callsPerSecond, 0)}/s)`;
    return base ? num(own.callsPerSecond / base.callsPerSecond, 2) : `${num(own.callsPerSecond, 0)}/s`;
  };
  const value = (scenario: string, pick: (a: Aggregate) => string) => (client: ClientId) => {
    const own = get(scenario, client);
    return own ? pick(own) : 'n/a';
  };
  const slope = (client: ClientId) => {
    const short = get('20-chunk stream, 10 in flight', client);
    const long = get('500-chunk stream, 10 in flight', client);
    return short && long ? `${micros((long.cpuPerCall - short.cpuPerCall) / 480)} µs` : 'n/a';
  };
  const framing = (reads: string) => (client: ClientId) => {
    const f = result.framing?.[reads];
    if (!f) return 'not run';
    const v = (parser: FramingParser) => mbps(f[parser]);
    switch (client) {
      case 'floor':
        return '—';
      case 'openai':
        return `${v('openai')} (as used)`;
      case 'ai-sdk':
        return `${v('eventsource-sync')} (sync) / ${v('eventsource-stream')} (as used)`;
      case 'llmo-provider':
        return `${v('llmo-sync')} (sync) / ${v('llmo-stream')} (as used)`;
      default:
        return '—';
    }
  };

  const J1 = 'json, 1 in flight';
  const J10 = 'json, 10 in flight';
  const J100 = 'json, 100 in flight';
  const S1 = '100-chunk stream, 1 in flight';
  const S100 = '100-chunk stream, 100 in flight';

  const main: Row[] = [
    {
      measure: 'added p50 latency, non-streaming, 1 in flight',
      cell: added(J1, (a) => a.p50),
      goal: '≤ +25 µs',
    },
    { measure: 'throughput vs floor, 100 in flight', cell: ratio(J100), goal: '≥ 0.85' },
    {
      measure: 'client CPU per call, 100 in flight',
      cell: value(J100, (a) => `${micros(a.cpuPerCall)} µs`),
      goal: '≤ 80 µs',
    },
    {
      measure: 'CPU per stream chunk (slope, 20→500 chunks)',
      cell: slope,
      goal: '≤ 3.6 µs (≤ +1 over the floor)',
    },
    {
      measure: 'added time to first chunk, 1 in flight',
      cell: added(S1, (a) => a.firstChunkP50),
      goal: '≤ +50 µs',
    },
    {
      measure: `SSE framing, MB/s (minimal sync parser: ${mbps(result.framing?.['16 KiB reads']?.minimal)})`,
      cell: framing('16 KiB reads'),
      goal: '≥ 250',
    },
  ];
  const more: Row[] = [
    { measure: 'added p99 latency, non-streaming, 1 in flight', cell: added(J1, (a) => a.p99), goal: '—' },
    {
      measure: 'p50 / p99 latency, non-streaming, 100 in flight',
      cell: value(J100, (a) => `${micros(a.p50)} / ${micros(a.p99)} µs`),
      goal: '—',
    },
    { measure: 'throughput vs floor, non-streaming, 10 in flight', cell: ratio(J10), goal: '—' },
    { measure: 'throughput vs floor, 100-chunk streams, 100 in flight', cell: ratio(S100), goal: '—' },
    {
      measure: 'client CPU per 100-chunk stream, 100 in flight',
      cell: value(S100, (a) => `${micros(a.cpuPerCall)} µs`),
      goal: '—',
    },
    {
      measure: 'added p99 time to first chunk, 1 in flight',
      cell: added(S1, (a) => a.firstChunkP99),
      goal: '—',
    },
    {
      measure: 'heap peak over start, 100 in flight: non-streaming / 100-chunk streams',
      cell: (c) => `${mib(get(J100, c)?.heapPeakDelta)} / ${mib(get(S100, c)?.heapPeakDelta)}`,
      goal: '—',
    },
    {
      measure: 'RSS peak over start, 100 in flight: non-streaming / 100-chunk streams',
      cell: (c) => `${mib(get(J100, c)?.rssPeakDelta)} / ${mib(get(S100, c)?.rssPeakDelta)}`,
      goal: '—',
    },
    {
      measure: `SSE framing, MB/s, 256-byte reads (minimal sync parser: ${mbps(result.framing?.['256-byte reads']?.minimal)})`,
      cell: framing('256-byte reads'),
      goal: '—',
    },
    {
      measure: 'failed / wrong calls (all scenarios)',
      cell: (c) => {
        const all = Object.keys(result.results).map((s) => get(s, c));
        const failed = all.reduce((n, a) => n + (a?.failed ?? 0), 0);
        const wrong = all.reduce((n, a) => n + (a?.wrong ?? 0), 0);
        return `${failed} / ${wrong}`;
      },
      goal: '0 / 0',
    },
  ];

  const header = `| measure | ${clients.map((c) => CLIENTS[c].label).join(' | ')} | goal |`;
  const rule = `|---|${clients.map(() => '---|').join('')}---|`;
  const render = (rows: Row[]) =>
    rows.map((r) => `| ${r.measure} | ${clients.map(r.cell).join(' | ')} | ${r.goal} |`);

  const raw = [
    '| scenario | client | calls | p50 µs | p99 µs | calls/s | CPU/call µs | first chunk p50 µs |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [scenario, byClient] of Object.entries(result.results)) {
    for (const client of clients) {
      const a = byClient[client];
      if (!a) continue;
      raw.push(
        `| ${scenario} | ${CLIENTS[client].label} | ${a.calls} | ${micros(a.p50)} | ${micros(a.p99)} | ${num(a.callsPerSecond, 0)} | ${micros(a.cpuPerCall)} | ${Number.isFinite(a.firstChunkP50) ? micros(a.firstChunkP50) : '—'} |`,
      );
    }
  }
  const errors = clients.flatMap((c) =>
    Object.entries(result.results)
      .filter(([, byClient]) => byClient[c]?.firstError)
      .map(([s, byClient]) => `- ${CLIENTS[c].label}, ${s}: ${byClient[c]!.firstError}`),
  );

  const m = result.machine;
  const o = result.options;
  return [
    '# HTTP hot path: llmo against raw undici, the openai SDK and the AI SDK',
    '',
    `Machine: ${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}; load average at start ` +
      `${m.loadAverage.map((l) => l.toFixed(2)).join(' / ')}; ${m.date}; commit ${m.commit}.`,
    `Run: ${o.rounds} round(s)${o.warmup ? ' after a warm-up round' : ''}, counts × ${o.scale}` +
      `${o.calls !== undefined ? ` (every count ${o.calls})` : ''}, windows capped at their share of ${o.budgetSeconds} s; ` +
      `${result.seconds.toFixed(0)} s in all; ` +
      `the server (its own process) served ${result.server.requests.toLocaleString('en-US')} requests ` +
      `with ${result.server.cpuSeconds.toFixed(1)} s of CPU.`,
    '',
    header,
    rule,
    ...render(main),
    '',
    'More:',
    '',
    header,
    rule,
    ...render(more),
    '',
    'Latency and first chunk: percentiles over all rounds; calls/s and CPU per call: median of the rounds.',
    'CPU per stream chunk: at 10 in flight. SSE framing: 16 KiB reads (256-byte reads below), same bytes for all.',
    'CPU is this process (user + system) over the window divided by the calls; the server is another process.',
    '',
    '<details><summary>Every scenario</summary>',
    '',
    ...raw,
    '',
    '</details>',
    ...(errors.length ? ['', 'First error per client and scenario:', '', ...errors] : []),
    '',
  ].join('\n');
}
