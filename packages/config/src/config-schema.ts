import { STRATEGY_NAMES } from '@llmo/core';
import { closestKey, httpUrlSetting, pricingSchema, settingError } from '@llmo/core/provider';
import * as z from '@llmo/core/zod';
import { PROVIDER_TYPES } from './provider-packages.js';

const text = (what: string) =>
  z
    .string({ error: settingError(`a non-empty string (${what})`) })
    .check(z.refine((s) => s.trim() !== '', { error: settingError(`a non-empty string (${what})`) }));
const int = (what: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .int({ error: settingError(`an integer between ${min} and ${max} (${what})`) })
    .check(
      z.gte(min, { error: settingError(`an integer between ${min} and ${max} (${what})`) }),
      z.lte(max, { error: settingError(`an integer between ${min} and ${max} (${what})`) }),
    );
const bool = (what: string) => z.boolean({ error: settingError(`true or false (${what})`) });
const strings = (what: string) => z.array(text(what), { error: settingError(`a list of strings (${what})`) });

/** A name from a fixed list; a near miss gets "did you mean" (and is shown; other values are not). */
function oneOf(values: readonly string[], what: string) {
  return z.string({ error: settingError(`one of ${values.join(', ')} (${what})`) }).check(
    z.refine((v) => values.includes(v), {
      error: (issue) => {
        const given = String(issue.input);
        const suggestion = closestKey(given, values);
        // Shown only when it is a near miss of a known name: a value far from every name might be a secret
        // pasted into the wrong field.
        const shown = suggestion ? `"${given}"` : 'the value given';
        return suggestion
          ? `${shown} is not a ${what}; did you mean "${suggestion}"? (one of ${values.join(', ')})`
          : `${shown} is not a ${what}; use one of ${values.join(', ')}`;
      },
    }),
  );
}

const fallbackModel = z.union(
  [
    text('a model id, e.g. gpt-4o'),
    z.strictObject({ model: text('a model id'), pricing: z.optional(pricingSchema) }),
  ],
  { error: settingError('a model id, or { model, pricing }') },
);

/**
 * One `providers:` entry. Only the configuration's own keys are checked here; the others are the provider
 * factory's settings, which the factory checks (with "did you mean") when the router is built.
 */
export const providerEntrySchema = z.looseObject(
  {
    name: text('unique among the providers, e.g. "primary"'),
    type: oneOf(PROVIDER_TYPES, 'provider type'),
    model: text('the model to call, e.g. "gpt-4o-mini"'),
    fallbackModels: z.optional(
      z.array(fallbackModel, { error: settingError('a list of model ids tried in order after `model`') }),
    ),
    enabled: z.optional(bool('false leaves the provider out')),
  },
  { error: settingError('a provider: { name, type, model, … }') },
);

/** `router:`: the strategy here (for "did you mean"); the rest is checked by the Router itself. */
export const routerSectionSchema = z.looseObject(
  { strategy: z.optional(oneOf(STRATEGY_NAMES, 'routing strategy')) },
  { error: settingError('a map of Router options, e.g. { strategy: round-robin }') },
);

const usageSchema = z.strictObject(
  {
    callbackUrl: z.optional(httpUrlSetting('https://billing.example/usage')),
    callbackHeaders: z.optional(z.record(z.string(), z.string({ error: settingError('a string') }))),
    callbackTimeoutMs: z.optional(int('milliseconds per delivery try, e.g. 5000', 1)),
    // Checked by the Router (core's usageDelivery), with its own messages.
    delivery: z.optional(
      z.record(z.string(), z.unknown(), { error: settingError('a map of delivery options') }),
    ),
    costLog: z.optional(text('a file path, e.g. logs/cost.jsonl')),
  },
  {
    error: settingError('a map: { callbackUrl?, callbackHeaders?, callbackTimeoutMs?, delivery?, costLog? }'),
  },
);

const SHA256 = /^sha256:[0-9a-f]{64}$/;

const gatewayKeySchema = z
  .strictObject(
    {
      key: z.optional(
        z
          .string({ error: settingError('a string (the API key clients send)', { secret: true }) })
          .check(z.minLength(1, { error: settingError('a non-empty string (the API key clients send)') })),
      ),
      keyHash: z.optional(
        z.string({ error: settingError('"sha256:<64 hex digits>"', { secret: true }) }).check(
          z.regex(SHA256, {
            error: 'must be "sha256:" followed by 64 lowercase hex digits (the SHA-256 of the key)',
          }),
        ),
      ),
      tenant: text('carried into usage records, e.g. "alice"'),
      name: z.optional(text('a label for logs')),
      rpm: z.optional(int('requests per minute', 1)),
      tpm: z.optional(int('tokens per minute', 1)),
      models: z.optional(strings('provider names or model ids this key may use')),
      admin: z.optional(bool('whether this key may read /stats and the dashboard')),
    },
    { error: settingError('a key: { key or keyHash, tenant, rpm?, tpm?, models?, admin? }') },
  )
  .check(
    z.refine((k) => (k.key === undefined) !== (k.keyHash === undefined), {
      error: 'give exactly one of key (the secret, e.g. ${GATEWAY_KEY}) or keyHash ("sha256:…")',
    }),
  );

/**
 * A Redis URL. It may carry a password, so a bad one is described by its scheme only, never echoed.
 */
const redisUrl = z
  .string({ error: settingError('a redis:// or rediss:// URL, e.g. ${REDIS_URL}', { secret: true }) })
  .check(
    z.refine(
      (value) => {
        try {
          return /^rediss?:$/.test(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      {
        error: (issue) => {
          let got = 'a string that is not a URL';
          try {
            got = `a URL with the scheme "${new URL(String(issue.input)).protocol}"`;
          } catch {}
          return `must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379; got ${got}`;
        },
      },
    ),
  );

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

const gatewaySchema = z.strictObject(
  {
    host: z.optional(text('the address to listen on, e.g. 127.0.0.1 or 0.0.0.0')),
    port: z.optional(int('the TCP port, e.g. 8000; 0 picks a free one', 0, 65_535)),
    keys: z.optional(z.array(gatewayKeySchema, { error: settingError('a list of keys') })),
    defaultMessage: z.optional(text('the answer when every provider fails')),
    cors: z.optional(
      z.strictObject(
        {
          origins: z.union([z.literal('*'), strings('origins, e.g. http://localhost:3000')], {
            error: settingError('a list of origins, e.g. ["http://localhost:3000"], or "*"'),
          }),
          methods: z.optional(strings('HTTP methods')),
          headers: z.optional(strings('request headers')),
          credentials: z.optional(bool('allow credentials')),
          maxAgeSeconds: z.optional(int('preflight cache time', 0)),
        },
        { error: settingError('a map: { origins, methods?, headers?, credentials?, maxAgeSeconds? }') },
      ),
    ),
    logs: z.optional(
      z.strictObject(
        {
          dir: z.optional(text('a directory, e.g. logs')),
          level: z.optional(oneOf(LOG_LEVELS, 'log level')),
          stdout: z.optional(bool('log to stdout')),
          file: z.optional(bool('log to dir/app.log, rolled daily')),
          retentionDays: z.optional(int('rolled files kept', 1)),
        },
        { error: settingError('a map: { dir?, level?, stdout?, file?, retentionDays? }') },
      ),
    ),
    limits: z.optional(
      z.strictObject(
        {
          maxBodyBytes: z.optional(int('bytes, e.g. 1048576', 1)),
          requestTimeoutMs: z.optional(int('milliseconds', 1)),
          shutdownTimeoutMs: z.optional(int('milliseconds, e.g. 10000', 0)),
          maxConcurrentRequests: z.optional(int('requests at once', 1)),
        },
        {
          error: settingError(
            'a map: { maxBodyBytes?, requestTimeoutMs?, shutdownTimeoutMs?, maxConcurrentRequests? }',
          ),
        },
      ),
    ),
    redis: z.optional(
      z.strictObject(
        { url: redisUrl, keyPrefix: z.optional(text('prepended to every key, e.g. "llmo:gateway:"')) },
        { error: settingError('a map: { url, keyPrefix? }, e.g. { url: ${REDIS_URL} }') },
      ),
    ),
  },
  { error: settingError('a map of gateway settings: { host, port, keys, … }') },
);

/** The whole document. Top-level keys starting with `x-` are ignored (a place for YAML anchors). */
export const configSchema = z.strictObject(
  {
    router: z.optional(routerSectionSchema),
    providers: z
      .array(providerEntrySchema, {
        error: settingError('a list of providers: - name: …, type: …, model: …'),
      })
      .check(z.minLength(1, { error: 'needs at least one provider: - { name, type, model }' })),
    defaults: z.optional(
      z.strictObject(
        { provider: z.optional(text('a provider name')), model: z.optional(text('a model id')) },
        { error: settingError('a map: { provider?, model? }') },
      ),
    ),
    usage: z.optional(usageSchema),
    gateway: z.optional(gatewaySchema),
  },
  { error: settingError('a map with providers: (and router:, defaults:, usage:, gateway:)') },
);
