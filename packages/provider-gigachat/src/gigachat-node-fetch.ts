import { createNodeFetch, type NodeFetch } from '@llmo/core/node';

export interface GigaChatFetchOptions {
  /**
   * PEM text of the CA(s) to trust, e.g. the Russian Trusted Root CA from https://www.gosuslugi.ru/crt.
   * Both hosts (ngw.devices.sberbank.ru:9443 and gigachat.devices.sberbank.ru) need it.
   */
  ca?: string | string[];
  /**
   * Turns certificate verification OFF. Only for local experiments: anyone on the network path can then read
   * your key and your prompts. Never the default; it logs a warning every time it is used.
   */
  insecure?: boolean;
  /** Receives the insecure-mode warning. Default: console.warn. */
  onWarning?: (message: string) => void;
  /** Pool size per origin. Default 16. */
  connections?: number;
}

/**
 * A Node fetch for GigaChat's hosts, on an undici pool that trusts the given CA bundle (Node-only; import
 * from `@llmo/provider-gigachat/node`). Pass it as `fetch` to `createGigaChat`.
 */
export function createGigaChatFetch(options: GigaChatFetchOptions = {}): NodeFetch {
  if (options.insecure) {
    // biome-ignore lint/suspicious/noConsole: the documented default for the insecure-mode warning.
    const warn = options.onWarning ?? ((message: string) => console.warn(message));
    warn(
      '[llmo] GigaChat TLS certificate verification is DISABLED (insecure: true). Use the Russian Trusted Root CA (ca option) in production.',
    );
    return createNodeFetch({ connections: options.connections ?? 16, tls: { rejectUnauthorized: false } });
  }
  return createNodeFetch({
    connections: options.connections ?? 16,
    tls: options.ca ? { ca: options.ca } : undefined,
  });
}
