// The default of `@llmo/core/transport`: the runtime's own fetch, for browsers, workers and edge runtimes.
import type { FetchFunction } from './provider-utils/fetch-function.js';

/** The fetch providers use when none is injected: `globalThis.fetch`, looked up per call so polyfills work. */
export function getDefaultFetch(): FetchFunction {
  return (input, init) => globalThis.fetch(input, init);
}

export const transportName: 'undici' | 'fetch' = 'fetch';
