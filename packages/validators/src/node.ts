// `@llmo/validators/node`: Node-only TLS for GigaChat's hosts (the Russian Trusted Root CA, or an explicit
// insecure mode that warns). The main entry stays edge-safe.
export {
  type CustomCaFetchOptions as GigaChatFetchOptions,
  createCustomCaFetch as createGigaChatFetch,
} from '@llmo/core/node';
