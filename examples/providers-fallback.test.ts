// A Router over the real provider packages, each talking to its own wire-faithful fake server on 127.0.0.1:
// requests fall back across protocols (OpenAI SSE, GigaChat OAuth + SSE, YandexGPT cumulative NDJSON, Ollama
// NDJSON; and across clouds, Gemini → Claude → OpenAI) exactly as they would across the real services.
import { RouteFailedError, Router, type UsageRecord } from '@llmo/core';
import { createAnthropic } from '@llmo/provider-anthropic';
import { createBedrock } from '@llmo/provider-bedrock';
import { createGemini } from '@llmo/provider-gemini';
import { createGigaChat } from '@llmo/provider-gigachat';
import { createOllama } from '@llmo/provider-ollama';
import { createOpenAI } from '@llmo/provider-openai';
import { createYandexGPT } from '@llmo/provider-yandexgpt';
import {
  AnthropicFakeServer,
  BEDROCK_TEST_CREDENTIALS,
  BedrockFakeServer,
  GeminiFakeServer,
  GigaChatFakeServer,
  geminiErrorBody,
  OllamaFakeServer,
  OpenAIFakeServer,
  YandexGPTFakeServer,
} from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

let openai: OpenAIFakeServer;
let gigachat: GigaChatFakeServer;
let yandex: YandexGPTFakeServer;
let ollama: OllamaFakeServer;

beforeAll(async () => {
  [openai, gigachat, yandex, ollama] = await Promise.all([
    OpenAIFakeServer.start(),
    GigaChatFakeServer.start(),
    YandexGPTFakeServer.start(),
    OllamaFakeServer.start(),
  ]);
});
afterAll(() => Promise.all([openai, gigachat, yandex, ollama].map((s) => s.close())));
beforeEach(() => {
  for (const s of [openai, gigachat, yandex, ollama]) s.reset();
});

function router(usage: UsageRecord[] = []) {
  const r = new Router({
    strategy: 'first-available',
    retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 2 },
    onWarning: false,
    usageCallback: (record) => void usage.push(record),
  });
  r.addProvider(
    createOpenAI({ name: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-test', baseURL: openai.baseURL }),
  );
  r.addProvider(
    createGigaChat({
      name: 'gigachat',
      model: 'GigaChat-2-Pro',
      credentials: 'a2V5',
      baseURL: gigachat.baseURL,
      authURL: gigachat.authURL,
    }),
  );
  r.addProvider(
    createYandexGPT({
      name: 'yandexgpt',
      model: 'yandexgpt-lite',
      folderId: 'b1g',
      apiKey: 'AQVN',
      baseURL: yandex.baseURL,
    }),
  );
  r.addProvider(createOllama({ name: 'ollama', model: 'llama3.2', baseURL: ollama.baseURL }));
  return r;
}

describe('a Router over OpenAI, GigaChat, YandexGPT and Ollama', () => {
  it('falls back across all four: quota → scope error → overloaded (retried) → Ollama answers', async () => {
    openai.reply({
      type: 'error',
      status: 429,
      code: 'insufficient_quota',
      message: 'You exceeded your current quota',
    });
    gigachat.reply({ type: 'error', status: 500 }, { type: 'error', status: 500 });
    yandex.reply({ type: 'error', status: 503 }, { type: 'error', status: 503 });
    ollama.reply({ type: 'text', text: 'Ответ от Ollama', usage: { promptTokens: 9, completionTokens: 3 } });
    const usage: UsageRecord[] = [];
    const r = router(usage);
    const result = await r.route('Привет');
    expect(result).toMatchObject({
      text: 'Ответ от Ollama',
      provider: 'ollama',
      usage: { promptTokens: 9, completionTokens: 3 },
    });
    expect(result.attempts.map((a) => `${a.provider}:${a.errorKind ?? a.outcome}:${a.retry}`)).toEqual([
      'openai:quota:0', // insufficient_quota is not retried
      'gigachat:server:0',
      'gigachat:server:1',
      'yandexgpt:overloaded:0',
      'yandexgpt:overloaded:1',
      'ollama:success:0',
    ]);
    await r.close();
    expect(usage.map((u) => `${u.provider}:${u.success}`)).toEqual([
      'openai:false',
      'gigachat:false',
      'gigachat:false',
      'yandexgpt:false',
      'yandexgpt:false',
      'ollama:true',
    ]);
  });

  it('streams from the second provider when the first fails before its first chunk, with RUB cost', async () => {
    openai.reply({ type: 'reset', text: 'x', afterDeltas: 0 }, { type: 'reset', text: 'x', afterDeltas: 0 });
    gigachat.reply({
      type: 'text',
      text: 'Потоковый ответ GigaChat',
      usage: { promptTokens: 1000, completionTokens: 500 },
    });
    const r = router();
    const stream = r.routeStream('Расскажи историю');
    let text = '';
    for await (const chunk of stream) text += chunk;
    const result = await stream.result;
    expect(text).toBe('Потоковый ответ GigaChat');
    expect(result.provider).toBe('gigachat');
    expect(result.cost).toEqual({ amount: 2.25, currency: 'RUB', known: true }); // 1500 tokens × 1.5 RUB / 1K
    expect(r.getSessionCost()).toEqual({ RUB: 2.25 });
  });

  it('stops at once on a caller error instead of trying every provider', async () => {
    openai.reply({ type: 'error', status: 400, message: 'Invalid value for temperature' });
    const error = await router()
      .route('x')
      .catch((e: unknown) => e);
    expect(RouteFailedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'caller-error', kind: 'bad_request' });
    expect(gigachat.chatRequests).toHaveLength(0);
  });

  // Issue 9, finding 5: an invalid role made the OpenAI provider throw a plain Error while building the
  // request; the router filed it as a server fault and five such calls opened every circuit.
  it('one caller with a bad message role cannot black out the router: rejected before any provider', async () => {
    const r = router();
    for (let i = 0; i < 5; i++) {
      await expect(r.route([{ role: 'robot', content: 'hi' }] as never)).rejects.toThrow(
        /messages\.0(\.role)?: role must be "system", "user", "assistant" or "tool"/,
      );
    }
    for (const s of [openai, gigachat, yandex, ollama]) expect(s.requests).toHaveLength(0);
    const result = await r.route('What is Python?');
    expect(result.provider).toBe('openai');
    for (const view of Object.values(r.getMetrics())) expect(view.circuit).toBe('closed');
  });

  it('reports every provider, kind and latency when all fail', async () => {
    openai.setDefault({ type: 'error', status: 401 });
    gigachat.setDefault({ type: 'error', status: 404, message: 'No such model' });
    yandex.setDefault({ type: 'error', status: 403 });
    ollama.setDefault({ type: 'error', status: 404 });
    try {
      const error = (await router()
        .route('x')
        .catch((e: unknown) => e)) as RouteFailedError;
      expect(error.reason).toBe('all-failed');
      expect(error.attempts.map((a) => [a.provider, a.errorKind])).toEqual([
        ['openai', 'auth'],
        ['gigachat', 'not_found'],
        ['yandexgpt', 'permission'],
        ['ollama', 'not_found'],
      ]);
      expect(error.message).toMatch(
        /openai \(auth, \d+ ms\) → gigachat \(not_found, \d+ ms\) → yandexgpt \(permission, \d+ ms\) → ollama \(not_found, \d+ ms\)/,
      );
    } finally {
      openai.setDefault({ type: 'text', text: 'ok' });
      gigachat.setDefault({ type: 'text', text: 'ok' });
      yandex.setDefault({ type: 'text', text: 'ok' });
      ollama.setDefault({ type: 'text', text: 'ok' });
    }
  });
});

describe('a Router across clouds: Gemini → Claude → OpenAI', () => {
  let gemini: GeminiFakeServer;
  let anthropic: AnthropicFakeServer;
  beforeAll(async () => {
    [gemini, anthropic] = await Promise.all([
      GeminiFakeServer.start({ validKeys: ['AIza-test'] }),
      AnthropicFakeServer.start(),
    ]);
  });
  afterAll(() => Promise.all([gemini.close(), anthropic.close()]));
  beforeEach(() => {
    gemini.reset();
    anthropic.reset();
  });

  function clouds(usage: UsageRecord[] = []) {
    const r = new Router({
      strategy: 'first-available',
      retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 2 },
      onWarning: false,
      usageCallback: (record) => void usage.push(record),
    });
    r.addProvider(
      createGemini({
        name: 'gemini',
        model: 'gemini-2.5-flash',
        apiKey: 'AIza-test',
        baseURL: gemini.baseURL,
      }),
    );
    r.addProvider(
      createAnthropic({
        name: 'claude',
        model: 'claude-sonnet-4-5',
        apiKey: 'sk-ant-test',
        baseURL: anthropic.baseURL,
      }),
    );
    r.addProvider(
      createOpenAI({ name: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-test', baseURL: openai.baseURL }),
    );
    return r;
  }

  // Claude first, OpenAI as its fallback (Messages API SSE events vs Chat Completions chunks).
  const claudeFirst = { excludeProviders: ['gemini'] };

  it('answers from Claude with USD cost from its list price', async () => {
    anthropic.reply({
      type: 'text',
      text: 'Hello from Claude',
      usage: { promptTokens: 1000, completionTokens: 100 },
    });
    const r = clouds();
    const result = await r.route('Hi', claudeFirst);
    expect(result).toMatchObject({ provider: 'claude', text: 'Hello from Claude' });
    // 1000 × $3/M + 100 × $15/M
    expect(result.cost).toEqual({ amount: 0.0045, currency: 'USD', known: true });
    await r.close();
  });

  it('retries 529 overloaded on Claude, then falls back to OpenAI', async () => {
    anthropic.reply(
      { type: 'error', status: 529, retryAfter: '0' },
      { type: 'error', status: 529, retryAfter: '0' },
    );
    openai.reply({ type: 'text', text: 'Hello from OpenAI' });
    const usage: UsageRecord[] = [];
    const r = clouds(usage);
    const result = await r.route('Hi', claudeFirst);
    expect(result.provider).toBe('openai');
    expect(result.attempts.map((a) => `${a.provider}:${a.errorKind ?? a.outcome}:${a.retry}`)).toEqual([
      'claude:overloaded:0',
      'claude:overloaded:1',
      'openai:success:0',
    ]);
    await r.close();
    expect(usage.map((u) => `${u.provider}:${u.success}`)).toEqual([
      'claude:false',
      'claude:false',
      'openai:true',
    ]);
  });

  it('a stream whose event: error comes before any text falls back; chunks of the two never mix', async () => {
    anthropic.reply(
      { type: 'stream-error', text: 'never', afterDeltas: 0, message: 'Overloaded' },
      { type: 'stream-error', text: 'never', afterDeltas: 0, message: 'Overloaded' },
    );
    openai.reply({ type: 'text', text: 'Streamed by OpenAI' });
    const r = clouds();
    const stream = r.routeStream('Hi', claudeFirst);
    let text = '';
    for await (const chunk of stream) text += chunk;
    const result = await stream.result;
    expect(text).toBe('Streamed by OpenAI');
    expect(result.provider).toBe('openai');
    await r.close();
  });

  it('Claude tool calls come back through the router', async () => {
    anthropic.reply({ type: 'tool-call', name: 'weather', arguments: { city: 'Oslo' }, id: 'toolu_1' });
    const r = clouds();
    const result = await r.route('Weather in Oslo?', {
      ...claudeFirst,
      tools: [{ name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
    });
    expect(result.toolCalls).toEqual([{ id: 'toolu_1', name: 'weather', arguments: '{"city":"Oslo"}' }]);
    expect(result.finishReason).toBe('tool-calls');
    await r.close();
  });

  it('answers from Gemini with USD cost from its list price, thinking tokens billed as output', async () => {
    gemini.reply({
      type: 'text',
      text: 'Hello from Gemini',
      usage: { promptTokens: 1000, completionTokens: 200 },
    });
    const r = clouds();
    const result = await r.route('Hi');
    expect(result).toMatchObject({
      provider: 'gemini',
      text: 'Hello from Gemini',
      usage: { promptTokens: 1000, completionTokens: 200 },
    });
    // 1000 × $0.30/M + 200 × $2.50/M
    expect(result.cost).toEqual({ amount: 0.0008, currency: 'USD', known: true });
    await r.close();
  });

  it('retries 429 RESOURCE_EXHAUSTED after its RetryInfo delay, then falls back to Claude', async () => {
    gemini.reply(
      { type: 'error', status: 429, retryAfter: '0.001', message: 'Resource has been exhausted' },
      { type: 'error', status: 429, retryAfter: '0.001', message: 'Resource has been exhausted' },
    );
    anthropic.reply({ type: 'text', text: 'Claude took over' });
    const r = clouds();
    const result = await r.route('Hi');
    expect(result).toMatchObject({ provider: 'claude', text: 'Claude took over' });
    expect(result.attempts.map((a) => `${a.provider}:${a.errorKind ?? a.outcome}:${a.retry}`)).toEqual([
      'gemini:rate_limit:0',
      'gemini:rate_limit:1',
      'claude:success:0',
    ]);
    await r.close();
  });

  it('an invalid Gemini key (HTTP 400 API_KEY_INVALID) is auth: the router moves on instead of stopping', async () => {
    // The key is revoked between the health check and the call: the chat answers Gemini's invalid-key body.
    gemini.reply({
      type: 'raw',
      response: {
        status: 400,
        body: geminiErrorBody(400, 'API key not valid. Please pass a valid API key.', {
          reason: 'API_KEY_INVALID',
        }),
      },
    });
    anthropic.reply({ type: 'error', status: 529 }, { type: 'error', status: 529 });
    openai.reply({ type: 'text', text: 'OpenAI answered' });
    const r = clouds();
    const result = await r.route('Hi');
    expect(result.provider).toBe('openai');
    expect(result.attempts.map((a) => `${a.provider}:${a.errorKind ?? a.outcome}`)).toEqual([
      'gemini:auth',
      'claude:overloaded',
      'claude:overloaded',
      'openai:success',
    ]);
    await r.close();
  });

  it('a key the Gemini fake does not know fails its free health check: first-available passes over it', async () => {
    openai.reply({ type: 'text', text: 'OpenAI answered' });
    anthropic.reply({ type: 'text', text: 'Claude answered' });
    const r = new Router({ strategy: 'first-available', onWarning: false });
    const revoked = createGemini({
      name: 'gemini',
      model: 'gemini-2.5-flash',
      apiKey: 'AIza-revoked',
      baseURL: gemini.baseURL,
    });
    expect(await revoked.healthCheck()).toBe(false);
    r.addProvider(revoked);
    r.addProvider(
      createAnthropic({
        name: 'claude',
        model: 'claude-sonnet-4-5',
        apiKey: 'sk-ant-test',
        baseURL: anthropic.baseURL,
      }),
    );
    const result = await r.route('Hi');
    expect(result.provider).toBe('claude');
    expect(gemini.chatRequests).toHaveLength(0);
    await r.close();
  });

  it('a prompt Gemini blocks for safety goes to the next cloud', async () => {
    gemini.reply({
      type: 'raw',
      response: {
        body: { promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 4 } },
      },
    });
    anthropic.reply({ type: 'text', text: 'Claude answered' });
    const r = clouds();
    const result = await r.route('Hi');
    expect(result.provider).toBe('claude');
    expect(result.attempts[0]).toMatchObject({ provider: 'gemini', errorKind: 'content_filter' });
    await r.close();
  });

  it('a stream whose in-stream error comes before any text falls back; chunks of the two never mix', async () => {
    gemini.reply({
      type: 'raw',
      response: {
        headers: { 'content-type': 'text/event-stream' },
        body: `${JSON.stringify(geminiErrorBody(503, 'The model is overloaded.'), null, 2)}\n`,
      },
    });
    gemini.reply({ type: 'error', status: 503 });
    anthropic.reply({ type: 'text', text: 'Streamed by Claude instead' });
    const r = clouds();
    const stream = r.routeStream('Hi');
    let text = '';
    for await (const chunk of stream) text += chunk;
    const result = await stream.result;
    expect(text).toBe('Streamed by Claude instead');
    expect(result.provider).toBe('claude');
    await r.close();
  });

  it('Gemini tool calls come back through the router with ids made up for them', async () => {
    gemini.reply({ type: 'tool-call', name: 'get_weather', arguments: { city: 'Oslo' } });
    const r = clouds();
    const result = await r.route('Weather in Oslo?', {
      tools: [
        { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
      ],
    });
    expect(result.provider).toBe('gemini');
    expect(result.finishReason).toBe('tool-calls');
    expect(result.toolCalls).toEqual([
      { id: expect.stringMatching(/^gemini-call-/), name: 'get_weather', arguments: '{"city":"Oslo"}' },
    ]);
    await r.close();
  });
});

describe('a Router across clouds: Bedrock (SigV4, binary event stream) → OpenAI', () => {
  let bedrock: BedrockFakeServer;
  beforeAll(async () => {
    bedrock = await BedrockFakeServer.start();
  });
  afterAll(() => bedrock.close());
  beforeEach(() => bedrock.reset());

  function aws() {
    const r = new Router({
      strategy: 'first-available',
      retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 2 },
      onWarning: false,
    });
    r.addProvider(
      createBedrock({
        name: 'bedrock',
        model: 'us.amazon.nova-lite-v1:0',
        region: 'us-east-1',
        credentials: BEDROCK_TEST_CREDENTIALS,
        baseURL: bedrock.baseURL,
      }),
    );
    r.addProvider(
      createOpenAI({ name: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-test', baseURL: openai.baseURL }),
    );
    return r;
  }

  it('answers from Nova on Bedrock with USD cost from its list price', async () => {
    bedrock.reply({
      type: 'text',
      text: 'Hello from Nova',
      usage: { promptTokens: 1000, completionTokens: 1000 },
    });
    const r = aws();
    const result = await r.route('Hi');
    expect(result).toMatchObject({ provider: 'bedrock', text: 'Hello from Nova' });
    // 1000 × $0.06/M + 1000 × $0.24/M
    expect(result.cost).toEqual({ amount: 0.0003, currency: 'USD', known: true });
    await r.close();
  });

  it('retries a ThrottlingException, then falls back to OpenAI; a quota refusal is not retried', async () => {
    bedrock.reply({ type: 'error', status: 429 }, { type: 'error', status: 429 });
    openai.reply({ type: 'text', text: 'Hello from OpenAI' });
    const r = aws();
    const result = await r.route('Hi');
    expect(result.attempts.map((a) => `${a.provider}:${a.errorKind ?? a.outcome}:${a.retry}`)).toEqual([
      'bedrock:rate_limit:0',
      'bedrock:rate_limit:1',
      'openai:success:0',
    ]);
    bedrock.reply({
      type: 'error',
      status: 400,
      code: 'ServiceQuotaExceededException',
      message: 'Too many tokens per day',
    });
    openai.reply({ type: 'text', text: 'Hello again from OpenAI' });
    const second = await r.route('Hi');
    expect(second.attempts.map((a) => `${a.provider}:${a.errorKind ?? a.outcome}:${a.retry}`)).toEqual([
      'bedrock:quota:0',
      'openai:success:0',
    ]);
    await r.close();
  });

  it('an exception frame before any text falls back; chunks of the two never mix', async () => {
    bedrock.reply(
      { type: 'stream-error', text: 'never', afterDeltas: 0, message: 'The model failed' },
      { type: 'stream-error', text: 'never', afterDeltas: 0, message: 'The model failed' },
    );
    openai.reply({ type: 'text', text: 'Streamed by OpenAI' });
    const r = aws();
    const stream = r.routeStream('Hi');
    let text = '';
    for await (const chunk of stream) text += chunk;
    expect(text).toBe('Streamed by OpenAI');
    expect((await stream.result).provider).toBe('openai');
    await r.close();
  });

  it('Bedrock tool calls come back through the router', async () => {
    bedrock.reply({ type: 'tool-call', name: 'weather', arguments: { city: 'Oslo' }, id: 'tooluse_1' });
    const r = aws();
    const result = await r.route('Weather in Oslo?', {
      tools: [{ name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
    });
    expect(result.toolCalls).toEqual([{ id: 'tooluse_1', name: 'weather', arguments: '{"city":"Oslo"}' }]);
    await r.close();
  });
});
