// Runs edge bundles in the two runtimes: Vercel's edge-runtime (a VM context with the Edge Runtime's
// primitives, in this process) and Cloudflare's workerd (its own process, from the `workerd` npm package).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EdgeRuntime } from 'edge-runtime';

/** Sends one request to an app and returns its status and body. */
export type Dispatch = (body: unknown) => Promise<{ status: number; body: string }>;

/**
 * edge-runtime: the bundle (a classic script, as the Edge Runtime evaluates) registers a `fetch` listener,
 * and each request goes through `dispatchFetch`, as `edge-runtime`'s own server does.
 */
export function startEdgeRuntime(script: string): Dispatch {
  const runtime = new EdgeRuntime({ initialCode: script });
  return async (body) => {
    const response = await runtime.dispatchFetch('http://edge.test/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    await response.waitUntil();
    return { status: response.status, body: text };
  };
}

const workerdPackage = createRequire(import.meta.url)('workerd') as {
  default: string;
  compatibilityDate: string;
  version: string;
};

/** The pinned workerd's binary (from its platform package), its newest compatibility date and version. */
export const WORKERD = {
  binary: workerdPackage.default,
  compatibilityDate: workerdPackage.compatibilityDate,
  version: workerdPackage.version,
};

export interface WorkerdInstance {
  /** One dispatcher per worker, by name. */
  apps: Record<string, Dispatch>;
  /** What workerd printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Node compatibility, which workerd turns on by default from some compatibility date on (it then has
 * `process` and `Buffer`), is switched off: the packages claim to run without it.
 */
const NO_NODE = '"no_nodejs_compat", "no_nodejs_compat_v2"';

/**
 * Starts one workerd process serving each ES-module bundle as its own worker on its own socket
 * (127.0.0.1, port chosen by the OS and reported on the control fd). The workers have the newest compatibility
 * date of the pinned workerd with Node compatibility off (`NO_NODE`), and a global outbound that may reach only
 * local addresses: workerd's default `internet` service refuses 127.0.0.1, where the fake servers are.
 */
export async function startWorkerd(
  modules: Record<string, string>,
  { startTimeoutMs = 20_000 } = {},
): Promise<WorkerdInstance> {
  const dir = await mkdtemp(join(tmpdir(), 'llmo-workerd-'));
  const names = Object.keys(modules);
  for (const name of names) await writeFile(join(dir, `${name}.js`), modules[name]!);
  const config = `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
${names
  .map(
    (name) =>
      `    (name = "${name}", worker = (modules = [(name = "${name}.js", esModule = embed "${name}.js")], compatibilityDate = "${WORKERD.compatibilityDate}", compatibilityFlags = [${NO_NODE}], globalOutbound = "loopback")),`,
  )
  .join('\n')}
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [
${names.map((name) => `    (name = "${name}", address = "127.0.0.1:0", http = (), service = "${name}"),`).join('\n')}
  ],
);
`;
  await writeFile(join(dir, 'config.capnp'), config);

  const child = spawn(WORKERD.binary, ['serve', join(dir, 'config.capnp'), '--control-fd=3'], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });

  const stop = async () => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };

  let ports: Record<string, number>;
  try {
    ports = await listenPorts(child, names, startTimeoutMs, () => output);
  } catch (error) {
    await stop();
    throw error;
  }

  const apps: Record<string, Dispatch> = {};
  for (const name of names) {
    apps[name] = async (body) => {
      const response = await fetch(`http://127.0.0.1:${ports[name]}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      return { status: response.status, body: await response.text() };
    };
  }
  return { apps, output: () => output, stop };
}

/** Reads workerd's `{"event":"listen","socket":…,"port":…}` lines until every socket is listening. */
function listenPorts(
  child: ChildProcess,
  names: string[],
  timeoutMs: number,
  output: () => string,
): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const ports: Record<string, number> = {};
    let buffered = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`workerd ${why}:\n${output()}`));
    };
    const timer = setTimeout(() => fail(`did not listen within ${timeoutMs} ms`), timeoutMs);
    child.once('error', (error) => fail(`could not start (${error.message})`));
    child.once('exit', (code, signal) => fail(`exited before listening (code ${code}, signal ${signal})`));
    const control = child.stdio[3] as NodeJS.ReadableStream;
    control.setEncoding('utf8');
    control.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const event = JSON.parse(line) as { event?: string; socket?: string; port?: number };
        if (event.event === 'listen' && event.socket && event.port) ports[event.socket] = event.port;
      }
      if (names.every((name) => ports[name])) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(ports);
      }
    });
  });
}

/** SIGTERM, then SIGKILL if it is still there after 5 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
