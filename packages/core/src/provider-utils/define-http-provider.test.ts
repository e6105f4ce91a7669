import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ProviderError } from '../errors/provider-error.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import { defineHttpProvider } from './define-http-provider.js';
import type { FetchFunction } from './fetch-function.js';
import {
  type BaseProviderSettings,
  baseProviderSettingsSchema,
  stringSetting,
} from './provider-settings-schema.js';

interface AcmeSettings extends BaseProviderSettings {
  apiKey: string;
}
const schema = z.extend(baseProviderSettingsSchema, { apiKey: stringSetting('the Acme key') });

/** A fetch that answers every request with `status` and a body echoing the key it was sent. */
const echoing =
  (status: number, seen: string[] = []): FetchFunction =>
  async (input, init) => {
    seen.push(String(input));
    const auth = new Headers(init?.headers).get('authorization') ?? '';
    return new Response(JSON.stringify({ error: { message: `bad key ${auth.slice(7)}` } }), { status });
  };

const createAcme = (settings: AcmeSettings, defaultFetch: () => FetchFunction = () => echoing(500)) =>
  defineHttpProvider<AcmeSettings>(settings, {
    factory: 'createAcme',
    schema,
    defaultBaseURL: 'https://api.acme.test/v1/',
    normalizeBaseURL: (url) => url.replace(/\/v1$/, ''),
    defaultTimeoutMs: 1234,
    defaultFetch,
    setup: ({ http, settings: s, baseURL, timeoutMs }) => ({
      providerType: 'acme',
      capabilities: { streaming: false, tools: true, jsonSchema: false },
      pricing: { inputPer1K: 1, outputPer1K: 2, currency: 'USD' },
      async generate() {
        await http.call({
          path: `/v1/chat?t=${timeoutMs}&b=${encodeURIComponent(baseURL)}`,
          headers: { authorization: `Bearer ${s.apiKey}` },
          body: {},
          secrets: [s.apiKey],
        });
        return { text: '', finishReason: 'stop' };
      },
      async *stream() {},
      healthCheck: async () => true,
    }),
  });

describe('defineHttpProvider', () => {
  it('validates the settings with the factory name and a suggestion', () => {
    expect(() => createAcme({ name: 'a', model: 'm', apiKey: 'k', apiKy: 'k' } as AcmeSettings)).toThrow(
      /createAcme: invalid settings:\n {2}- apiKy is not a setting; did you mean apiKey\?/,
    );
  });

  it('fills the contract fields, merges capabilities and lets the settings price win', () => {
    const p: ProviderV1 = createAcme({
      name: 'acme',
      model: 'm1',
      apiKey: 'k',
      capabilities: { streaming: false, tools: false, jsonSchema: true },
      pricing: { inputPer1K: 5, outputPer1K: 6, currency: 'EUR' },
    });
    expect(p).toMatchObject({
      specificationVersion: 'v1',
      name: 'acme',
      model: 'm1',
      providerType: 'acme',
      capabilities: { tools: false, jsonSchema: true },
      pricing: { currency: 'EUR' },
    });
    const completed = defineHttpProvider<AcmeSettings>(
      { name: 'a', model: 'm', apiKey: 'k', pricing: { inputPer1K: 2, outputPer1K: 4, currency: 'USD' } },
      {
        factory: 'createAcme',
        schema,
        defaultBaseURL: 'https://api.acme.test',
        defaultTimeoutMs: 1,
        defaultFetch: () => echoing(500),
        completePricing: (p) => ({ cacheReadPer1K: p.inputPer1K / 10, ...p }),
        setup: () => ({
          providerType: 'acme',
          capabilities: { streaming: false, tools: false, jsonSchema: false },
          generate: async () => ({ text: '', finishReason: 'stop' }),
          async *stream() {},
          healthCheck: async () => true,
        }),
      },
    );
    expect(completed.pricing).toEqual({
      inputPer1K: 2,
      outputPer1K: 4,
      cacheReadPer1K: 0.2,
      currency: 'USD',
    });
    expect(createAcme({ name: 'a', model: 'm', apiKey: 'k' }).pricing).toEqual({
      inputPer1K: 1,
      outputPer1K: 2,
      currency: 'USD',
    });
  });

  it('uses the default base URL (normalised), timeout and transport, and the settings over them', async () => {
    const seen: string[] = [];
    await createAcme({ name: 'a', model: 'm', apiKey: 'k' }, () => echoing(500, seen))
      .generate({ messages: [{ role: 'user', content: 'hi' }] })
      .catch(() => {});
    expect(seen[0]).toBe(
      `https://api.acme.test/v1/chat?t=1234&b=${encodeURIComponent('https://api.acme.test')}`,
    );
    await createAcme({
      name: 'a',
      model: 'm',
      apiKey: 'k',
      baseURL: 'http://127.0.0.1:9/',
      timeoutMs: 99,
      fetch: echoing(500, seen),
    })
      .generate({ messages: [{ role: 'user', content: 'hi' }] })
      .catch(() => {});
    expect(seen[1]).toBe(`http://127.0.0.1:9/v1/chat?t=99&b=${encodeURIComponent('http://127.0.0.1:9')}`);
  });

  it('every method passes through the redactor: an echoed key never leaves', async () => {
    const error = await createAcme({ name: 'a', model: 'm', apiKey: 'sk-acme-secret-1234' }, () =>
      echoing(401),
    )
      .generate({ messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).kind).toBe('auth');
    expect(JSON.stringify(error)).not.toContain('sk-acme-secret-1234');
    expect((error as Error).message).not.toContain('sk-acme-secret-1234');
  });
});
