import type { ChatRequest, ProviderError } from '@llmo/core/provider';
import { GigaChatFakeServer, rejectionOf } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGigaChat, type GigaChatSettings } from './gigachat-provider.js';

// Issue 10, "Settings are strict": bad settings fail at creation, bad request values before the token request.

let server: GigaChatFakeServer;
beforeAll(async () => {
  server = await GigaChatFakeServer.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const settings = (extra: Record<string, unknown> = {}) =>
  ({
    name: 'giga',
    model: 'GigaChat-2-Pro',
    credentials: 'Y2xpZW50OnNlY3JldA==',
    baseURL: server.baseURL,
    authURL: server.authURL,
    ...extra,
  }) as GigaChatSettings;
const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'Привет' }],
  ...extra,
});
const settingsError = (extra: Record<string, unknown>): Error => {
  try {
    createGigaChat(settings(extra));
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected createGigaChat to throw');
};
const fail = (p: Promise<unknown>) => rejectionOf<ProviderError>(p);

describe('settings', () => {
  it('a misspelt key names the closest setting', () => {
    const error = settingsError({ credentials: undefined, credentails: 'Y2xpZW50OnNlY3JldA==' });
    expect(error.name).toBe('InvalidSettingsError');
    expect(error.message).toBe(
      'createGigaChat: invalid settings:\n  - credentails is not a setting; did you mean credentials?',
    );
    expect(error.message).not.toContain('Y2xpZW50');
  });

  it('wrong types, an unknown scope, a bad authURL and both credentials at once are named', () => {
    expect(
      settingsError({ scope: 'GIGACHAT_API_PERSONAL', authURL: 'ngw.devices.sberbank.ru', tokenMarginMs: -5 })
        .message,
    ).toMatchInlineSnapshot(`
      "createGigaChat: invalid settings:
        - scope must be "GIGACHAT_API_PERS", "GIGACHAT_API_B2B" or "GIGACHAT_API_CORP"; got a string
        - authURL must be an http(s) URL, e.g. "https://ngw.devices.sberbank.ru:9443/api/v2/oauth"; got a string that is not a URL
        - tokenMarginMs must be a number ≥ 0 (milliseconds before expiry to refresh the token); got -5"
    `);
    expect(settingsError({ accessToken: 'token' }).message).toBe(
      'createGigaChat: invalid settings:\n  - give either credentials (OAuth, tokens fetched and refreshed) or accessToken (a ready token), not both',
    );
  });
});

describe('request values', () => {
  it('a negative temperature, topP above 1 and maxTokens beyond int32 fail before the token request', async () => {
    const error = await fail(
      createGigaChat(settings()).generate(ask({ temperature: -1, topP: 2, maxTokens: 2 ** 31 })),
    );
    expect(error).toMatchObject({ kind: 'bad_request', retryable: false, provider: 'giga' });
    expect(error.message).toMatchInlineSnapshot(`
      "giga: invalid request:
        - temperature must be a number ≥ 0 for GigaChat; got -1
        - topP must be a number between 0 and 1 for GigaChat; got 2
        - maxTokens must be a positive integer ≤ 2147483647 for GigaChat (tokens to generate); got 2147483648"
    `);
    expect(server.tokenRequests).toHaveLength(0);
    expect(server.chatRequests).toHaveLength(0);
  });

  it('temperature 0 (GigaChat: 0..0.001 is its deterministic mode) and above 2 are sent', async () => {
    await createGigaChat(settings()).generate(ask({ temperature: 0 }));
    await createGigaChat(settings()).generate(ask({ temperature: 2.5 }));
    expect(server.chatRequests.map((r) => (r.body as { temperature: number }).temperature)).toEqual([0, 2.5]);
  });

  it('toolChoice must name a tool of the request', async () => {
    const error = await fail(
      createGigaChat(settings()).generate(
        ask({
          tools: [{ name: 'weather_forecast', parameters: { type: 'object' } }],
          toolChoice: { type: 'tool', name: 'weather' },
        }),
      ),
    );
    expect(error.message).toContain(
      'toolChoice names the tool "weather", which is not in tools (weather_forecast)',
    );
    expect(server.chatRequests).toHaveLength(0);
  });

  it('providerOptions cannot replace owned fields, and other options still pass through', async () => {
    const error = await fail(
      createGigaChat(settings()).generate(
        ask({ providerOptions: { gigachat: { model: 'GigaChat-Max', function_call: 'auto' } } }),
      ),
    );
    expect(error.message).toMatchInlineSnapshot(`
      "giga: invalid request:
        - providerOptions.gigachat.model cannot override a field the provider sets; use the model setting of createGigaChat (one provider per model) instead
        - providerOptions.gigachat.function_call cannot override a field the provider sets; use request.toolChoice instead"
    `);
    expect(server.chatRequests).toHaveLength(0);
    await createGigaChat(settings()).generate(
      ask({ providerOptions: { gigachat: { profanity_check: false } } }),
    );
    expect(server.chatRequests[0]!.body).toMatchObject({ model: 'GigaChat-2-Pro', profanity_check: false });
  });
});
