import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { LlmoError } from '../errors/llmo-error.js';
import { baseProviderSettingsSchema, settingError, stringSetting } from './provider-settings-schema.js';
import { validateProviderSettings } from './validate-provider-settings.js';

const acmeSchema = z.extend(baseProviderSettingsSchema, {
  apiKey: z.optional(stringSetting('your ACME_API_KEY')),
  region: z.optional(z.enum(['eu', 'us'], { error: settingError('"eu" or "us"') })),
});

function messageOf(run: () => void): string {
  try {
    run();
  } catch (error) {
    expect(LlmoError.isInstance(error)).toBe(true);
    expect((error as Error).name).toBe('InvalidSettingsError');
    return (error as Error).message;
  }
  throw new Error('expected an InvalidSettingsError');
}

describe('validateProviderSettings', () => {
  it('without a schema checks the shared fields and lets other keys through (plugin authors)', () => {
    expect(() =>
      validateProviderSettings({ name: 'a', model: 'm', region: 'eu', apiKey: 'k' }, 'createAcme'),
    ).not.toThrow();
    expect(messageOf(() => validateProviderSettings({ name: '', model: 'm' }, 'createAcme'))).toMatch(
      /^createAcme: invalid settings:\n {2}- name must be a non-empty string/,
    );
    expect(messageOf(() => validateProviderSettings(undefined, 'createAcme'))).toBe(
      'createAcme: pass a settings object, e.g. createAcme({ name, model, … })',
    );
  });

  it('with a strict schema names every bad field in one error, with the closest key for a typo', () => {
    const message = messageOf(() =>
      validateProviderSettings(
        {
          name: 'acme',
          model: 'm',
          apiKy: 'sk-secret-value',
          apiKey: 987654321,
          timeoutMs: -1,
          region: 'mars',
          headers: { 'x-team': 1 },
          baseURL: 'localhost:8000',
          pricing: { inputPer1k: 1, outputPer1K: 1, currency: 'usd' },
          capabilities: { streaming: 'yes' },
          fetch: 'not a function',
          wholelyUnknown: true,
        },
        'createAcme',
        acmeSchema,
      ),
    );
    expect(message).toMatchInlineSnapshot(`
      "createAcme: invalid settings:
        - baseURL must be an http(s) URL, e.g. "https://api.example.com/v1"; got a URL with the scheme "localhost:" (add http:// or https://)
        - timeoutMs must be a number of milliseconds > 0 and ≤ 2147483647 (time allowed until response headers); got -1
        - headers.x-team must be a string (header values are strings); got 1
        - fetch must be a function (a fetch implementation); got a string
        - pricing.inputPer1K is required: a number ≥ 0 (price per 1,000 input tokens)
        - pricing.currency must be an ISO 4217 code such as "USD" or "RUB"; got a string
        - pricing.inputPer1k is not a known field; did you mean pricing.inputPer1K?
        - capabilities.streaming must be true or false (streams token by token); got a string
        - apiKey must be a string or a function returning one (your ACME_API_KEY); got a number
        - region must be "eu" or "us"; got a string
        - apiKy is not a setting; did you mean apiKey?
        - wholelyUnknown is not a setting (the settings of createAcme are: name, model, baseURL, timeoutMs, headers, fetch, pricing, capabilities, apiKey, region)"
    `);
    // Values never appear, only their types: a key given under the wrong name must not reach a log.
    expect(message).not.toContain('sk-secret-value');
    expect(message).not.toContain('987654321');
  });

  it('accepts valid settings, functions for secrets, and undefined for optional fields', () => {
    expect(() =>
      validateProviderSettings(
        {
          name: 'acme',
          model: 'm',
          apiKey: () => undefined,
          baseURL: undefined,
          headers: { 'x-team': 'search' },
          pricing: { inputPer1K: 0.1, outputPer1K: 0.2, currency: 'USD' },
          capabilities: { streaming: true, contextWindow: 128_000 },
          fetch: globalThis.fetch,
          timeoutMs: 5000,
        },
        'createAcme',
        acmeSchema,
      ),
    ).not.toThrow();
  });

  it('rejects a Headers instance, whose entries would be dropped silently', () => {
    expect(
      messageOf(() =>
        validateProviderSettings({ name: 'a', model: 'm', headers: new Headers({ a: 'b' }) }, 'createAcme'),
      ),
    ).toMatch(
      /headers must be a plain object of header names to string values.*\(not a Headers instance or a Map\); got an object/,
    );
  });
});
