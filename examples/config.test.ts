// Runs examples/config.ts (mock providers from examples/llmo.yaml: no keys, no network) and asserts what it prints.
import { expect, it } from 'vitest';
import { runExample } from './run-example.test-helper.js';

it('config builds a router from llmo.yaml, falls back to the fallback model, logs cost and reports errors', async () => {
  const stdout = await runExample('config.ts');
  expect(stdout).toContain(
    'providers: primary (mock-server-error), primary/mock-normal (mock-normal), backup (mock-normal)',
  );
  expect(stdout).toContain('answer from primary/mock-normal: Mock response to: What is Python?');
  expect(stdout).toContain('attempts: primary server → primary/mock-normal ok');
  expect(stdout).toMatch(/cost log: 2 lines/);
  expect(stdout).toContain('gateway (not served here): 127.0.0.1:8000, 1 key(s)');
  expect(stdout).toContain(
    'providers[0].type (broken.yaml, line 3): "opnai" is not a provider type; did you mean "openai"?',
  );
  expect(stdout).toContain(
    'providers[0].apiKey (broken.yaml, line 5): the environment variable OPENAI_API_KEY is not set',
  );
  expect(stdout).toContain(
    'gateway.prot (broken.yaml, line 7): unknown key "prot"; did you mean "port"? Rename it.',
  );
}, 60_000);
