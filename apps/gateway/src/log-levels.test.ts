// The level and message of a request's log line follow its outcome, not only its HTTP status: a stream that
// breaks after its 200 headers and /chat/fallback's default message are failures, logged as such.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway, waitFor } from './start-test-gateway.test-helper.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway(`
router: { retry: { maxRetries: 0 } }
providers:
  - { name: brk, type: mock, model: mock-stream-break, latencyMs: 0, chunkDelayMs: 0 }
  - { name: down, type: mock, model: mock-server-error, latencyMs: 0 }
  - { name: ok, type: mock, model: mock-normal, latencyMs: 0, chunkDelayMs: 0 }
gateway:
  defaultMessage: sorry
  logs: { dir: __LOGS__, stdout: true }
`);
});
afterAll(() => gw.close());

const post = async (path: string, body: unknown, id: string) => {
  const res = await fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': id },
    body: JSON.stringify(body),
  });
  await res.text();
  return res.status;
};

const lineOf = async (id: string) => {
  await waitFor(() => gw.lines().some((l) => l.request_id === id), `the log line of ${id}`);
  return gw.lines().find((l) => l.request_id === id) as Record<string, unknown>;
};

it('a stream broken mid-way (status 200) is logged at error as request_failed', async () => {
  const v1 = { model: 'brk', stream: true, messages: [{ role: 'user', content: 'hi there friend' }] };
  expect(await post('/v1/chat/completions', v1, 'brk-v1')).toBe(200);
  expect(await post('/chat/stream', { model: 'brk', message: 'hi there friend' }, 'brk-seed')).toBe(200);
  for (const id of ['brk-v1', 'brk-seed']) {
    const line = await lineOf(id);
    expect(line).toMatchObject({ status: 200, msg: 'request_failed', level: 50 });
    expect(line.error_kind).toBeDefined();
  }
});

it("/chat/fallback's default message (status 200) is logged as request_failed", async () => {
  expect(await post('/chat/fallback', { model: 'down', message: 'hi' }, 'fb-down')).toBe(200);
  const line = await lineOf('fb-down');
  expect(line).toMatchObject({ status: 200, msg: 'request_failed' });
  expect(line.level).toBeGreaterThanOrEqual(40);
});

it('a plain success stays request_completed at info', async () => {
  expect(await post('/chat', { model: 'ok', message: 'hi' }, 'ok-1')).toBe(200);
  expect(await lineOf('ok-1')).toMatchObject({ status: 200, msg: 'request_completed', level: 30 });
});
