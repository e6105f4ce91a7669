// Runs examples/otel.ts and checks the span tree it prints.
import { expect, it } from 'vitest';
import { runExample } from './run-example.test-helper.js';

it('otel: a request span per call, a child span per attempt, GenAI attributes and events', async () => {
  const stdout = await runExample('otel.ts');
  const lines = stdout.trim().split('\n');
  expect(lines[0]).toBe('handle-request ');
  // route(): the rate-limited provider twice (retry), then the fallback answers.
  expect(lines[1]).toMatch(
    /^ {2}llmo\.route provider=mock finish_reasons=stop output_tokens=\d+ events=llmo\.retry,llmo\.fallback$/,
  );
  expect(lines[2]).toBe('    chat mock-ratelimit provider=mock error.type=rate_limit');
  expect(lines[3]).toBe('    chat mock-ratelimit provider=mock error.type=rate_limit');
  expect(lines[4]).toMatch(/^ {4}chat mock-normal provider=mock finish_reasons=stop output_tokens=\d+$/);
  // routeStream(): the same, with the first chunk.
  expect(lines[5]).toMatch(/events=llmo\.retry,llmo\.fallback,llmo\.first_chunk$/);
  expect(lines.at(-1)).toBe('9 spans');
}, 60_000);
