// Starts the gateway in this process (its built-in mock configuration, a free port) and runs
// examples/gateway-client.ts against it as a user would.
import { type RunningGateway, startGateway } from '@llmo/gateway/node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runExample } from './run-example.test-helper.js';

let gateway: RunningGateway;
beforeAll(async () => {
  // No log output: the test reads what the example prints.
  gateway = await startGateway({ port: 0, logs: { stdout: false, file: false } });
});
afterAll(async () => {
  await gateway?.shutdown();
});

it('gateway-client talks to the gateway with the official openai client', async () => {
  const stdout = await runExample('gateway-client.ts', { GATEWAY_URL: `${gateway.url}/v1` });
  expect(stdout).toContain('models: auto, primary, backup, down, mock-flaky, mock-normal, mock-server-error');
  expect(stdout).toContain('answer: Mock response to: What is Python?');
  expect(stdout).toMatch(/served by (primary|backup) after \d attempt\(s\), cost 0 USD/);
  expect(stdout).toMatch(/streamed: Mock response to: Stream a short answer\. \(\d+ tokens\)/);
  expect(stdout).toContain('unknown model: 404 model_not_found');
}, 60_000);

it('gateway-embed serves the app from its own program and stops cleanly', async () => {
  const stdout = await runExample('gateway-embed.ts');
  expect(stdout).toContain('200 local Mock response to: Hello!');
}, 60_000);
