import * as z from 'zod/mini';
import type { ModelPricing } from '../spec/model-pricing.js';
import type { ProviderCapabilities } from '../spec/provider-v1.js';
import type { FetchFunction } from './fetch-function.js';

/**
 * How a bad value reads in a settings error: numbers and booleans as they are, everything else by its type.
 * Strings are never shown: a misplaced API key must not end up in a log.
 */
export function describeInput(input: unknown, options?: { secret?: boolean }): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  switch (typeof input) {
    case 'number':
      return options?.secret ? 'a number' : String(input);
    case 'boolean':
      return String(input);
    case 'string':
      return input === '' ? 'an empty string' : 'a string';
    case 'function':
      return 'a function';
    case 'object':
      return 'an object';
    case 'undefined':
      return 'nothing';
    default:
      return `a ${typeof input}`;
  }
}

/**
 * An error message for a settings field: `must be <text>; got <what was given>`, or `is required: <text>`
 * when nothing was given. Use it as the `error` of a field's schema; the path is added by the formatter.
 * With `secret`, a number given is described as "a number", not shown.
 */
export function settingError(text: string, options?: { secret?: boolean }) {
  return (issue: { input?: unknown }): string =>
    issue.input === undefined
      ? `is required: ${text}`
      : `must be ${text}; got ${describeInput(issue.input, options)}`;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** A non-empty string (after trimming). */
export function nonEmptyStringSetting(what: string) {
  const text = `a non-empty string (${what})`;
  return z
    .string({ error: settingError(text) })
    .check(z.refine((s) => s.trim() !== '', { error: settingError(text) }));
}

/** A function, e.g. `fetch` or a callback. */
export function functionSetting<T extends (...args: never[]) => unknown>(what: string) {
  return z.custom<T>((v) => typeof v === 'function', { error: settingError(`a function (${what})`) });
}

/**
 * A `Setting<string>`: the value, or a function returning it (read per request; see `resolveSetting`).
 * The value is never echoed in an error, whatever its type: it is usually a secret.
 */
export function stringSetting(what: string) {
  return z.union([z.string(), functionSetting<() => unknown>(what)], {
    error: settingError(`a string or a function returning one (${what})`, { secret: true }),
  });
}

const MAX_TIMER_MS = 2_147_483_647; // setTimeout fires at once for longer delays

/** Milliseconds > 0 that a timer can wait (at most 2^31 - 1, about 24.8 days). */
export function timeoutMsSetting(what: string) {
  const text = `a number of milliseconds > 0 and ≤ ${MAX_TIMER_MS} (${what})`;
  return z
    .number({ error: settingError(text) })
    .check(z.positive({ error: settingError(text) }), z.lte(MAX_TIMER_MS, { error: settingError(text) }));
}

/** A number within `[min, max]`, both inclusive. */
export function numberSetting(what: string, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY) {
  const bound =
    max === Number.POSITIVE_INFINITY
      ? min === Number.NEGATIVE_INFINITY
        ? ''
        : ` ≥ ${min}`
      : ` between ${min} and ${max}`;
  const text = `a number${bound} (${what})`;
  return z
    .number({ error: settingError(text) })
    .check(z.gte(min, { error: settingError(text) }), z.lte(max, { error: settingError(text) }));
}

/** An integer ≥ `min`. */
export function integerSetting(what: string, min = 0) {
  const text = `an integer ≥ ${min} (${what})`;
  return z.int({ error: settingError(text) }).check(z.gte(min, { error: settingError(text) }));
}

/** A boolean. */
export function booleanSetting(what: string) {
  return z.boolean({ error: settingError(`true or false (${what})`) });
}

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** An http(s) URL. A bad one is described by its scheme, never echoed (it may carry credentials). */
export function httpUrlSetting(example: string) {
  const text = `an http(s) URL, e.g. "${example}"`;
  return z.string({ error: settingError(text) }).check(
    z.refine(isHttpUrl, {
      error: (issue) => {
        let got = 'a string that is not a URL';
        try {
          got = `a URL with the scheme "${new URL(String(issue.input)).protocol}" (add http:// or https://)`;
        } catch {}
        return `must be ${text}; got ${got}`;
      },
    }),
  );
}

/** `headers`: a plain object of header names to string values (a `Headers` instance or a Map is refused). */
export function headersSetting() {
  const text =
    'a plain object of header names to string values, e.g. { "x-team": "search" } (not a Headers instance or a Map)';
  return z
    .record(z.string(), z.string({ error: settingError('a string (header values are strings)') }), {
      error: settingError(text),
    })
    .check(z.refine(isPlainObject, { error: settingError(text) }));
}

/** `pricing`: `{ inputPer1K, outputPer1K, currency }`. */
export const pricingSchema = z.strictObject(
  {
    inputPer1K: numberSetting('price per 1,000 input tokens', 0),
    outputPer1K: numberSetting('price per 1,000 output tokens', 0),
    cacheReadPer1K: z.optional(numberSetting('price per 1,000 prompt tokens read from the prompt cache', 0)),
    cacheWritePer1K: z.optional(
      numberSetting('price per 1,000 prompt tokens written to the prompt cache', 0),
    ),
    currency: z.string({ error: settingError('an ISO 4217 code such as "USD" or "RUB"') }).check(
      z.regex(/^[A-Z]{3}$/, {
        error: settingError('an ISO 4217 code such as "USD" or "RUB"'),
      }),
    ),
  },
  {
    error: settingError(
      '{ inputPer1K, outputPer1K, currency }, e.g. { inputPer1K: 0.15, outputPer1K: 0.6, currency: "USD" }',
    ),
  },
);

/** `capabilities`: what the provider can do, as the router reads it. */
export const capabilitiesSchema = z.strictObject(
  {
    streaming: z.optional(booleanSetting('streams token by token')),
    tools: z.optional(booleanSetting('calls tools')),
    jsonSchema: z.optional(booleanSetting('honours a JSON schema response format')),
    contextWindow: z.optional(integerSetting('context window in tokens', 1)),
  },
  { error: settingError('{ streaming?, tools?, jsonSchema?, contextWindow? }') },
);

/** The settings every provider factory shares. */
export interface BaseProviderSettings {
  /** Unique within a router. */
  name: string;
  model: string;
  baseURL?: string;
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** Injected fetch (tests, proxies, custom TLS). */
  fetch?: FetchFunction;
  /** Prices for this model (a router's price table overrides them). */
  pricing?: ModelPricing;
  /** What the provider can do, merged over its defaults. */
  capabilities?: ProviderCapabilities;
}

const baseShape = {
  name: nonEmptyStringSetting('it identifies the provider in a router, e.g. "openai-main"'),
  model: nonEmptyStringSetting('the model to call, e.g. "gpt-4o-mini"'),
  baseURL: z.optional(httpUrlSetting('https://api.example.com/v1')),
  timeoutMs: z.optional(timeoutMsSetting('time allowed until response headers')),
  headers: z.optional(headersSetting()),
  fetch: z.optional(functionSetting<FetchFunction>('a fetch implementation')),
  pricing: z.optional(pricingSchema),
  capabilities: z.optional(capabilitiesSchema),
} satisfies Record<keyof BaseProviderSettings, z.ZodMiniType>;

/**
 * The shared settings as a strict zod/mini object: unknown keys are errors. A provider extends it with its
 * own fields and passes the result to `validateProviderSettings`:
 *
 * @example
 * import * as z from 'zod/mini';
 * const acmeSettingsSchema = z.extend(baseProviderSettingsSchema, {
 *   apiKey: z.optional(stringSetting('your ACME_API_KEY')),
 *   region: z.optional(z.enum(['eu', 'us'], { error: settingError('"eu" or "us"') })),
 * });
 */
export const baseProviderSettingsSchema = z.strictObject(baseShape);

/** The shared settings checked, anything else let through: what `validateProviderSettings` does without a schema. */
export const looseBaseProviderSettingsSchema = z.looseObject(baseShape);
