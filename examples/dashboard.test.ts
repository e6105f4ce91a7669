// Runs examples/dashboard.ts for one batch on a free port and checks the snapshot it fetched from the dashboard.
import { expect, it } from 'vitest';
import { runExample } from './run-example.test-helper.js';

it('dashboard serves the router snapshot behind its key', async () => {
  const stdout = await runExample('dashboard.ts', {
    DURATION_MS: '0',
    DASHBOARD_PORT: '0',
    DASHBOARD_KEY: 'k',
  });
  expect(stdout).toMatch(/dashboard at http:\/\/127\.0\.0\.1:\d+\/dashboard/);
  expect(stdout).toContain('without the key: 401; with it: 200');
  expect(stdout).toContain('10 requests routed, 0 in flight');
  expect(stdout).toMatch(/openai-like: healthy, circuit closed, \d+ attempts, .*cost \{"USD":/);
  expect(stdout).toMatch(/gigachat-like: \w+, circuit \w+, \d+ attempts/);
  expect(stdout).toMatch(/latest request: \S+ (success|error)/);
}, 60_000);
