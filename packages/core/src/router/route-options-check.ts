import type { RouteOptions } from './route-options.js';

// The options most calls pass, checked without zod. Anything else (tools, responseFormat, toolChoice,
// providerOptions, maxCost, or an unknown key) goes to `routeOptionsSchema`, built only then.

/** Every own key is a plain enumerable string key (a symbol or non-enumerable key is the schema's to judge). */
const onlyPlainKeys = (v: object) => Reflect.ownKeys(v).length === Object.keys(v).length;
const plainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && onlyPlainKeys(v);
};
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const CAPABILITIES = new Set(['streaming', 'tools', 'jsonSchema']);

/** A copy of an array whose every item passes `check` (holes included, as the schema reads them), or undefined. */
function arrayOf(v: unknown, check: (item: unknown) => boolean): unknown[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const copy = new Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const item = v[i];
    if (!check(item)) return undefined;
    copy[i] = item;
  }
  return copy;
}
const isString = (v: unknown): v is string => typeof v === 'string';

/** A copy of `headers` when it is a plain object of strings, or undefined. */
function headersOf(v: unknown): Record<string, string> | undefined {
  if (!plainObject(v)) return undefined;
  const copy: Record<string, string> = {};
  for (const [name, value] of Object.entries(v)) {
    if (!isString(value)) return undefined;
    copy[name] = value;
  }
  return copy;
}

/** Each common option: the value to keep (a copy for objects and arrays), or `INVALID`. */
const INVALID = Symbol('invalid');
type Check = (v: unknown) => unknown;
const when =
  (ok: (v: unknown) => boolean): Check =>
  (v) =>
    ok(v) ? v : INVALID;
const copied =
  (copy: (v: unknown) => unknown): Check =>
  (v) =>
    copy(v) ?? INVALID;

const CHECKS = new Map<string, Check>([
  ['temperature', when((v) => finite(v) && v >= 0)],
  ['topP', when((v) => finite(v) && v >= 0 && v <= 1)],
  ['maxTokens', when((v) => Number.isSafeInteger(v) && (v as number) > 0)],
  ['seed', when((v) => Number.isSafeInteger(v))],
  ['stop', copied((v) => arrayOf(v, isString))],
  ['signal', when((v) => typeof v === 'object' && v !== null && 'aborted' in v)],
  ['headers', copied(headersOf)],
  ['preferredProvider', when(isString)],
  ['excludeProviders', copied((v) => arrayOf(v, isString))],
  ['requiredCapabilities', copied((v) => arrayOf(v, (c) => typeof c === 'string' && CAPABILITIES.has(c)))],
  ['promptTokens', when((v) => Number.isSafeInteger(v) && (v as number) >= 0)],
  ['timeoutMs', when((v) => finite(v) && v > 0)],
  ['firstChunkTimeoutMs', when((v) => finite(v) && v > 0)],
  ['idleTimeoutMs', when((v) => finite(v) && v >= 0)],
  ['deadlineMs', when((v) => finite(v) && v > 0)],
  ['tenantId', when(isString)],
  ['platformKeyId', when(isString)],
]);

/**
 * The options rebuilt from the values checked (arrays and `headers` copied, so a caller editing them while a
 * request is in flight changes nothing) when every key is one of the common ones above and passes its check;
 * `undefined` otherwise, and then the schema decides (it accepts more, and names what is wrong). Accepts only
 * what `routeOptionsSchema` accepts, which fast-checks.test.ts checks over mutated options.
 */
export function checkRouteOptions(options: object): RouteOptions | undefined {
  if (!plainObject(options)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    const check = CHECKS.get(key);
    if (!check) return undefined;
    if (value === undefined) {
      out[key] = undefined;
      continue;
    }
    const kept = check(value);
    if (kept === INVALID) return undefined;
    out[key] = kept;
  }
  return out as RouteOptions;
}
