import { parseNdjsonStream, parseSseStream } from '@llmo/core/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeHttpServer } from './fake-http-server.js';
import { AnthropicFakeServer } from './servers/anthropic-server.js';
import { GeminiFakeServer } from './servers/gemini-server.js';
import { GigaChatFakeServer } from './servers/gigachat-server.js';
import { OllamaFakeServer } from './servers/ollama-server.js';
import { OpenAIFakeServer } from './servers/openai-server.js';
import { YandexGPTFakeServer } from './servers/yandexgpt-server.js';

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('FakeHttpServer', () => {
  let server: FakeHttpServer;
  beforeAll(async () => {
    server = await FakeHttpServer.start();
  });
  afterAll(() => server.close());

  it('listens on 127.0.0.1, records requests and answers queued responses before the default', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    server
      .on('POST', '/x', { body: { n: 'default' } })
      .enqueue('POST', '/x', { status: 201, body: { n: 'first' } });
    const first = await post(`${server.url}/x?q=1`, { a: 1 }, { 'X-Custom': 'yes' });
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ n: 'first' });
    expect(await (await post(`${server.url}/x`, {})).json()).toEqual({ n: 'default' });
    const recorded = server.requestsTo('/x')[0]!;
    expect(recorded).toMatchObject({ method: 'POST', path: '/x', body: { a: 1 } });
    expect(recorded.headers['x-custom']).toBe('yes');
    expect(recorded.query.get('q')).toBe('1');
  });

  it('splits writes into single bytes, inside multi-byte characters', async () => {
    server.on('GET', '/split', { body: 'ёж 🦔', splitBytes: 1 });
    const response = await fetch(`${server.url}/split`);
    const reader = response.body!.getReader();
    const sizes: number[] = [];
    let bytes = 0;
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      sizes.push(value.length);
      bytes += value.length;
    }
    expect(bytes).toBe(new TextEncoder().encode('ёж 🦔').length);
    expect(sizes.length).toBeGreaterThan(1);
  });

  it('resets the connection after N chunks', async () => {
    server.on('GET', '/reset', { chunks: ['a', 'b', 'c'], resetAfterChunks: 1 });
    const response = await fetch(`${server.url}/reset`);
    await expect(response.text()).rejects.toThrow();
  });

  it('parses form bodies', async () => {
    server.on('POST', '/form', { body: {} });
    await fetch(`${server.url}/form`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'scope=GIGACHAT_API_PERS',
    });
    expect(server.requestsTo('/form')[0]?.body).toEqual({ scope: 'GIGACHAT_API_PERS' });
  });
});

describe('OpenAIFakeServer speaks Chat Completions', () => {
  let server: OpenAIFakeServer;
  beforeAll(async () => {
    server = await OpenAIFakeServer.start();
  });
  afterAll(() => server.close());

  it('streams SSE deltas, a usage chunk with empty choices when asked, then [DONE]', async () => {
    server.reply({ type: 'text', text: 'Hi there', usage: { promptTokens: 3, completionTokens: 2 } });
    const response = await post(`${server.baseURL}/chat/completions`, {
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = [];
    for await (const event of parseSseStream(response.body!)) events.push(event.data);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((d) => JSON.parse(d));
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('Hi there');
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    });
  });

  it('answers errors in the nested OpenAI shape with Retry-After', async () => {
    server.reply({ type: 'error', status: 429, code: 'insufficient_quota', retryAfter: '3' });
    const response = await post(`${server.baseURL}/chat/completions`, { model: 'm' });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toMatchObject({ error: { code: 'insufficient_quota', param: null } });
  });
});

describe('OllamaFakeServer speaks the native API', () => {
  it('streams NDJSON by default, ending with done:true and counts', async () => {
    const server = await OllamaFakeServer.start();
    try {
      server.reply({ type: 'text', text: 'a b', usage: { promptTokens: 4, completionTokens: 2 } });
      const response = await post(`${server.baseURL}/api/chat`, { model: 'llama3.2', messages: [] });
      const lines = [];
      for await (const value of parseNdjsonStream<Record<string, unknown>>(response.body!)) lines.push(value);
      expect(lines.at(-1)).toMatchObject({ done: true, prompt_eval_count: 4, eval_count: 2 });
      expect(
        lines
          .slice(0, -1)
          .map((l) => (l.message as { content: string }).content)
          .join(''),
      ).toBe('a b');
    } finally {
      await server.close();
    }
  });
});

describe('GigaChatFakeServer speaks OAuth and the v1 API', () => {
  it('issues tokens for Basic + RqUID + scope, rejects a scope mismatch with code 7, and requires the token', async () => {
    const server = await GigaChatFakeServer.start({ scopes: ['GIGACHAT_API_B2B'] });
    try {
      const oauth = (scope: string, rqUid: string = crypto.randomUUID()) =>
        fetch(server.authURL, {
          method: 'POST',
          headers: {
            authorization: 'Basic a2V5',
            rquid: rqUid,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: `scope=${scope}`,
        });
      expect(await (await oauth('GIGACHAT_API_PERS')).json()).toEqual({
        code: 7,
        message: 'scope from db not fully includes consumed scope',
      });
      expect((await oauth('GIGACHAT_API_B2B', 'not-a-uuid')).status).toBe(400);
      const token = (await (await oauth('GIGACHAT_API_B2B')).json()) as {
        access_token: string;
        expires_at: number;
      };
      expect(token.expires_at).toBeGreaterThan(Date.now());
      expect((await post(`${server.baseURL}/chat/completions`, { model: 'GigaChat' })).status).toBe(401);
      const ok = await post(
        `${server.baseURL}/chat/completions`,
        { model: 'GigaChat' },
        { authorization: `Bearer ${token.access_token}` },
      );
      expect(await ok.json()).toMatchObject({ model: 'GigaChat:2.0.28.2', object: 'chat.completion' });
    } finally {
      await server.close();
    }
  });
});

describe('YandexGPTFakeServer speaks the native completion API', () => {
  it('streams cumulative text as newline-separated result objects with string token counts', async () => {
    const server = await YandexGPTFakeServer.start();
    try {
      server.reply({ type: 'text', text: 'one two three' });
      const response = await post(`${server.baseURL}/foundationModels/v1/completion`, {
        completionOptions: { stream: true },
      });
      const lines = [];
      for await (const value of parseNdjsonStream<{
        result: {
          alternatives: { message: { text: string }; status: string }[];
          usage: Record<string, string>;
        };
      }>(response.body!))
        lines.push(value);
      expect(lines.map((l) => l.result.alternatives[0]!.message.text)).toEqual([
        'one ',
        'one two ',
        'one two three',
        'one two three',
      ]);
      expect(lines.at(-1)!.result.alternatives[0]!.status).toBe('ALTERNATIVE_STATUS_FINAL');
      expect(typeof lines.at(-1)!.result.usage.totalTokens).toBe('string');
    } finally {
      await server.close();
    }
  });
});

describe('AnthropicFakeServer speaks the Messages API', () => {
  let server: AnthropicFakeServer;
  const headers = { 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01' };
  beforeAll(async () => {
    server = await AnthropicFakeServer.start({
      cacheUsage: { cacheCreationInputTokens: 5, cacheReadInputTokens: 100 },
    });
  });
  afterAll(() => server.close());

  it('streams message_start, a text block with pings, message_delta usage and message_stop', async () => {
    server.reply({ type: 'text', text: 'Hi there', usage: { promptTokens: 3, completionTokens: 2 } });
    const response = await post(
      `${server.baseURL}/v1/messages`,
      { model: 'claude-sonnet-4-5', max_tokens: 10, stream: true },
      headers,
    );
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    const events = [];
    for await (const event of parseSseStream(response.body!))
      events.push({ event: event.event, data: JSON.parse(event.data) });
    for (const e of events) expect(e.data.type).toBe(e.event);
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0]!.data.message).toMatchObject({
      content: [],
      stop_reason: null,
      model: 'claude-sonnet-4-5',
    });
    expect(events[6]!.data).toMatchObject({
      delta: { stop_reason: 'end_turn' },
      usage: {
        input_tokens: 3,
        output_tokens: 2,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 5,
      },
    });
  });

  it('streams a tool call as input_json_delta fragments, the first one empty', async () => {
    server.reply({ type: 'tool-call', name: 'weather', arguments: { city: 'Oslo' } });
    const response = await post(`${server.baseURL}/v1/messages`, { stream: true }, headers);
    const fragments: string[] = [];
    for await (const event of parseSseStream(response.body!)) {
      const data = JSON.parse(event.data);
      if (data.delta?.type === 'input_json_delta') fragments.push(data.delta.partial_json);
    }
    expect(fragments[0]).toBe('');
    expect(fragments.join('')).toBe('{"city":"Oslo"}');
  });

  it('answers errors in the Anthropic shape: 529 overloaded_error, retry-after, request-id; event: error after a 200', async () => {
    server.reply({ type: 'error', status: 529, retryAfter: '3' });
    const response = await post(`${server.baseURL}/v1/messages`, {}, headers);
    expect(response.status).toBe(529);
    expect(response.headers.get('retry-after')).toBe('3');
    const body = await response.json();
    expect(body).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(body.request_id).toBe(response.headers.get('request-id'));

    server.reply({ type: 'stream-error', text: 'a b c', afterDeltas: 1 });
    const stream = await post(`${server.baseURL}/v1/messages`, { stream: true }, headers);
    const events = [];
    for await (const event of parseSseStream(stream.body!)) events.push(event);
    expect(events.at(-1)?.event).toBe('error');
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ error: { type: 'overloaded_error' } });
  });

  it('requires x-api-key and anthropic-version', async () => {
    const noKey = await post(`${server.baseURL}/v1/messages`, {}, { 'anthropic-version': '2023-06-01' });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ error: { type: 'authentication_error' } });
    const noVersion = await post(`${server.baseURL}/v1/messages`, {}, { 'x-api-key': 'k' });
    expect(noVersion.status).toBe(400);
  });

  it('pages GET /v1/models with limit, after_id and has_more', async () => {
    const page = async (query: string) =>
      (await (await fetch(`${server.baseURL}/v1/models${query}`, { headers })).json()) as {
        data: { id: string }[];
        has_more: boolean;
        last_id: string;
      };
    const first = await page('?limit=2');
    expect(first.data.map((m) => m.id)).toEqual(['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001']);
    expect(first.has_more).toBe(true);
    const second = await page(`?limit=2&after_id=${first.last_id}`);
    expect(second.data.map((m) => m.id)).toEqual(['claude-opus-4-1-20250805']);
    expect(second.has_more).toBe(false);
  });
});

describe('GeminiFakeServer speaks the Gemini API (v1beta)', () => {
  let server: GeminiFakeServer;
  const headers = { 'x-goog-api-key': 'AIza-test-key' };
  const chat = (method: string, query = '') => `${server.baseURL}/models/gemini-2.5-flash:${method}${query}`;
  const prompt = { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] };
  beforeAll(async () => {
    server = await GeminiFakeServer.start({ thoughtsTokens: 5 });
  });
  afterAll(() => server.close());

  it('streams data: events ending in CRLF CRLF, deltas with running usage, finishReason on the last', async () => {
    server.reply({ type: 'text', text: 'One two three', usage: { promptTokens: 4, completionTokens: 6 } });
    const response = await post(chat('streamGenerateContent', '?alt=sse'), prompt, headers);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const raw = await response.text();
    expect(raw.split('\r\n\r\n').filter(Boolean)).toHaveLength(3);
    expect(raw.endsWith('}\r\n\r\n')).toBe(true);
    const chunks = raw
      .split('\r\n\r\n')
      .filter(Boolean)
      .map((event) => JSON.parse(event.replace(/^data: /, '')));
    expect(chunks.map((c) => c.candidates[0].content.parts[0].text)).toEqual(['One ', 'two ', 'three']);
    expect(chunks.map((c) => c.candidates[0].finishReason)).toEqual([undefined, undefined, 'STOP']);
    const usage = chunks.map((c) => c.usageMetadata.candidatesTokenCount);
    expect(usage[2]).toBe(6);
    expect(usage[0]).toBeLessThan(usage[2]);
    expect(chunks[2].usageMetadata).toMatchObject({
      promptTokenCount: 4,
      thoughtsTokenCount: 5,
      totalTokenCount: 15,
    });
    expect(chunks[0]).toMatchObject({ modelVersion: 'gemini-2.5-flash', responseId: chunks[2].responseId });
  });

  it('answers generateContent as JSON, and without alt=sse streams one JSON array', async () => {
    server.reply({ type: 'text', text: 'Hello', finishReason: 'length' });
    const json = await (await post(chat('generateContent'), prompt, headers)).json();
    expect(json.candidates[0]).toMatchObject({
      content: { role: 'model', parts: [{ text: 'Hello' }] },
      finishReason: 'MAX_TOKENS',
    });
    server.reply({ type: 'text', text: 'a b' });
    const array = JSON.parse(await (await post(chat('streamGenerateContent'), prompt, headers)).text());
    expect(
      array.map(
        (c: { candidates: { content: { parts: { text: string }[] } }[] }) =>
          c.candidates[0]!.content.parts[0]!.text,
      ),
    ).toEqual(['a ', 'b']);
  });

  it('sends a function call whole, without an id, with a thoughtSignature, finishing with STOP', async () => {
    server.reply({ type: 'tool-call', name: 'weather', arguments: { city: 'Oslo' } });
    const json = await (await post(chat('generateContent'), prompt, headers)).json();
    expect(json.candidates[0]).toMatchObject({
      content: {
        parts: [
          { functionCall: { name: 'weather', args: { city: 'Oslo' } }, thoughtSignature: 'fake-signature' },
        ],
      },
      finishReason: 'STOP',
    });
    expect(json.candidates[0].content.parts[0].functionCall.id).toBeUndefined();
  });

  it('answers errors as google.rpc.Status with RetryInfo (no Retry-After), and a bare error object in a 200 stream', async () => {
    server.reply({ type: 'error', status: 429, retryAfter: '1.5' });
    const response = await post(chat('generateContent'), prompt, headers);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(await response.json()).toEqual({
      error: {
        code: 429,
        message: 'fake error 429',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' }],
      },
    });
    server.reply({ type: 'stream-error', text: 'a b c', afterDeltas: 1 });
    const raw = await (await post(chat('streamGenerateContent', '?alt=sse'), prompt, headers)).text();
    const [event, bare] = raw.split('\r\n\r\n');
    expect(event!.startsWith('data: ')).toBe(true);
    expect(bare!.startsWith('{\n  "error": {')).toBe(true);
    expect(JSON.parse(bare!)).toMatchObject({ error: { code: 500, status: 'INTERNAL' } });
  });

  it('checks x-goog-api-key: none → 403 PERMISSION_DENIED, unknown → 400 API_KEY_INVALID', async () => {
    const none = await post(chat('generateContent'), prompt);
    expect(none.status).toBe(403);
    expect(await none.json()).toMatchObject({ error: { status: 'PERMISSION_DENIED' } });
    const strict = await GeminiFakeServer.start({ validKeys: ['good'] });
    try {
      const bad = await post(`${strict.baseURL}/models/gemini-2.5-flash:generateContent`, prompt, headers);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({
        error: { status: 'INVALID_ARGUMENT', details: [{ reason: 'API_KEY_INVALID' }] },
      });
    } finally {
      await strict.close();
    }
  });

  it('pages GET /v1beta/models with pageSize, pageToken and nextPageToken', async () => {
    const page = async (query: string) =>
      (await (await fetch(`${server.baseURL}/models${query}`, { headers })).json()) as {
        models: { name: string; inputTokenLimit: number }[];
        nextPageToken?: string;
      };
    const first = await page('?pageSize=2');
    expect(first.models.map((m) => m.name)).toEqual(['models/gemini-2.5-pro', 'models/gemini-2.5-flash']);
    expect(first.models[0]!.inputTokenLimit).toBe(1_048_576);
    const rest = await page(`?pageSize=10&pageToken=${first.nextPageToken}`);
    expect(rest.models).toHaveLength(3);
    expect(rest.nextPageToken).toBeUndefined();
    const one = await (await fetch(`${server.baseURL}/models/gemini-2.0-flash`, { headers })).json();
    expect(one).toMatchObject({ name: 'models/gemini-2.0-flash', outputTokenLimit: 8192 });
  });

  it('counts tokens, embeds one text and batches, checking each request names the URL model', async () => {
    const count = await (await post(chat('countTokens'), prompt, headers)).json();
    expect(count.totalTokens).toBeGreaterThan(0);
    const embedURL = (method: string) => `${server.baseURL}/models/gemini-embedding-001:${method}`;
    const one = await (
      await post(
        embedURL('embedContent'),
        { content: { parts: [{ text: 'x' }] }, outputDimensionality: 3 },
        headers,
      )
    ).json();
    expect(one.embedding.values).toHaveLength(3);
    const batch = await (
      await post(
        embedURL('batchEmbedContents'),
        {
          requests: ['x', 'y'].map((text) => ({
            model: 'models/gemini-embedding-001',
            content: { parts: [{ text }] },
          })),
        },
        headers,
      )
    ).json();
    expect(batch.embeddings.map((e: { values: number[] }) => e.values.length)).toEqual([8, 8]);
    const wrong = await post(
      embedURL('batchEmbedContents'),
      { requests: [{ model: 'models/other', content: { parts: [{ text: 'x' }] } }] },
      headers,
    );
    expect(wrong.status).toBe(400);
  });
});
