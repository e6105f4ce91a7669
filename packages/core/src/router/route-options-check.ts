import type { RouteOptions } from './route-options.js';

// The options most calls pass, checked without zod. Anything else (tools, responseFormat, toolChoice,
// providerOptions, maxCost, or an unknown key) goes to `routeOptionsSchema`, built only then.

const optional =
  (check: (v: unknown) => boolean) =>
  (v: unknown): boolean =>
    v === undefined || check(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const string = (v: unknown) => typeof v === 'string';
/** Not `Array.prototype.every`, which skips the holes of a sparse array (the schema does not). */
const arrayOf = (check: (v: unknown) => boolean) => (v: unknown) => {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!check(v[i])) return false;
  return true;
};
const strings = arrayOf(string);
const plainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};
const CAPABILITIES = new Set(['streaming', 'tools', 'jsonSchema']);

const CHECKS = new Map<string, (v: unknown) => boolean>([
  ['temperature', optional((v) => finite(v) && v >= 0)],
  ['topP', optional((v) => finite(v) && v >= 0 && v <= 1)],
  ['maxTokens', optional((v) => Number.isSafeInteger(v) && (v as number) > 0)],
  ['seed', optional((v) => Number.isSafeInteger(v))],
  ['stop', optional(strings)],
  ['signal', optional((v) => typeof v === 'object' && v !== null && 'aborted' in v)],
  ['headers', optional((v) => plainObject(v) && Object.values(v).every(string))],
  ['preferredProvider', optional(string)],
  ['excludeProviders', optional(strings)],
  ['requiredCapabilities', optional(arrayOf((c) => typeof c === 'string' && CAPABILITIES.has(c)))],
  ['timeoutMs', optional((v) => finite(v) && v > 0)],
  ['firstChunkTimeoutMs', optional((v) => finite(v) && v > 0)],
  ['idleTimeoutMs', optional((v) => finite(v) && v >= 0)],
  ['deadlineMs', optional((v) => finite(v) && v > 0)],
  ['tenantId', optional(string)],
  ['platformKeyId', optional(string)],
]);

/**
 * The options copied when every key is one of the common ones above and passes its check; `undefined`
 * otherwise, and then the schema decides (it accepts more, and names what is wrong). Accepts only what
 * `routeOptionsSchema` accepts, which route-options-check.test.ts checks over mutated options.
 */
export function checkRouteOptions(options: object): RouteOptions | undefined {
  if (!plainObject(options)) return undefined;
  for (const [key, value] of Object.entries(options)) {
    const check = CHECKS.get(key);
    if (!check?.(value)) return undefined;
  }
  return { ...options } as RouteOptions;
}
