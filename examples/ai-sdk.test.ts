// Runs examples/ai-sdk.ts against a fake OpenAI-compatible server: the first call is refused upstream and
// falls back to the mock; the rest are answered by the AI SDK provider through the router.
import { OpenAIFakeServer } from '@llmo/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runExample } from './run-example.test-helper.js';

let server: OpenAIFakeServer;
beforeAll(async () => {
  server = await OpenAIFakeServer.start();
});
afterAll(() => server.close());

it('ai-sdk: generateText falls back, streamText, generateObject and a tool loop go through the router', async () => {
  server.reply(
    { type: 'error', status: 503 },
    { type: 'text', text: 'one two three' },
    { type: 'text', text: '{"city":"Moscow","celsius":-3}' },
    { type: 'tool-call', id: 'call_1', name: 'clock', arguments: {} },
    { type: 'text', text: 'It is noon' },
  );
  const stdout = await runExample('ai-sdk.ts', {
    OPENAI_BASE_URL: server.baseURL,
    OPENAI_API_KEY: 'sk-example',
  });
  expect(stdout).toMatch(/generateText: ".+" from backup \(attempts: openai:overloaded → backup:success\)/);
  expect(stdout).toContain('streamText: "one two three" from openai (attempts: openai:success)');
  expect(stdout).toContain('generateObject: {"city":"Moscow","celsius":-3}');
  expect(stdout).toContain('tool loop: 2 step(s), last answer "It is noon"');
  // The tool result went back to the upstream as a tool message.
  expect(server.chatRequests[4]?.body).toMatchObject({
    messages: [{ role: 'user' }, { role: 'assistant' }, { role: 'tool', tool_call_id: 'call_1' }],
  });
}, 60_000);
