import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { UsageRecord } from '@llmo/core';
import { type RunningGateway, startGateway } from './node.js';

export interface TestGateway {
  running: RunningGateway;
  url: string;
  dir: string;
  /** Every stdout log line so far, parsed. */
  lines(): Record<string, unknown>[];
  /** The raw stdout text so far. */
  stdout(): string;
  /** Usage records the router delivered. */
  usage: UsageRecord[];
  close(): Promise<void>;
}

/**
 * Starts the real gateway (startGateway: config file, pino, router, Node server on 127.0.0.1:0) from YAML text,
 * with stdout captured and usage records collected through the router's usage callback.
 */
export async function startTestGateway(yaml: string, env: Record<string, string> = {}): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'llmo-gateway-'));
  const path = join(dir, 'llmo.yaml');
  writeFileSync(path, yaml.replaceAll('__LOGS__', join(dir, 'logs')));
  let out = '';
  const stdout = new Writable({
    write(chunk, _enc, cb) {
      out += chunk.toString();
      cb();
    },
  });
  const usage: UsageRecord[] = [];
  const running = await startGateway({
    configPath: path,
    port: 0,
    host: '127.0.0.1',
    env,
    stdout,
    routerOptions: {
      router: {
        usageCallback: async (record) => {
          usage.push(record);
        },
      },
    },
  });
  return {
    running,
    url: running.url,
    dir,
    stdout: () => out,
    lines: () =>
      out
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    usage,
    async close() {
      await running.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns true; bounded (count and time), never a fixed sleep as the assertion. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 10_000; i++) {
    if (check()) return;
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
