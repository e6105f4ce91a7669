import { Agent, fetch as undiciFetch } from 'undici';
import type { FetchFunction } from '../provider-utils/fetch-function.js';

export interface NodeFetchOptions {
  /** Sockets per origin in the keep-alive pool. Default 64. */
  connections?: number;
  /** How long an idle socket stays open. Default 30 s. */
  keepAliveTimeoutMs?: number;
  /** TLS options, e.g. a custom CA bundle (`ca`) or, explicitly, `rejectUnauthorized: false`. */
  tls?: { ca?: string | string[]; rejectUnauthorized?: boolean };
}

/** A fetch with its own undici keep-alive pool; `close()` releases the sockets. Node only. */
export type NodeFetch = FetchFunction & { close(): Promise<void> };

/**
 * A fetch on undici with a tuned keep-alive pool. Node only: reach it through `@llmo/core/node`, or get the
 * shared default through `@llmo/core/transport`, whose `node` export condition selects it automatically.
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const agent = new Agent({
    connections: options.connections ?? 64,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    connect: options.tls,
  });
  const fetch = ((input: string | URL | Request, init?: RequestInit) =>
    undiciFetch(input as never, { ...(init as object), dispatcher: agent } as never)) as unknown as NodeFetch;
  fetch.close = () => agent.close();
  return fetch;
}
