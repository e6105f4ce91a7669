// Node only (reached through the `node` condition of @llmo/core/transport and through @llmo/core/node).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

let required: NodeJS.Require | undefined;

/**
 * `require` from @llmo/core's own folder (undici as the application installed it, node:zlib, node:stream),
 * made on first use: `createRequire` initialises Node's CommonJS loader, about 3 ms of a process's start-up
 * that a process which never makes a request should not pay.
 */
export function requireFromHere(id: string): unknown {
  required ??= createRequire(moduleUrl());
  return required(id);
}

/**
 * This module's URL; in a CommonJS bundle of the app (esbuild `format: 'cjs'`, as many Lambda builds are)
 * `import.meta.url` is undefined, and then the app's folder stands in: builtins resolve from anywhere, undici
 * from the app's node_modules (or, not installed, the transport falls back to Node's fetch).
 */
function moduleUrl(): string {
  const url: string | undefined = import.meta.url;
  return typeof url === 'string' && url !== '' ? url : pathToFileURL(`${process.cwd()}/`).href;
}
