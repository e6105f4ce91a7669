// Runs examples/validate-keys.ts as a user would, with no keys in the environment (so no network: it checks
// against local fake servers), and asserts what it prints.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('validate-keys shows scope auto-detection, a rejected key and a folder without access', async () => {
  const script = fileURLToPath(new URL('validate-keys.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    env: { PATH: process.env.PATH ?? '' }, // no keys: the demo mode
    timeout: 30_000,
  });
  expect(stdout).toContain('trying GIGACHAT_API_B2B (2/3)');
  expect(stdout).toMatch(/✓ gigachat\s+success .*GIGACHAT_API_CORP/);
  expect(stdout).toMatch(/✗ openai\s+invalid_api_key/);
  expect(stdout).toMatch(/✗ yandexgpt\s+permission_denied .*b1gdemo/);
});
