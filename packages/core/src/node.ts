// `@llmo/core/node`: Node-only helpers. Never imported by the main or provider entries.
export { createNodeFetch, type NodeFetch, type NodeFetchOptions } from './transport/node-fetch.js';
