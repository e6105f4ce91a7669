// `@llmo/provider-gigachat/node`: Node-only TLS setup (custom CA bundle, or an explicit insecure switch).
export { createGigaChatFetch, type GigaChatFetchOptions } from './gigachat-node-fetch.js';
