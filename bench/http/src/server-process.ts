// Starts server.ts in a child process (see the comment there for why not a worker thread) and waits for its port.
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ServerProcess {
  baseURL: string;
  port: number;
  child: ChildProcess;
  /** Requests served and the server's own CPU (µs) so far. */
  stats(): Promise<{ requests: number; cpuMicros: number }>;
  close(): Promise<void>;
}

/**
 * The built server (results/build/server.js, written by build.mjs): beside this module once bundled into
 * results/build/main.js, or from the sources (the smoke test) two folders up.
 */
function serverPath(): string {
  const url = import.meta.url.endsWith('.ts')
    ? new URL('../results/build/server.js', import.meta.url)
    : new URL('./server.js', import.meta.url);
  const path = fileURLToPath(url);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`node build.mjs\` in bench/http first`);
  return path;
}

export function startServer({ timeoutMs = 10_000 } = {}): Promise<ServerProcess> {
  const child = fork(serverPath(), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the bench server did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bench server exited with code ${code} before listening`));
    });
    child.once('message', (message: { type?: string; port?: number }) => {
      if (message?.type !== 'listening' || !message.port) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const port = message.port;
      resolve({
        port,
        baseURL: `http://127.0.0.1:${port}/v1`,
        child,
        stats: () =>
          new Promise((done, fail) => {
            const onStats = (reply: { type?: string; requests: number; cpu: NodeJS.CpuUsage }) => {
              if (reply?.type !== 'stats') return;
              child.off('message', onStats);
              done({ requests: reply.requests, cpuMicros: reply.cpu.user + reply.cpu.system });
            };
            child.on('message', onStats);
            if (!child.send({ type: 'stats' })) fail(new Error('the bench server is gone'));
          }),
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            const kill = setTimeout(() => child.kill('SIGKILL'), 2_000);
            child.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            child.disconnect();
          }),
      });
    });
  });
}
