// `@llmo/core/node`: Node-only helpers. Never imported by the main or provider entries. They need the optional
// peer dependency `undici` (`npm install undici`) and say so clearly when it is missing.
export { type CustomCaFetchOptions, createCustomCaFetch } from './transport/custom-ca-fetch.js';
export { createNodeFetch, type NodeFetch, type NodeFetchOptions } from './transport/node-fetch.js';
