import { type CustomCaFetchOptions, createCustomCaFetch, type NodeFetch } from '@llmo/core/node';

export interface GigaChatFetchOptions extends CustomCaFetchOptions {
  /**
   * PEM text of the CA(s) to trust: the Russian Trusted Root CA from https://www.gosuslugi.ru/crt. Both hosts
   * (ngw.devices.sberbank.ru:9443 and gigachat.devices.sberbank.ru) need it.
   */
  ca?: string | string[];
}

/**
 * A Node fetch for GigaChat's hosts, on an undici pool that trusts the given CA bundle (Node-only; import from
 * `@llmo/provider-gigachat/node`). `insecure: true` turns verification off, with a warning. Pass it as `fetch`.
 */
export function createGigaChatFetch(options: GigaChatFetchOptions = {}): NodeFetch {
  return createCustomCaFetch(options);
}
