import { createNodeFetch, type NodeFetch, requireUndici } from './node-fetch.js';

export interface CustomCaFetchOptions {
  /** PEM text of the CA(s) to trust in addition to the usual ones (e.g. the Russian Trusted Root CA). */
  ca?: string | string[];
  /**
   * Turns certificate verification OFF. Only for local experiments: anyone on the network path can then read
   * keys and prompts. Never the default; it warns every time it is used.
   */
  insecure?: boolean;
  /** Receives the insecure-mode warning. Default: console.warn. */
  onWarning?: (message: string) => void;
  /** Pool size per origin. Default 16. */
  connections?: number;
}

/**
 * A Node fetch (undici pool) that trusts an extra CA bundle, or, only when asked, skips verification with a
 * warning. Used for services whose chain is not in Node's store, such as Sber's GigaChat hosts.
 */
export function createCustomCaFetch(options: CustomCaFetchOptions = {}): NodeFetch {
  requireUndici('createCustomCaFetch (@llmo/core/node)');
  const connections = options.connections ?? 16;
  if (options.insecure) {
    // biome-ignore lint/suspicious/noConsole: the documented default for the insecure-mode warning.
    const warn = options.onWarning ?? ((message: string) => console.warn(message));
    warn(
      '[llmo] TLS certificate verification is DISABLED (insecure: true). Trust the right CA (ca option) in production.',
    );
    return createNodeFetch({ connections, tls: { rejectUnauthorized: false } });
  }
  return createNodeFetch({ connections, tls: options.ca ? { ca: options.ca } : undefined });
}
