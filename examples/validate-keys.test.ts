// Runs examples/validate-keys.ts with no keys in the environment (so it checks against local fake servers) and
// asserts what it prints.
import { expect, it } from 'vitest';
import { runExample } from './run-example.test-helper.js';

it('validate-keys shows scope auto-detection, a rejected key and a folder without access', async () => {
  const stdout = await runExample('validate-keys.ts');
  expect(stdout).toContain('trying GIGACHAT_API_B2B (2/3)');
  expect(stdout).toMatch(/✓ gigachat\s+success .*GIGACHAT_API_CORP/);
  expect(stdout).toMatch(/✗ openai\s+invalid_api_key/);
  expect(stdout).toMatch(/✗ yandexgpt\s+permission_denied .*b1gdemo/);
}, 60_000);
