// Selected by the `node` export condition of `@llmo/core/transport`: same API as transport-fetch.ts. The
// default is a shared undici keep-alive pool, unless the application replaced globalThis.fetch or set a global
// dispatcher (then that is used), or undici is not installed (then Node's own fetch). See transport/node-fetch.ts.
import type { FetchFunction } from './provider-utils/fetch-function.js';
import { createDefaultNodeFetch } from './transport/node-fetch.js';

let shared: FetchFunction | undefined;

/**
 * The fetch providers use when none is injected. On Node: a shared undici pool, except that a replaced
 * `globalThis.fetch` (msw, nock, a test stub) or a dispatcher set with undici's `setGlobalDispatcher`
 * (MockAgent, ProxyAgent…) is honoured, checked on every call; without undici installed, `globalThis.fetch`.
 */
export function getDefaultFetch(): FetchFunction {
  shared ??= createDefaultNodeFetch();
  return shared;
}

export const transportName: 'undici' | 'fetch' = 'undici';
