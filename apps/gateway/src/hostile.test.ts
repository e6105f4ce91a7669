// Upstreams that reset, stall or answer malformed 200s; clients that disconnect mid-stream; many requests at
// once. Each ends in a typed error or a correct answer, with its usage record and its log line.
import { OpenAIFakeServer } from '@llmo/testkit';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway, waitFor } from './start-test-gateway.test-helper.js';
import { TrackingUpstream } from './tracking-upstream.test-helper.js';

let fake: OpenAIFakeServer;
let tracking: TrackingUpstream;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  fake = await OpenAIFakeServer.start();
  tracking = await TrackingUpstream.start();
  gw = await startTestGateway(
    `
router:
  retry: { maxRetries: 0, maxPasses: 1 }
  timeoutMs: 30000
  idleTimeoutMs: 2000
  circuitBreaker: false
providers:
  - { name: upstream, type: openai, model: gpt-4o-mini, baseURL: "\${FAKE}" }
  - { name: staller, type: openai, model: slow-stream, baseURL: "\${TRACKING}" }
  - { name: hanger, type: openai, model: hang, baseURL: "\${TRACKING}", timeoutMs: 1000 }
  - { name: local, type: mock, model: mock-normal, latencyMs: 1, chunkDelayMs: 1 }
gateway:
  logs: { dir: __LOGS__ }
`,
    { FAKE: fake.baseURL, TRACKING: tracking.baseURL },
  );
  client = new OpenAI({ apiKey: 'unused', baseURL: `${gw.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.close();
  await fake?.close();
  await tracking?.close();
});

const user = (content: string) => [{ role: 'user' as const, content }];

async function collect(stream: AsyncIterable<OpenAI.ChatCompletionChunk>) {
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

describe('hostile upstreams', () => {
  it('a reset after the first delta: the stream ends in an error event the SDK raises', async () => {
    fake.reply({ type: 'reset', text: 'alpha beta gamma delta', afterDeltas: 1 });
    const stream = await client.chat.completions.create({
      model: 'upstream',
      messages: user('x'),
      stream: true,
    });
    const error = await collect(stream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toMatch(/network|interrupted|reset|terminated/i);
  });

  it('a reset before any output is a 502 JSON error, like a non-streaming failure', async () => {
    fake.reply({ type: 'reset', text: 'alpha beta', afterDeltas: 0 });
    const error = await client.chat.completions
      .create({ model: 'upstream', messages: user('x'), stream: true })
      .then(collect)
      .catch((e: unknown) => e);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
  });

  it('a malformed 200 is a 502 naming invalid_response', async () => {
    fake.reply({
      type: 'raw',
      response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"choices": "nope"' },
    });
    const error = await client.chat.completions
      .create({ model: 'upstream', messages: user('x') })
      .catch((e: unknown) => e);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((error as Error).message).toContain('invalid_response');
  });

  it('a stall after a chunk ends at the idle timeout, and the upstream request is aborted', async () => {
    const closed = tracking.closedEarly.length;
    const stream = await client.chat.completions.create({
      model: 'staller',
      messages: user('x'),
      stream: true,
    });
    const error = await collect(stream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain('timeout');
    await waitFor(() => tracking.closedEarly.length > closed, 'the stalled upstream request to be closed');
  });

  it('an upstream that never answers is a 504', async () => {
    const error = await client.chat.completions
      .create({ model: 'hanger', messages: user('x') })
      .catch((e: unknown) => e);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
  });
});

describe('clients that go away', () => {
  it('a disconnect mid-stream aborts the upstream request and still emits the usage record and log line', async () => {
    const closed = tracking.closedEarly.length;
    const usageBefore = gw.usage.length;
    const controller = new AbortController();
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'disconnect-1' },
      body: JSON.stringify({ model: 'staller', messages: user('x'), stream: true }),
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    // Read until the upstream's first delta arrives, then hang up.
    let seen = '';
    for (let i = 0; i < 20 && !seen.includes('first'); i++) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    expect(seen).toContain('first');
    controller.abort();
    await waitFor(() => tracking.closedEarly.length > closed, 'the upstream request to be aborted');
    await waitFor(() => gw.usage.length > usageBefore, 'the usage record');
    expect(gw.usage.slice(usageBefore).find((r) => r.provider === 'staller')).toMatchObject({
      success: false,
      streaming: true,
      errorKind: 'cancelled',
    });
    await waitFor(() => gw.lines().some((l) => l.request_id === 'disconnect-1'), 'the log line');
    expect(gw.lines().find((l) => l.request_id === 'disconnect-1')).toMatchObject({
      client_closed: true,
      error_kind: 'cancelled',
      provider: 'staller',
      status: 499,
    });
  });
});

describe('load', () => {
  it('300 requests at once, half streamed: every one answered, counted and logged once', async () => {
    const before = gw.running.gateway.stats().total_requests;
    const linesBefore = gw.lines().length;
    const n = 300;
    const results = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        if (i % 2 === 0) {
          const r = await client.chat.completions.create({ model: 'local', messages: user(`q${i}`) });
          return r.choices[0]?.message.content;
        }
        const s = await client.chat.completions.create({
          model: 'local',
          messages: user(`q${i}`),
          stream: true,
        });
        return collect(s);
      }),
    );
    expect(results).toEqual(Array.from({ length: n }, (_, i) => `Mock response to: q${i}`));
    expect(gw.running.gateway.stats().total_requests).toBe(before + n);
    await waitFor(() => gw.lines().length >= linesBefore + n, 'every log line');
    expect(gw.running.gateway.inFlight).toBe(0);
  });
});
