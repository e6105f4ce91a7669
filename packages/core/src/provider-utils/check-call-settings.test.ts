import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import type { ChatRequest } from '../spec/chat-request.js';
import { type CallSettingsRules, checkCallSettings } from './check-call-settings.js';

const rules: CallSettingsRules = {
  provider: 'acme-main',
  api: 'Acme',
  temperature: [0, 2],
  maxTokens: 4096,
  providerOptionsKey: 'acme',
  ownedOptions: {
    model: 'the model setting of createAcme',
    messages: 'request.messages',
    'options.temperature': 'request.temperature',
  },
};
const ask = (extra: Partial<ChatRequest>): ChatRequest => ({
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});
function errorOf(request: ChatRequest, r: CallSettingsRules = rules): ProviderError {
  try {
    checkCallSettings(request, r);
  } catch (error) {
    if (ProviderError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ProviderError');
}

describe('checkCallSettings', () => {
  it('passes a valid request', () => {
    expect(() =>
      checkCallSettings(
        ask({
          temperature: 0,
          topP: 1,
          maxTokens: 4096,
          seed: 7,
          stop: ['\n'],
          tools: [{ name: 'weather', parameters: {} }],
          toolChoice: { type: 'tool', name: 'weather' },
          providerOptions: { acme: { logprobs: true, options: { top_k: 5 } }, other: { model: 'x' } },
        }),
        rules,
      ),
    ).not.toThrow();
  });

  it('names every out-of-range value, its problem and the range, as a non-retryable bad_request', () => {
    const error = errorOf(
      ask({
        temperature: 5,
        topP: 1.5,
        maxTokens: 0,
        seed: 1.5,
        stop: 'END' as never,
      }),
    );
    expect(error).toMatchObject({
      kind: 'bad_request',
      retryable: false,
      provider: 'acme-main',
      code: 'invalid-call-settings',
    });
    expect(error.message).toMatchInlineSnapshot(`
      "acme-main: invalid request:
        - temperature must be a number between 0 and 2 for Acme; got 5
        - topP must be a number between 0 and 1 for Acme; got 1.5
        - maxTokens must be a positive integer ≤ 4096 for Acme (tokens to generate); got 0
        - seed must be an integer; got 1.5
        - stop must be an array of strings; got a string"
    `);
  });

  it('rejects non-numbers and non-finite numbers, and an unbounded range reads as ≥ min', () => {
    const error = errorOf(ask({ temperature: '0.5' as never, maxTokens: 10.5 }), {
      provider: 'p',
      api: 'Ollama',
    });
    expect(error.message).toContain('temperature must be a number ≥ 0 for Ollama; got a string');
    expect(error.message).toContain(
      'maxTokens must be a positive integer for Ollama (tokens to generate); got 10.5',
    );
    expect(errorOf(ask({ topP: Number.NaN }), { provider: 'p' }).message).toContain(
      'topP must be a number between 0 and 1; got NaN',
    );
  });

  it('checks the shape of toolChoice and that it names a tool of the request', () => {
    const tools = [{ name: 'weather', parameters: {} }];
    expect(errorOf(ask({ toolChoice: 42 as never, tools })).message).toContain(
      'toolChoice must be "auto", "none", "required" or { type: "tool", name }; got 42',
    );
    expect(errorOf(ask({ toolChoice: 'any' as never, tools })).message).toContain('toolChoice must be');
    expect(errorOf(ask({ toolChoice: { type: 'tool', name: 'news' }, tools })).message).toContain(
      'toolChoice names the tool "news", which is not in tools (weather)',
    );
    expect(errorOf(ask({ toolChoice: { type: 'tool', name: 'news' } })).message).toContain(
      'toolChoice names the tool "news", but the request has no tools',
    );
    expect(
      errorOf(ask({ tools: [...tools, { name: 'weather', parameters: {} }, { name: '', parameters: {} }] }))
        .message,
    ).toMatchInlineSnapshot(`
      "acme-main: invalid request:
        - tools[1].name "weather" is used by another tool; tool names must be unique
        - tools[2].name must be a non-empty string; got an empty string"
    `);
    // "required" without tools is left to the provider (some send it, some warn).
    expect(() => checkCallSettings(ask({ toolChoice: 'required' }), rules)).not.toThrow();
  });

  it('rejects provider options that would replace fields the provider owns, saying what to use instead', () => {
    const error = errorOf(
      ask({
        providerOptions: { acme: { model: 'other', messages: [], options: { temperature: 9, top_k: 1 } } },
      }),
    );
    expect(error).toMatchObject({ kind: 'bad_request', retryable: false });
    expect(error.message).toMatchInlineSnapshot(`
      "acme-main: invalid request:
        - providerOptions.acme.model cannot override a field the provider sets; use the model setting of createAcme instead
        - providerOptions.acme.messages cannot override a field the provider sets; use request.messages instead
        - providerOptions.acme.options.temperature cannot override a field the provider sets; use request.temperature instead"
    `);
  });

  it('rejects provider options of the wrong shape, and ignores other providers’ namespaces', () => {
    expect(errorOf(ask({ providerOptions: { acme: 'fast' as never } })).message).toContain(
      'providerOptions.acme must be an object of acme request fields; got a string',
    );
    expect(errorOf(ask({ providerOptions: { acme: { options: 5 } } })).message).toContain(
      'providerOptions.acme.options must be an object; got 5',
    );
    expect(errorOf(ask({ providerOptions: [] as never })).message).toContain(
      'providerOptions must be an object keyed by provider type',
    );
    expect(() =>
      checkCallSettings(ask({ providerOptions: { other: { model: 'x', messages: 1 } } }), rules),
    ).not.toThrow();
  });
});
