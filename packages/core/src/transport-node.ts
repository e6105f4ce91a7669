// Selected by the `node` export condition of `@llmo/core/transport`: same API as transport-fetch.ts,
// backed by one shared undici keep-alive pool.
import type { FetchFunction } from './provider-utils/fetch-function.js';
import { createNodeFetch } from './transport/node-fetch.js';

let shared: FetchFunction | undefined;

/** The fetch providers use when none is injected: a shared undici pool on Node. */
export function getDefaultFetch(): FetchFunction {
  shared ??= createNodeFetch();
  return shared;
}

export const transportName: 'undici' | 'fetch' = 'undici';
