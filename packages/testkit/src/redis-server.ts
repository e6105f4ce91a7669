import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A `redis-server` this process started (see `startRedis`). */
export interface RedisTestServer {
  /** `redis://127.0.0.1:<port>`, for ioredis or any client. */
  readonly url: string;
  readonly port: number;
  /** Sends one command over a fresh connection and resolves with the raw RESP reply (tests' own checks). */
  command(...args: string[]): Promise<string>;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** Extra `redis-server` arguments, e.g. `['--maxmemory', '10mb']`. */
  args?: string[];
  /** How long to wait for the server to answer PING. Default 20 s. */
  timeoutMs?: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Encodes a command as a RESP array of bulk strings. */
function encode(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/** One command on a fresh connection; resolves with whatever arrived until the server's first reply ended. */
function sendCommand(port: number, args: readonly string[], timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`redis ${args[0]}: no reply within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(encode(args)));
    socket.on('data', (data: string) => {
      reply += data;
      // Simple replies (+OK, -ERR, :1) end at their first CRLF; good enough for the tests' own checks.
      if (reply.endsWith('\r\n')) {
        clearTimeout(timer);
        socket.end();
        resolve(reply);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Servers still running, stopped when the process exits (a crashed test must not leave one behind). */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Starts Debian's `redis-server` (installed by `scripts/ensure-redis.mjs`) on 127.0.0.1 and a free port, with
 * no persistence (`--save ""`, no AOF) in a temporary directory, and waits until it answers PING.
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisTestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'llmo-redis-'));
  const port = await freePort();
  let output = '';
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const server of running) server.kill('SIGKILL');
    });
  }
  const collect = (data: Buffer) => {
    output = (output + data).slice(-4_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      running.delete(child);
      await rm(dir, { recursive: true, force: true });
    })();
    return stopped;
  };

  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const failed = await Promise.race([spawnError, new Promise<undefined>((r) => setTimeout(r, 50))]);
    if (failed) {
      await stop();
      throw new Error(
        `could not start redis-server (${failed.message}); run \`node scripts/ensure-redis.mjs\` to install it`,
      );
    }
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`redis-server exited with ${child.exitCode}:\n${output}`);
    }
    const pong = await sendCommand(port, ['PING'], 1_000).catch(() => '');
    if (pong.startsWith('+PONG')) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `redis-server did not answer PING within ${options.timeoutMs ?? 20_000} ms:\n${output}`,
      );
    }
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    command: (...args) => sendCommand(port, args),
    stop,
  };
}
