// A Router over the four real provider packages, each talking to its own wire-faithful fake server on
// 127.0.0.1: requests fall back across protocols (OpenAI SSE, GigaChat OAuth + SSE, YandexGPT cumulative
// NDJSON, Ollama NDJSON) exactly as they would across the real services.
import { RouteFailedError, Router, type UsageRecord } from '@llmo/core';
import { createGigaChat } from '@llmo/provider-gigachat';
import { createOllama } from '@llmo/provider-ollama';
import { createOpenAI } from '@llmo/provider-openai';
import { createYandexGPT } from '@llmo/provider-yandexgpt';
import { GigaChatFakeServer, OllamaFakeServer, OpenAIFakeServer, YandexGPTFakeServer } from '@llmo/testkit';
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
