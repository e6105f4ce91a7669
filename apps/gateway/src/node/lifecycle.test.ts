// The CLI as a real child process: SIGHUP reloads the configuration without dropping requests (provider
// metrics kept), SIGTERM stops accepting, lets the stream in flight finish, flushes usage, and exits 0.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'llmo-gateway-life-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

const config = (dir: string, providers: string) => `
router:
  strategy: first-available
  retry: { maxRetries: 0, maxPasses: 1 }
providers:
${providers}
usage:
  costLog: ${join(dir, 'cost.jsonl')}
gateway:
  logs: { dir: ${join(dir, 'logs')} }
  limits: { shutdownTimeoutMs: 15000 }
`;
const A = '  - { name: a, type: mock, model: mock-normal, latencyMs: 0, chunkDelayMs: 40 }';
const B = '  - { name: b, type: mock, model: mock-normal, latencyMs: 0, chunkDelayMs: 0 }';

interface Child {
  process: ChildProcess;
  url: string;
  stdout: () => string;
  exited: Promise<number | null>;
}

async function startCli(dir: string): Promise<Child> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, '--config', join(dir, 'llmo.yaml'), '--port', '0'],
    {
      // The package's folder, where `tsx` resolves; every path in the configuration is absolute.
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the gateway did not start: ${err}`)), 60_000);
    child.stderr?.on('data', (d) => {
      err += d;
      const match = /listening on (http:\/\/[^\s]+)/.exec(err);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', () => reject(new Error(`the gateway exited: ${err}`)));
  });
  return { process: child, url, stdout: () => out, exited };
}

const chat = (url: string, model: string, message = 'hi') =>
  fetch(`${url}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message, model }),
  });

/** A stream that takes a while: the mock streams one word per 40 ms. */
const LONG = Array.from({ length: 25 }, (_, i) => `word${i}`).join(' ');
async function startStream(url: string) {
  const res = await fetch(`${url}/chat/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: LONG, model: 'a' }),
  });
  const reader = res.body!.getReader();
  const first = await reader.read();
  const rest = (async () => {
    let text = new TextDecoder().decode(first.value);
    for (let i = 0; i < 1000; i++) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    return text;
  })();
  return { status: res.status, rest };
}

const deltas = (sse: string) =>
  sse
    .split('\n\n')
    .filter((e) => e.startsWith('data: {"delta"'))
    .map((e) => JSON.parse(e.slice(6)).delta)
    .join('');

async function poll<T>(fn: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (let i = 0; i < 3000 && Date.now() < deadline; i++) {
    const value = await fn();
    if (ok(value)) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('llmo-gateway as a process', () => {
  it('SIGHUP reloads providers without dropping requests; metrics of providers that stay are kept', async () => {
    const dir = join(root, 'reload');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'llmo.yaml'), config(dir, A));
    const gw = await startCli(dir);
    for (let i = 0; i < 3; i++) expect((await chat(gw.url, 'a')).status).toBe(200);
    const stream = await startStream(gw.url);
    expect(stream.status).toBe(200);

    writeFileSync(join(dir, 'llmo.yaml'), config(dir, `${A}\n${B}`));
    gw.process.kill('SIGHUP');
    // Requests keep being answered while the reload happens.
    const during = await Promise.all(Array.from({ length: 20 }, () => chat(gw.url, 'a')));
    expect(during.map((r) => r.status)).toEqual(Array(20).fill(200));
    const models = await poll(
      async () => (await (await fetch(`${gw.url}/v1/models`)).json()) as { data: { id: string }[] },
      (m) => m.data.some((x) => x.id === 'b'),
      'provider b after the reload',
    );
    expect(models.data.map((m) => m.id)).toContain('a');
    expect((await (await chat(gw.url, 'b')).json()).provider).toBe('b');
    // The stream that started before the reload finished whole.
    expect(deltas(await stream.rest)).toBe(`Mock response to: ${LONG}`);
    const stats = await (await fetch(`${gw.url}/stats`)).json();
    expect(stats.providers.a.total_requests).toBeGreaterThanOrEqual(3 + 20 + 1);
    expect(gw.stdout()).toContain('"event":"config_reloaded"');

    // A broken file is refused and the running configuration stays.
    writeFileSync(join(dir, 'llmo.yaml'), 'providers: [ { name: a, type: nope } ]\n');
    gw.process.kill('SIGHUP');
    await poll(
      async () => gw.stdout(),
      (o) => o.includes('config_reload_failed'),
      'the reload failure',
    );
    expect((await chat(gw.url, 'b')).status).toBe(200);

    gw.process.kill('SIGTERM');
    expect(await gw.exited).toBe(0);
  }, 120_000);

  it('SIGTERM: stops accepting, finishes the stream in flight, flushes usage, exits 0', async () => {
    const dir = join(root, 'term');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'llmo.yaml'), config(dir, A));
    const gw = await startCli(dir);
    for (let i = 0; i < 5; i++) expect((await chat(gw.url, 'a')).status).toBe(200);
    const stream = await startStream(gw.url);
    gw.process.kill('SIGTERM');
    // New connections are refused once the server stops listening.
    await poll(
      () =>
        fetch(`${gw.url}/health`).then(
          () => 'open',
          () => 'refused',
        ),
      (s) => s === 'refused',
      'the listener to close',
    );
    // The stream in flight still ends whole, with [DONE].
    const text = await stream.rest;
    expect(deltas(text)).toBe(`Mock response to: ${LONG}`);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(await gw.exited).toBe(0);
    // Every request's usage record reached the cost log before the exit.
    const usage = readFileSync(join(dir, 'cost.jsonl'), 'utf8').trim().split('\n');
    expect(usage).toHaveLength(6);
    const lines = gw
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ event: 'gateway_stopped', drained: true });
    expect(lines.filter((l) => l.msg === 'request_completed')).toHaveLength(6);
  }, 120_000);

  it('SIGTERM past shutdownTimeoutMs: requests still running are aborted, each keeps its log line and usage record', async () => {
    const dir = join(root, 'cut');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    // An upstream that takes the request and never answers: the gateway's answer is still pending at SIGTERM.
    let seen = 0;
    const upstream = createServer((req) => {
      seen++;
      req.resume();
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    const slow = `  - { name: slow, type: openai, model: m, baseURL: "http://127.0.0.1:${port}/v1", apiKey: x }`;
    const long = '  - { name: long, type: mock, model: mock-normal, latencyMs: 0, chunkDelayMs: 1000 }';
    writeFileSync(
      join(dir, 'llmo.yaml'),
      config(dir, `${A}\n${slow}\n${long}`).replace('shutdownTimeoutMs: 15000', 'shutdownTimeoutMs: 200'),
    );
    const gw = await startCli(dir);
    // An answer that never comes in time, and a stream far longer than the grace period (a word a second).
    const pending = chat(gw.url, 'slow');
    await poll(
      async () => seen,
      (n) => n > 0,
      'the upstream to receive the request',
    );
    const res = await fetch(`${gw.url}/chat/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: Array(100).fill('w').join(' '), model: 'long' }),
    });
    const reader = res.body!.getReader();
    let text = new TextDecoder().decode((await reader.read()).value);
    gw.process.kill('SIGTERM');
    for (let i = 0; i < 10_000; i++) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain('"code":"shutting_down"');
    const answer = await pending;
    expect(answer.status).toBe(503);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('shutting_down');
    await gw.exited;
    const lines = gw
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const requests = lines.filter((l) => l.path === '/chat/stream' || l.path === '/chat');
    expect(
      lines.filter((l) => l.path),
      gw.stdout(),
    ).toHaveLength(2);
    expect(requests.every((l) => l.error_kind === 'shutdown')).toBe(true);
    // Both cut requests' usage records reached the cost log before the exit.
    const usage = readFileSync(join(dir, 'cost.jsonl'), 'utf8').trim().split('\n').filter(Boolean);
    expect(usage.map((u) => JSON.parse(u).provider).sort()).toEqual(['long', 'slow']);
    upstream.closeAllConnections();
    upstream.close();
  }, 120_000);
});
