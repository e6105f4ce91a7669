// Node only: reached through the `node` export condition of `@llmo/core/transport` (transport-node.ts) and
// through `@llmo/core/node`. undici is an optional peer dependency, loaded with `require` the first time it is
// needed, so an install that never uses it (edge apps, apps that inject `fetch`) does not need it.
import { LlmoError } from '../errors/llmo-error.js';
import type { FetchFunction } from '../provider-utils/fetch-function.js';
import { createRequestFetch, type UndiciRequest } from './request-fetch.js';
import { requireFromHere } from './require-from-here.js';

export interface NodeFetchOptions {
  /** Sockets per origin in the keep-alive pool. Default 64. */
  connections?: number;
  /** How long an idle socket stays open. Default 30 s. */
  keepAliveTimeoutMs?: number;
  /** TLS options, e.g. a custom CA bundle (`ca`) or, explicitly, `rejectUnauthorized: false`. */
  tls?: { ca?: string | string[]; rejectUnauthorized?: boolean };
}

/** A fetch with its own undici keep-alive pool; `close()` releases the sockets. Node only. */
export type NodeFetch = FetchFunction & { close(): Promise<void> };

/** The part of undici this module uses (kept structural, so undici's types never reach our `.d.ts`). */
export interface UndiciModule {
  Agent: new (options: {
    connections?: number;
    keepAliveTimeout?: number;
    connect?: NodeFetchOptions['tls'];
  }) => { close(): Promise<void> };
  fetch: (input: never, init?: never) => Promise<unknown>;
  request: UndiciRequest;
}

/** Returns undici, or undefined when it is not installed. Injectable so tests can simulate its absence. */
export type UndiciLoader = () => UndiciModule | undefined;

let installed: { undici: UndiciModule | undefined } | undefined;

/** undici as the application installed it (resolved from @llmo/core), or undefined; loaded once. */
export const loadInstalledUndici: UndiciLoader = () => {
  if (!installed) {
    try {
      installed = { undici: requireFromHere('undici') as UndiciModule };
    } catch (error) {
      // Only "undici itself is missing" means absent; a broken install of undici still throws.
      const e = error as { code?: string; message?: string };
      if (e.code !== 'MODULE_NOT_FOUND' || !/['"]undici['"]/.test(e.message ?? '')) throw error;
      installed = { undici: undefined };
    }
  }
  return installed.undici;
};

/** undici, or a clear error saying how to get it. */
export function requireUndici(what: string, load: UndiciLoader = loadInstalledUndici): UndiciModule {
  const undici = load();
  if (undici) return undici;
  throw new LlmoError({
    name: 'MissingDependencyError',
    message:
      `${what} needs the optional peer dependency "undici", which is not installed: run \`npm install undici\` ` +
      "(or your package manager's equivalent), or pass a fetch of your own. Providers without an injected " +
      'fetch do not need it: they fall back to globalThis.fetch.',
  });
}

function poolFetch(undici: UndiciModule, options: NodeFetchOptions): NodeFetch {
  const agent = new undici.Agent({
    connections: options.connections ?? 64,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    connect: options.tls,
  });
  const viaFetch = (input: string | URL | Request, init?: RequestInit) =>
    undici.fetch(input as never, { ...(init as object), dispatcher: agent } as never) as Promise<Response>;
  // What providers send goes through `request` (no WHATWG objects per call); anything else through fetch.
  const fetch = createRequestFetch(undici.request, agent, viaFetch) as NodeFetch;
  fetch.close = () => agent.close();
  return fetch;
}

/**
 * A fetch on undici with its own tuned keep-alive pool (and, if asked, its own TLS trust). Node only, from
 * `@llmo/core/node`. Needs `undici` installed (an optional peer dependency); throws a clear error otherwise.
 * Pass it as a provider's `fetch` to use exactly this pool, whatever the process-wide fetch or dispatcher.
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  return poolFetch(requireUndici('createNodeFetch (@llmo/core/node)'), options);
}

// --- The default transport -------------------------------------------------------------------------------

/** Where undici's `setGlobalDispatcher` stores the process-wide dispatcher (Node's own fetch reads it too). */
export const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');
const globalDispatcher = (): unknown => (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER];

/**
 * Whether `f` is Node's built-in fetch. Node defines it in its bootstrap as a small wrapper that lazily loads
 * its bundled undici (Node 18: `lazyUndici()`, Node 20–24: `require('internal/deps/undici/undici')`), so its
 * source names undici; a mock library's replacement or a Proxy around it does not. On a Node whose wrapper
 * looked different, every call would go through globalThis.fetch: correct, only without our pool.
 */
export function isNodeBuiltinFetch(f: unknown): boolean {
  return typeof f === 'function' && /undici/.test(Function.prototype.toString.call(f));
}

// Read when this module loads, before an application usually installs a mock or a dispatcher.
const FETCH_AT_LOAD: unknown = globalThis.fetch;
const DISPATCHER_AT_LOAD: unknown = globalDispatcher();

export interface DefaultNodeFetchOptions {
  /** How undici is loaded. Default: `require('undici')`, undefined when it is not installed. */
  loadUndici?: UndiciLoader;
  /** The pool of the fast path. Default: 64 sockets per origin, 30 s keep-alive. */
  pool?: Omit<NodeFetchOptions, 'tls'>;
  /** The fetch treated as Node's own. Default: globalThis.fetch as it was when this module loaded, if built in. */
  nodeFetch?: FetchFunction;
}

/**
 * The default Node transport: our undici pool, unless the application chose otherwise for the whole process.
 * Decided on every call, in this order:
 * 1. `globalThis.fetch` is not Node's own (msw, nock, `undici.install()`, a test stub): use it.
 * 2. undici is not installed: use Node's own fetch.
 * 3. A global dispatcher was set with undici's `setGlobalDispatcher` (MockAgent, ProxyAgent,
 *    EnvHttpProxyAgent, a composed or custom dispatcher, or any dispatcher set after llmo loaded): use Node's
 *    own fetch, which sends through it exactly as the application's own fetch calls do.
 * 4. Otherwise: the shared undici keep-alive pool (the fast path).
 *
 * The dispatcher undici installs by itself on first load (a plain `Agent`) is not a choice, so it is told
 * apart: the first plain `Agent` seen is taken as that default. A plain `Agent` the application set before
 * llmo's first request looks the same; pass `fetch: globalThis.fetch` to such providers (see the README).
 */
export function createDefaultNodeFetch(options: DefaultNodeFetchOptions = {}): FetchFunction {
  const load = options.loadUndici ?? loadInstalledUndici;
  const nodeFetch =
    options.nodeFetch ?? (isNodeBuiltinFetch(FETCH_AT_LOAD) ? (FETCH_AT_LOAD as FetchFunction) : undefined);
  let state:
    | { undici: UndiciModule | undefined; pool: NodeFetch | undefined; automatic: unknown }
    | undefined;

  const init = () => {
    const before = globalDispatcher();
    const undici = load();
    // Loading undici installs its automatic default dispatcher when none was set: that one is no choice.
    let automatic: unknown;
    if (isPlainAgent(DISPATCHER_AT_LOAD)) automatic = DISPATCHER_AT_LOAD;
    else if (DISPATCHER_AT_LOAD === undefined && (before === undefined || isPlainAgent(before)))
      automatic = globalDispatcher();
    state = { undici, pool: undici && poolFetch(undici, options.pool ?? {}), automatic };
    return state;
  };

  return (input, requestInit) => {
    const current = globalThis.fetch;
    if (typeof current === 'function' && current !== nodeFetch) return current(input, requestInit);
    const { undici, pool, automatic } = state ?? init();
    const dispatcher = globalDispatcher();
    if (pool && (dispatcher === undefined || dispatcher === automatic)) return pool(input, requestInit);
    // Node's own fetch, or undici's where Node has none: both send through the global dispatcher.
    if (typeof current === 'function') return current(input, requestInit);
    if (undici) return undici.fetch(input as never, requestInit as never) as Promise<Response>;
    return Promise.reject(
      new LlmoError({
        name: 'MissingDependencyError',
        message:
          'No fetch: this Node has no globalThis.fetch and undici is not installed. Run `npm install undici`, or pass a fetch.',
      }),
    );
  };
}

function isPlainAgent(dispatcher: unknown): boolean {
  return typeof dispatcher === 'object' && dispatcher !== null && dispatcher.constructor?.name === 'Agent';
}
