// Runs examples/orchestrator.ts (mock providers: no keys, no network) and asserts what it prints.
import { expect, it } from 'vitest';
import { runExample } from './run-example.test-helper.js';

it('orchestrator returns code and schema-valid JSON, re-asks once, and serves the second run from the cache', async () => {
  const stdout = await runExample('orchestrator.ts');
  expect(stdout).toMatch(
    /run 1 code_generation: python from gpt-4o, cache miss, \d+ prompt tokens \(o200k_base\)/,
  );
  expect(stdout).toContain('def fibonacci(n: int) -> int:\n    a, b = 0, 1');
  expect(stdout).toContain('run 1 requirement_analysis: complexity medium, 1 re-ask(s), cache miss');
  expect(stdout).toMatch(/run 2 code_generation: python from gpt-4o, cache hit/);
  expect(stdout).toContain('run 2 requirement_analysis: complexity medium, 0 re-ask(s), cache hit');
  expect(stdout).toContain('metrics code_generation: 2 requests, 1 cache hit(s), 0 validation retry(ies)');
  expect(stdout).toContain(
    'metrics requirement_analysis: 2 requests, 1 cache hit(s), 1 validation retry(ies)',
  );
}, 60_000);
