/**
 * How a request met the cache: `hit` (exact), `semantic` (a similar request's answer, above the task's
 * threshold), `coalesced` (shared an identical request in flight), `miss`, or `off` (the task does not cache).
 */
export type CacheStatus = 'hit' | 'semantic' | 'coalesced' | 'miss' | 'off';
