// Node only (reached through the `node` condition of @llmo/core/transport and through @llmo/core/node).
import { createRequire } from 'node:module';

let required: NodeJS.Require | undefined;

/**
 * `require` from @llmo/core's own folder (undici as the application installed it, node:zlib, node:stream),
 * made on first use: `createRequire` initialises Node's CommonJS loader, about 3 ms of a process's start-up
 * that a process which never makes a request should not pay.
 */
export function requireFromHere(id: string): unknown {
  required ??= createRequire(import.meta.url);
  return required(id);
}
