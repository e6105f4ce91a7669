import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1 (bound, read, released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface PrometheusServer {
  url: string;
  /** Runs a PromQL instant query through the HTTP API; rejects with Prometheus's error text. */
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** Polls `expr` until `done(result)` holds, at most `timeoutMs`; returns the last result. */
  waitFor(
    expr: string,
    done: (result: Awaited<ReturnType<PrometheusServer['query']>>) => boolean,
    timeoutMs?: number,
  ): Promise<Awaited<ReturnType<PrometheusServer['query']>>>;
  stop(): Promise<void>;
}

/**
 * Starts Debian's `prometheus` on 127.0.0.1 with a temporary config that scrapes `target` every second, and a
 * temporary TSDB. Resolves once `/-/ready` answers.
 */
export async function startPrometheus(target: string): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), 'llmo-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  await writeFile(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: llmo',
      '    metrics_path: /metrics',
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const collect = (data: Buffer) => {
    output += data;
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited with ${child.exitCode}:\n${output}`);
    }
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not become ready in 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  const query: PrometheusServer['query'] = async (expr) => {
    const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: expr })}`);
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data?: { resultType: string; result: unknown };
    };
    if (body.status !== 'success') throw new Error(`PromQL ${expr}: ${body.error}`);
    const result = body.data!.result;
    // Scalars come back as [t, v]; vectors as a list of series.
    return body.data!.resultType === 'scalar'
      ? [{ metric: {}, value: result as [number, string] }]
      : (result as { metric: Record<string, string>; value: [number, string] }[]);
  };

  return {
    url,
    query,
    async waitFor(expr, done, timeoutMs = 30_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const result = await query(expr);
        if (done(result) || Date.now() > end) return result;
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    stop,
  };
}
