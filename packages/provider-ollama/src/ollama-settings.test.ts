import type { ChatRequest, ProviderError } from '@llmo/core/provider';
import { OllamaFakeServer, rejectionOf } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOllama, type OllamaSettings } from './ollama-provider.js';

// Issue 10, "Settings are strict": bad settings fail at creation, bad request values before the request.

let server: OllamaFakeServer;
beforeAll(async () => {
  server = await OllamaFakeServer.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const settings = (extra: Record<string, unknown> = {}) =>
  ({ name: 'ollama', model: 'llama3.2', baseURL: server.baseURL, ...extra }) as OllamaSettings;
const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'Why is the sky blue?' }],
  ...extra,
});
const settingsError = (extra: Record<string, unknown>): Error => {
  try {
    createOllama(settings(extra));
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected createOllama to throw');
};
const fail = (p: Promise<unknown>) => rejectionOf<ProviderError>(p);

describe('settings', () => {
  it('a misspelt key names the closest setting', () => {
    expect(settingsError({ keep_alive: '5m' }).message).toBe(
      'createOllama: invalid settings:\n  - keep_alive is not a setting; did you mean keepAlive?',
    );
  });

  it('keepAlive must be a Go duration or a number of seconds; model options of the contract are checked', () => {
    expect(
      settingsError({ keepAlive: '5 minutes', options: { temperature: -1, num_ctx: 8192 }, timeoutMs: -1 })
        .message,
    ).toMatchInlineSnapshot(`
      "createOllama: invalid settings:
        - timeoutMs must be a number of milliseconds > 0 and ≤ 2147483647 (time allowed until response headers); got -1
        - keepAlive must be a duration string such as "5m" or "1h", or a number of seconds (0 unloads at once, negative keeps the model loaded); got a string
        - options.temperature must be a number ≥ 0 (sampling temperature); got -1"
    `);
    for (const keepAlive of ['5m', '1h30m', '-1s', '0', 0, -1, 300]) {
      expect(() => createOllama(settings({ keepAlive }))).not.toThrow();
    }
  });

  it('pricing is honoured (Ollama’s cloud is paid); without it the cost is zero', () => {
    const pricing = { inputPer1K: 0.1, outputPer1K: 0.4, currency: 'USD' };
    expect(createOllama(settings({ pricing })).pricing).toEqual(pricing);
    expect(createOllama(settings()).pricing).toEqual({ inputPer1K: 0, outputPer1K: 0, currency: 'USD' });
  });

  it("the provider's model options are defaults: a request's value replaces one only when it is set", async () => {
    const provider = createOllama(settings({ options: { temperature: 0.2, num_ctx: 8192 } }));
    await provider.generate(ask());
    await provider.generate(ask({ temperature: 0.9 }));
    expect(server.chatRequests.map((r) => (r.body as { options: unknown }).options)).toEqual([
      { temperature: 0.2, num_ctx: 8192 },
      { temperature: 0.9, num_ctx: 8192 },
    ]);
  });
});

describe('request values', () => {
  it('a negative temperature or topP above 1 is a bad_request before anything is sent; high temperatures pass', async () => {
    const error = await fail(createOllama(settings()).generate(ask({ temperature: -0.5, topP: 1.1 })));
    expect(error).toMatchObject({ kind: 'bad_request', retryable: false, provider: 'ollama' });
    expect(error.message).toMatchInlineSnapshot(`
      "ollama: invalid request:
        - temperature must be a number ≥ 0 for Ollama; got -0.5
        - topP must be a number between 0 and 1 for Ollama; got 1.1"
    `);
    expect(server.requests).toHaveLength(0);
    await createOllama(settings()).generate(ask({ temperature: 3 }));
    expect((server.chatRequests[0]!.body as { options: unknown }).options).toEqual({ temperature: 3 });
  });

  it('toolChoice of a bad shape is an error even though Ollama ignores toolChoice', async () => {
    const error = await fail(createOllama(settings()).generate(ask({ toolChoice: { name: 'x' } as never })));
    expect(error.message).toContain(
      'toolChoice must be "auto", "none", "required" or { type: "tool", name }',
    );
  });

  it('providerOptions cannot replace owned fields (also inside options); keep_alive and think still pass', async () => {
    const error = await fail(
      createOllama(settings()).generate(
        ask({ providerOptions: { ollama: { stream: false, options: { num_predict: 10, top_k: 5 } } } }),
      ),
    );
    expect(error.message).toMatchInlineSnapshot(`
      "ollama: invalid request:
        - providerOptions.ollama.stream cannot override a field the provider sets; use provider.stream() (or generate() for one answer) instead
        - providerOptions.ollama.options.num_predict cannot override a field the provider sets; use request.maxTokens instead"
    `);
    expect(server.requests).toHaveLength(0);
    await createOllama(settings({ keepAlive: '5m' })).generate(
      ask({ providerOptions: { ollama: { keep_alive: '1h', think: false, options: { top_k: 5 } } } }),
    );
    expect(server.chatRequests[0]!.body).toMatchObject({
      keep_alive: '1h',
      think: false,
      options: { top_k: 5 },
    });
  });
});
