import type { ChatRequest, ProviderError } from '@llmo/core/provider';
import { rejectionOf, YandexGPTFakeServer } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createYandexGPT, type YandexGPTSettings } from './yandexgpt-provider.js';

// Issue 10, "Settings are strict": bad settings fail at creation, bad request values before the request.

let server: YandexGPTFakeServer;
beforeAll(async () => {
  server = await YandexGPTFakeServer.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const settings = (extra: Record<string, unknown> = {}) =>
  ({
    name: 'yandex',
    model: 'yandexgpt-lite',
    folderId: 'b1gfolder',
    apiKey: 'AQVN-secret-key',
    baseURL: server.baseURL,
    ...extra,
  }) as YandexGPTSettings;
const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'Привет' }],
  ...extra,
});
const settingsError = (extra: Record<string, unknown>): Error => {
  try {
    createYandexGPT(settings(extra));
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected createYandexGPT to throw');
};
const fail = (p: Promise<unknown>) => rejectionOf<ProviderError>(p);

describe('settings', () => {
  it('a misspelt key names the closest setting', () => {
    const error = settingsError({ folderId: undefined, folderID: 'b1gfolder' });
    expect(error.name).toBe('InvalidSettingsError');
    expect(error.message).toMatchInlineSnapshot(`
      "createYandexGPT: invalid settings:
        - folderId is required: a string or a function returning one (the Yandex Cloud folder id, b1g…)
        - folderID is not a setting; did you mean folderId?"
    `);
  });

  it('wrong types are named, and secrets are never echoed', () => {
    const error = settingsError({ apiKey: 42, sendFolderHeader: 'yes', disableDataLoging: true });
    expect(error.message).toMatchInlineSnapshot(`
      "createYandexGPT: invalid settings:
        - apiKey must be a string or a function returning one (a service account's API key, or a function returning it); got a number
        - sendFolderHeader must be true or false (send x-folder-id); got a string
        - disableDataLoging is not a setting; did you mean disableDataLogging?"
    `);
  });
});

describe('request values', () => {
  it('temperature outside 0–1 (YandexGPT’s range) is a bad_request before anything is sent', async () => {
    const error = await fail(createYandexGPT(settings()).generate(ask({ temperature: 1.2 })));
    expect(error).toMatchObject({ kind: 'bad_request', retryable: false, provider: 'yandex' });
    expect(error.message).toBe(
      'yandex: invalid request:\n  - temperature must be a number between 0 and 1 for YandexGPT; got 1.2',
    );
    expect(server.requests).toHaveLength(0);
  });

  it('maxTokens must be a positive integer; 1 and temperature 1 are fine', async () => {
    const error = await fail(createYandexGPT(settings()).generate(ask({ maxTokens: -5 })));
    expect(error.message).toContain('maxTokens must be a positive integer for YandexGPT');
    await createYandexGPT(settings()).generate(ask({ maxTokens: 1, temperature: 1 }));
    expect((server.chatRequests[0]!.body as { completionOptions: unknown }).completionOptions).toMatchObject({
      maxTokens: '1',
      temperature: 1,
    });
  });

  it('providerOptions cannot replace completionOptions the provider sets, but may add to them', async () => {
    const error = await fail(
      createYandexGPT(settings()).generate(
        ask({
          providerOptions: {
            yandexgpt: { modelUri: 'gpt://other/yandexgpt', completionOptions: { temperature: 0 } },
          },
        }),
      ),
    );
    expect(error.message).toMatchInlineSnapshot(`
      "yandex: invalid request:
        - providerOptions.yandexgpt.modelUri cannot override a field the provider sets; use the model and folderId settings of createYandexGPT instead
        - providerOptions.yandexgpt.completionOptions.temperature cannot override a field the provider sets; use request.temperature instead"
    `);
    expect(server.requests).toHaveLength(0);
    await createYandexGPT(settings()).generate(
      ask({
        temperature: 0.2,
        providerOptions: { yandexgpt: { completionOptions: { reasoningOptions: { mode: 'DISABLED' } } } },
      }),
    );
    expect((server.chatRequests[0]!.body as { completionOptions: unknown }).completionOptions).toEqual({
      stream: false,
      temperature: 0.2,
      reasoningOptions: { mode: 'DISABLED' },
    });
  });
});
