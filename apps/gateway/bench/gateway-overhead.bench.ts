// The gateway's added latency: a fake OpenAI-compatible upstream on 127.0.0.1 called directly, and through the
// gateway (the built CLI, in its own process), non-streaming and streaming, at 1, 10 and 100 requests in
// flight, interleaved in the same run. Prints a Markdown table. Bounded: each window stops at its request
// count or its time budget, whichever comes first.
//   pnpm --filter @llmo/gateway run bench [--scale 0.5] [--budget 8]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { scale: { type: 'string', default: '1' }, budget: { type: 'string', default: '10' } },
});
const scale = Number(values.scale);
const budgetMs = Number(values.budget) * 1000;
const here = fileURLToPath(new URL('.', import.meta.url));

function startChild(
  args: string[],
  ready: RegExp,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d;
      const match = ready.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', () => reject(new Error(`exited: ${out}`)));
  });
}

/** utime + stime of a process, in ms (Linux /proc; clock ticks are 100 Hz there). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const body = (stream: boolean) =>
  JSON.stringify({
    model: 'auto',
    messages: [{ role: 'user', content: 'Say something short.' }],
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });

function call(agent: Agent, port: number, path: string, payload: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(performance.now() - started)
            : reject(new Error(`status ${res.statusCode}`)),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function window(port: number, path: string, stream: boolean, concurrency: number, count: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const payload = body(stream);
  const latencies: number[] = [];
  const deadline = Date.now() + budgetMs;
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < count && Date.now() < deadline) {
        sent++;
        latencies.push(await call(agent, port, path, payload));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), throughput: latencies.length / seconds, n: latencies.length };
}

const dir = mkdtempSync(join(tmpdir(), 'llmo-gateway-bench-'));
const upstream = await startChild([join(here, 'fake-upstream.mjs')], /^(\d+)\n/);
const upstreamPort = Number(upstream.match[1]);
writeFileSync(
  join(dir, 'llmo.yaml'),
  `router:
  retry: { maxRetries: 0 }
providers:
  - { name: upstream, type: openai, model: bench-model, baseURL: "http://127.0.0.1:${upstreamPort}/v1" }
gateway:
  logs: { dir: ${join(dir, 'logs')}, stdout: false, file: true }
`,
);
const gateway = await startChild(
  [join(here, '..', 'dist', 'cli.js'), '--config', join(dir, 'llmo.yaml'), '--port', '0'],
  /listening on http:\/\/127\.0\.0\.1:(\d+)/,
);
const gatewayPort = Number(gateway.match[1]);
const gatewayPid = gateway.child.pid as number;

const rows: string[] = [];
const us = (ms: number) => `${Math.round(ms * 1000).toLocaleString('en')} µs`;
try {
  // Warm-up: JIT, connection pools on both hops.
  await window(upstreamPort, '/v1/chat/completions', false, 10, Math.round(500 * scale));
  await window(gatewayPort, '/v1/chat/completions', false, 10, Math.round(500 * scale));
  await window(gatewayPort, '/v1/chat/completions', true, 10, Math.round(500 * scale));
  for (const stream of [false, true]) {
    for (const concurrency of [1, 10, 100]) {
      const count = Math.round((concurrency === 1 ? 1500 : 4000) * scale);
      const direct = await window(upstreamPort, '/v1/chat/completions', stream, concurrency, count);
      const cpuBefore = cpuMs(gatewayPid);
      const through = await window(gatewayPort, '/v1/chat/completions', stream, concurrency, count);
      const cpuPerRequest = (cpuMs(gatewayPid) - cpuBefore) / through.n;
      rows.push(
        `| ${stream ? 'stream' : 'JSON'} | ${concurrency} | ${us(direct.p50)} / ${us(direct.p99)} | ${us(through.p50)} / ${us(through.p99)} | **+${us(through.p50 - direct.p50)}** / +${us(through.p99 - direct.p99)} | ${Math.round(direct.throughput)}/s → ${Math.round(through.throughput)}/s | ${us(cpuPerRequest)} | ${direct.n} / ${through.n} |`,
      );
    }
  }
} finally {
  gateway.child.kill('SIGTERM');
  upstream.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')} (at the end)\n`,
);
console.log(
  '| body | in flight | direct p50 / p99 | through the gateway p50 / p99 | added p50 / p99 | throughput direct → gateway | gateway CPU per request | requests (direct / gateway) |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
