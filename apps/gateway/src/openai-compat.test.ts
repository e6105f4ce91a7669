// The official `openai` client and LangChain's ChatOpenAI against a real gateway (startGateway on 127.0.0.1),
// whose providers are a fake OpenAI upstream from @llmo/testkit and a mock: chat, streams, tools, models,
// errors, 401 and 429, unchanged clients.
import { ChatOpenAI } from '@langchain/openai';
import { OpenAIFakeServer } from '@llmo/testkit';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './start-test-gateway.test-helper.js';

const KEY = 'sk-gw-alice-0123456789abcdef';
const LIMITED = 'sk-gw-limited-0123456789abcdef';
const UPSTREAM_KEY = 'sk-upstream-secret-9876543210';

let fake: OpenAIFakeServer;
/** The body of the last chat request the upstream received. */
const lastBody = (): unknown => {
  const last = fake.chatRequests.at(-1);
  if (!last) throw new Error('the upstream received no chat request');
  return last.body;
};
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  fake = await OpenAIFakeServer.start();
  gw = await startTestGateway(
    `
router:
  strategy: first-available
  retry: { maxRetries: 0, maxPasses: 1 }
providers:
  - { name: upstream, type: openai, model: gpt-4o-mini, baseURL: "\${UPSTREAM}", apiKey: "\${UPSTREAM_KEY}",
      pricing: { inputPer1K: 0.001, outputPer1K: 0.002, currency: USD } }
  - { name: local, type: mock, model: mock-normal, latencyMs: 0, chunkDelayMs: 0 }
gateway:
  keys:
    - { key: "\${KEY_ALICE}", tenant: alice }
    - { key: "\${KEY_LIMITED}", tenant: bob, rpm: 2 }
  logs: { dir: __LOGS__ }
`,
    { UPSTREAM: fake.baseURL, UPSTREAM_KEY, KEY_ALICE: KEY, KEY_LIMITED: LIMITED },
  );
  client = new OpenAI({ apiKey: KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.close();
  await fake?.close();
});

describe('the official openai client', () => {
  it('chat: the answer, usage, and x-llmo headers', async () => {
    fake.reply({
      type: 'text',
      text: 'Paris is the capital.',
      usage: { promptTokens: 9, completionTokens: 5 },
    });
    const { data, response } = await client.chat.completions
      .create({ model: 'upstream', messages: [{ role: 'user', content: 'Capital of France?' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('Paris is the capital.');
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage).toEqual({ prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 });
    expect(response.headers.get('x-llmo-provider')).toBe('upstream');
    expect(response.headers.get('x-llmo-attempts')).toBe('1');
    const [amount, currency] = (response.headers.get('x-llmo-cost') ?? '').split(' ');
    expect(currency).toBe('USD');
    expect(Number(amount)).toBeCloseTo((9 * 0.001 + 5 * 0.002) / 1000, 12);
    // The gateway's key is not forwarded upstream; the provider's own key is.
    const sent = fake.chatRequests.at(-1);
    expect(sent?.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
  });

  it('streams with stream_options.include_usage', async () => {
    fake.reply({ type: 'text', text: 'one two three', usage: { promptTokens: 4, completionTokens: 3 } });
    const stream = await client.chat.completions.create({
      model: 'upstream',
      messages: [{ role: 'user', content: 'count' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish ??= chunk.choices[0]?.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('one two three');
    expect(finish).toBe('stop');
    expect(usage).toEqual({ prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 });
  });

  it('stream chunks name the model that answered, not the alias asked for (a provider name, auto)', async () => {
    for (const [model, expected] of [
      ['upstream', 'gpt-4o-mini'],
      ['local', 'mock-normal'],
      ['auto', 'gpt-4o-mini'],
    ] as const) {
      if (model !== 'local') {
        fake.reply({ type: 'text', text: 'one two', usage: { promptTokens: 2, completionTokens: 2 } });
      }
      const stream = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'count' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const seen = new Set<string>();
      for await (const chunk of stream) seen.add(chunk.model);
      expect([...seen], model).toEqual([expected]);
    }
  });

  it('stream chunks name the fallback that answered when it sends no response metadata (auto)', async () => {
    // The upstream fails, so the mock answers: it sends no `response-metadata`, and the providers differ in
    // model, so only the router's commitment (known with the first part) can name it before the last chunk.
    fake.reply({ type: 'error', status: 500 });
    const stream = await client.chat.completions.create({
      model: 'auto',
      messages: [{ role: 'user', content: 'count' }],
      stream: true,
    });
    const seen: string[] = [];
    for await (const chunk of stream) seen.push(chunk.model);
    expect(seen.length).toBeGreaterThan(2);
    expect(new Set(seen)).toEqual(new Set(['mock-normal']));
  });

  it('tools: a tool call, non-streaming and streamed (assembled by the SDK)', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather in a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ];
    fake.reply({ type: 'tool-call', name: 'get_weather', arguments: { city: 'Paris' }, id: 'call_1' });
    const res = await client.chat.completions.create({
      model: 'upstream',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools,
      tool_choice: 'auto',
    });
    expect(res.choices[0]?.finish_reason).toBe('tool_calls');
    const call = res.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
    // The tools reached the upstream in OpenAI's shape.
    expect((lastBody() as { tools: unknown[] }).tools).toHaveLength(1);

    fake.reply({ type: 'tool-call', name: 'get_weather', arguments: { city: 'Oslo' }, id: 'call_2' });
    const runner = client.chat.completions.stream({
      model: 'upstream',
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tools,
    });
    const final = await runner.finalChatCompletion();
    const streamed = final.choices[0]?.message.tool_calls?.[0];
    expect(streamed?.type === 'function' && streamed.function.name).toBe('get_weather');
    expect(streamed?.type === 'function' && JSON.parse(streamed.function.arguments)).toEqual({
      city: 'Oslo',
    });
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');

    // A tool result goes back as a `tool` message.
    fake.reply({ type: 'text', text: 'It is sunny.' });
    const followUp = await client.chat.completions.create({
      model: 'upstream',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"sky":"clear"}' },
      ],
      tools,
    });
    expect(followUp.choices[0]?.message.content).toBe('It is sunny.');
    const sentMessages = (lastBody() as { messages: { role: string; tool_call_id?: string }[] }).messages;
    expect(sentMessages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(sentMessages[2]?.tool_call_id).toBe('call_1');
  });

  it('response_format json_schema reaches the upstream', async () => {
    fake.reply({ type: 'text', text: '{"city":"Paris"}' });
    const res = await client.chat.completions.create({
      model: 'upstream',
      messages: [{ role: 'user', content: 'JSON please' }],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'place', schema: { type: 'object', properties: { city: { type: 'string' } } } },
      },
    });
    expect(JSON.parse(res.choices[0]?.message.content ?? '')).toEqual({ city: 'Paris' });
    const sent = lastBody() as {
      response_format?: { type: string; json_schema?: { name: string } };
    };
    expect(sent.response_format?.type).toBe('json_schema');
    expect(sent.response_format?.json_schema?.name).toBe('place');
  });

  it('models: auto, the provider names and the model ids', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['auto', 'upstream', 'local', 'gpt-4o-mini', 'mock-normal']);
  });

  it('model selects a provider by model id too, and "auto" lets the router choose', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'mock-normal', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(response.headers.get('x-llmo-provider')).toBe('local');
    fake.reply({ type: 'text', text: 'auto answer' });
    const auto = await client.chat.completions.create({
      model: 'auto',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(auto.choices[0]?.message.content).toBe('auto answer');
  });

  it('errors: 400 naming the field, 404 for an unknown model, 502 when the provider fails', async () => {
    const bad = await client.chat.completions
      .create({ model: 'upstream', messages: [{ role: 'user', content: 'x' }], temperature: 7 })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect((bad as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('temperature');
    expect((bad as InstanceType<typeof OpenAI.BadRequestError>).message).toContain('temperature');

    const missing = await client.chat.completions
      .create({ model: 'gpt-17', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((missing as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');

    fake.reply({ type: 'error', status: 500, message: 'upstream broke' });
    const failed = await client.chat.completions
      .create({ model: 'upstream', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(OpenAI.InternalServerError);
    expect((failed as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((failed as InstanceType<typeof OpenAI.APIError>).message).toContain('upstream (server');

    fake.reply({ type: 'error', status: 400, message: 'bad thing' });
    const rejected = await client.chat.completions
      .create({ model: 'upstream', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('401: a missing or unknown key', async () => {
    const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const e = await wrong.chat.completions
      .create({ model: 'local', messages: [{ role: 'user', content: 'x' }] })
      .catch((error: unknown) => error);
    expect(e).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((e as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
    const listing = await wrong.models.list().catch((error: unknown) => error);
    expect(listing).toBeInstanceOf(OpenAI.AuthenticationError);
    const none = await fetch(`${gw.url}/v1/models`);
    expect(none.status).toBe(401);
  });

  it('429 with Retry-After once a key is past its requests per minute', async () => {
    const limited = new OpenAI({ apiKey: LIMITED, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const ask = () =>
      limited.chat.completions
        .create({ model: 'local', messages: [{ role: 'user', content: 'x' }] })
        .withResponse();
    await ask();
    await ask();
    const e = await ask().catch((error: unknown) => error);
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    const retryAfter = Number((e as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Other keys are not affected.
    await client.chat.completions.create({ model: 'local', messages: [{ role: 'user', content: 'x' }] });
  });
});

describe("LangChain's ChatOpenAI", () => {
  const model = (apiKey = KEY, extra: Record<string, unknown> = {}) =>
    new ChatOpenAI({
      model: 'upstream',
      apiKey,
      configuration: { baseURL: `${gw.url}/v1` },
      maxRetries: 0,
      ...extra,
    });

  it('invoke', async () => {
    fake.reply({ type: 'text', text: 'Hello from upstream.' });
    const message = await model().invoke('Say hello');
    expect(message.content).toBe('Hello from upstream.');
    expect(message.usage_metadata?.total_tokens).toBeGreaterThan(0);
  });

  it('stream', async () => {
    fake.reply({ type: 'text', text: 'streamed words here' });
    let text = '';
    for await (const chunk of await model().stream('Stream please')) text += String(chunk.content);
    expect(text).toBe('streamed words here');
  });

  it('tools (bindTools)', async () => {
    fake.reply({ type: 'tool-call', name: 'get_weather', arguments: { city: 'Rome' }, id: 'call_lc' });
    const withTools = model().bindTools([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather in a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ]);
    const message = await withTools.invoke('Weather in Rome?');
    expect(message.tool_calls?.[0]?.name).toBe('get_weather');
    expect(message.tool_calls?.[0]?.args).toEqual({ city: 'Rome' });
  });

  it('401 and 429 surface as errors with their status', async () => {
    const unauthorized = await model('sk-nope')
      .invoke('x')
      .catch((e: unknown) => e);
    expect((unauthorized as { status?: number }).status).toBe(401);
    const limitedModel = new ChatOpenAI({
      model: 'local',
      apiKey: LIMITED,
      configuration: { baseURL: `${gw.url}/v1` },
      maxRetries: 0,
    });
    // The limited key spent its 2 requests above (same minute); if this file runs alone, spend them here.
    let last: unknown;
    for (let i = 0; i < 3; i++) last = await limitedModel.invoke('x').catch((e: unknown) => e);
    expect((last as { status?: number }).status).toBe(429);
  });
});
