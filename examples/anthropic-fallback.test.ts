// The Anthropic provider in a Router beside OpenAI, each on its own wire-faithful fake server: Claude first,
// OpenAI as the fallback, across the two protocols (Messages API SSE events vs Chat Completions chunks).
import { Router, type UsageRecord } from '@llmo/core';
import { createAnthropic } from '@llmo/provider-anthropic';
import { createOpenAI } from '@llmo/provider-openai';
import { AnthropicFakeServer, OpenAIFakeServer } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

let anthropic: AnthropicFakeServer;
let openai: OpenAIFakeServer;

beforeAll(async () => {
  [anthropic, openai] = await Promise.all([AnthropicFakeServer.start(), OpenAIFakeServer.start()]);
});
afterAll(() => Promise.all([anthropic.close(), openai.close()]));
beforeEach(() => {
  anthropic.reset();
  openai.reset();
});

function router(usage: UsageRecord[] = []) {
  const r = new Router({
    strategy: 'first-available',
    retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 2 },
    onWarning: false,
    usageCallback: (record) => void usage.push(record),
  });
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

describe('a Router over Anthropic and OpenAI', () => {
  it('answers from Claude with USD cost from its list price', async () => {
    anthropic.reply({
      type: 'text',
      text: 'Hello from Claude',
      usage: { promptTokens: 1000, completionTokens: 100 },
    });
    const r = router();
    const result = await r.route('Hi');
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
    const r = router(usage);
    const result = await r.route('Hi');
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
    const r = router();
    const stream = r.routeStream('Hi');
    let text = '';
    for await (const chunk of stream) text += chunk;
    const result = await stream.result;
    expect(text).toBe('Streamed by OpenAI');
    expect(result.provider).toBe('openai');
    await r.close();
  });

  it('Claude tool calls come back through the router', async () => {
    anthropic.reply({ type: 'tool-call', name: 'weather', arguments: { city: 'Oslo' }, id: 'toolu_1' });
    const r = router();
    const result = await r.route('Weather in Oslo?', {
      tools: [{ name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
    });
    expect(result.toolCalls).toEqual([{ id: 'toolu_1', name: 'weather', arguments: '{"city":"Oslo"}' }]);
    expect(result.finishReason).toBe('tool-calls');
    await r.close();
  });
});
