// One Router over all eight provider packages, each on its own wire-faithful fake on 127.0.0.1: a request
// that every provider but the last refuses, each in its own protocol's way, still gets its answer; and the same
// application code runs unchanged on any one of the eight (only the provider factory differs).
import { Router, type UsageRecord } from '@llmo/core';
import type { ProviderV1 } from '@llmo/core/provider';
import { createAnthropic } from '@llmo/provider-anthropic';
import { createBedrock } from '@llmo/provider-bedrock';
import { createGemini } from '@llmo/provider-gemini';
import { createGigaChat } from '@llmo/provider-gigachat';
import { createOllama } from '@llmo/provider-ollama';
import { createOpenAI } from '@llmo/provider-openai';
import { createVertex } from '@llmo/provider-vertex';
import { createYandexGPT } from '@llmo/provider-yandexgpt';
import {
  AnthropicFakeServer,
  BEDROCK_TEST_CREDENTIALS,
  BedrockFakeServer,
  GeminiFakeServer,
  GigaChatFakeServer,
  OllamaFakeServer,
  OpenAIFakeServer,
  type Scenario,
  VertexFakeServer,
  YandexGPTFakeServer,
} from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

let openai: OpenAIFakeServer;
let anthropic: AnthropicFakeServer;
let gemini: GeminiFakeServer;
let bedrock: BedrockFakeServer;
let vertex: VertexFakeServer;
let gigachat: GigaChatFakeServer;
let yandex: YandexGPTFakeServer;
let ollama: OllamaFakeServer;
let serviceAccount: Awaited<ReturnType<VertexFakeServer['createServiceAccount']>>['key'];

beforeAll(async () => {
  [openai, anthropic, gemini, bedrock, vertex, gigachat, yandex, ollama] = await Promise.all([
    OpenAIFakeServer.start(),
    AnthropicFakeServer.start(),
    GeminiFakeServer.start({ validKeys: ['AIza-test'] }),
    BedrockFakeServer.start(),
    VertexFakeServer.start(),
    GigaChatFakeServer.start(),
    YandexGPTFakeServer.start(),
    OllamaFakeServer.start(),
  ]);
  ({ key: serviceAccount } = await vertex.createServiceAccount({ projectId: 'llmo-test' }));
}, 60_000);
afterAll(() =>
  Promise.all([openai, anthropic, gemini, bedrock, vertex, gigachat, yandex, ollama].map((s) => s.close())),
);
beforeEach(() => {
  for (const s of [openai, anthropic, gemini, bedrock, vertex, gigachat, yandex, ollama]) s.reset();
});

/** The eight, in the order `first-available` tries them: each factory with its own settings, nothing else. */
function providers(): ProviderV1[] {
  return [
    createGemini({ name: 'gemini', model: 'gemini-2.5-flash', apiKey: 'AIza-test', baseURL: gemini.baseURL }),
    createAnthropic({
      name: 'claude',
      model: 'claude-sonnet-4-5',
      apiKey: 'sk-ant-test',
      baseURL: anthropic.baseURL,
    }),
    createBedrock({
      name: 'bedrock',
      model: 'us.amazon.nova-lite-v1:0',
      region: 'us-east-1',
      credentials: BEDROCK_TEST_CREDENTIALS,
      baseURL: bedrock.baseURL,
    }),
    createVertex({
      name: 'vertex',
      model: 'gemini-2.5-flash',
      project: 'llmo-test',
      location: 'us-central1',
      serviceAccount,
      baseURL: vertex.url,
    }),
    createGigaChat({
      name: 'gigachat',
      model: 'GigaChat-2-Pro',
      credentials: 'a2V5',
      baseURL: gigachat.baseURL,
      authURL: gigachat.authURL,
    }),
    createYandexGPT({
      name: 'yandexgpt',
      model: 'yandexgpt-lite',
      folderId: 'b1g',
      apiKey: 'AQVN',
      baseURL: yandex.baseURL,
    }),
    createOllama({ name: 'ollama', model: 'llama3.2', baseURL: ollama.baseURL }),
    createOpenAI({ name: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-test', baseURL: openai.baseURL }),
  ];
}

/** Each provider's own way of refusing (the wire error its service sends), in the order above. */
function refuseAllButOpenAI(): void {
  gemini.reply({ type: 'error', status: 503, message: 'The model is overloaded. Please try again later.' });
  anthropic.reply({ type: 'error', status: 529, message: 'Overloaded' });
  bedrock.reply({ type: 'error', status: 429, code: 'ThrottlingException', message: 'Too many requests' });
  vertex.gemini.reply({ type: 'error', status: 500, message: 'Internal error encountered.' });
  gigachat.reply({ type: 'error', status: 500 });
  yandex.reply({ type: 'error', status: 503 });
  ollama.reply({ type: 'error', status: 500, message: 'server busy' });
}

function eightRouter(usage: UsageRecord[] = []): Router {
  const router = new Router({
    strategy: 'first-available',
    retry: { maxRetries: 0 },
    onWarning: false,
    usageCallback: (record) => void usage.push(record),
  });
  for (const provider of providers()) router.addProvider(provider);
  return router;
}

const ORDER = ['gemini', 'claude', 'bedrock', 'vertex', 'gigachat', 'yandexgpt', 'ollama', 'openai'];
const answer = (text: string): Scenario => ({
  type: 'text',
  text,
  usage: { promptTokens: 12, completionTokens: 4 },
});

describe('a Router over all eight providers', () => {
  it('falls back across every protocol until one answers; every attempt and usage record is kept', async () => {
    refuseAllButOpenAI();
    openai.reply(answer('Answered by the eighth'));
    const usage: UsageRecord[] = [];
    const router = eightRouter(usage);
    const result = await router.route('Hello');
    expect(result).toMatchObject({ text: 'Answered by the eighth', provider: 'openai' });
    expect(result.attempts.map((a) => a.provider)).toEqual(ORDER);
    expect(result.attempts.slice(0, 7).every((a) => a.outcome !== 'success' && a.errorKind)).toBe(true);
    await router.close();
    expect(usage.map((u) => `${u.provider}:${u.success}`)).toEqual(
      ORDER.map((name) => `${name}:${name === 'openai'}`),
    );
  });

  it('streams from the eighth when the seven fail before their first chunk; no chunk of theirs leaks', async () => {
    refuseAllButOpenAI();
    openai.reply(answer('Streamed by the eighth'));
    const router = eightRouter();
    const stream = router.routeStream('Hello');
    let text = '';
    for await (const delta of stream) text += delta;
    const result = await stream.result;
    expect(text).toBe('Streamed by the eighth');
    expect(result.provider).toBe('openai');
    expect(result.attempts.map((a) => a.provider)).toEqual(ORDER);
    await router.close();
  });

  it('the same application code runs on each of the eight: only the factory differs', async () => {
    const servers: Record<string, { reply(...scenarios: Scenario[]): unknown }> = {
      gemini,
      claude: anthropic,
      bedrock,
      vertex: vertex.gemini,
      gigachat,
      yandexgpt: yandex,
      ollama,
      openai,
    };
    // What an application writes once: route a prompt, stream the answer, read cost and usage.
    async function application(
      router: Router,
    ): Promise<{ text: string; streamed: string; provider: string }> {
      const result = await router.route([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ]);
      let streamed = '';
      for await (const delta of router.routeStream('Hello again')) streamed += delta;
      return { text: result.text, streamed, provider: result.provider };
    }
    for (const provider of providers()) {
      const name = provider.name;
      servers[name]?.reply(answer(`${name} says hi`), answer(`${name} streams hi`));
      const router = new Router({ onWarning: false }).addProvider(provider);
      expect(await application(router), name).toEqual({
        text: `${name} says hi`,
        streamed: `${name} streams hi`,
        provider: name,
      });
      await router.close();
    }
  });
});
