// The other side of "Runtimes": on Node, a provider created without `fetch` uses the default transport of
// `@llmo/core/transport` (its `node` export condition), which must follow what the application chose for the
// whole process: a replaced globalThis.fetch (msw, nock, a stub) or undici's global dispatcher (MockAgent).
// Run against the built packages, as an application imports them.
import { transportName } from '@llmo/core/transport';
import { createOpenAI } from '@llmo/provider-openai';
import { OpenAIFakeServer } from '@llmo/testkit';
import { getGlobalDispatcher, MockAgent, setGlobalDispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

let server: OpenAIFakeServer;
beforeAll(async () => {
  server = await OpenAIFakeServer.start();
  server.setDefault({ type: 'text', text: 'From the fake server.' });
});
afterAll(() => server.close());

const originalFetch = globalThis.fetch;
const originalDispatcher = getGlobalDispatcher();
afterEach(() => {
  globalThis.fetch = originalFetch;
  setGlobalDispatcher(originalDispatcher);
  server.reset();
});

const provider = () =>
  createOpenAI({ name: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-node', baseURL: server.baseURL });
const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };

const completion = (text: string) => ({
  id: 'chatcmpl-mocked',
  object: 'chat.completion',
  created: 1694268190,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
});

describe('a provider created without fetch, on Node', () => {
  it("reaches the server through the default transport: the `node` condition's undici one", async () => {
    expect(transportName).toBe('undici');
    expect((await provider().generate(ask)).text).toBe('From the fake server.');
    expect(server.chatRequests).toHaveLength(1);
  });

  it('uses a replaced globalThis.fetch, even one installed after the provider was created', async () => {
    const p = provider();
    const replaced = vi.fn(async () => Response.json(completion('From the replaced fetch.')));
    globalThis.fetch = replaced;
    expect((await p.generate(ask)).text).toBe('From the replaced fetch.');
    expect(replaced).toHaveBeenCalledWith(`${server.baseURL}/chat/completions`, expect.anything());
    expect(server.chatRequests).toHaveLength(0);
  });

  it("is intercepted by undici's MockAgent set with setGlobalDispatcher", async () => {
    const p = provider();
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get(server.url)
      .intercept({ path: '/v1/chat/completions', method: 'POST' })
      .reply(200, completion('From the MockAgent.'), { headers: { 'content-type': 'application/json' } });
    setGlobalDispatcher(agent);
    try {
      expect((await p.generate(ask)).text).toBe('From the MockAgent.');
      agent.assertNoPendingInterceptors();
      expect(server.chatRequests).toHaveLength(0);
    } finally {
      setGlobalDispatcher(originalDispatcher);
      await agent.close();
    }
    // Back on the default: the fake server answers again.
    expect((await p.generate(ask)).text).toBe('From the fake server.');
  });
});
