// @llmo/orchestrator's main entry, bundled from its built dist as an edge app would bundle it (the same
// `bundle()` and Node-API scan as scripts/edge-check.mjs), RUN in edge-runtime and in workerd (no
// nodejs_compat) against fake OpenAI servers on 127.0.0.1 started here.
import { fileURLToPath } from 'node:url';
import { OpenAIFakeServer } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertEdgeSafe, bundle } from '../../../scripts/edge-check.mjs';
import { type Dispatch, startEdgeRuntime, startWorkerd, type WorkerdInstance } from './runtimes.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
let down: OpenAIFakeServer;
let up: OpenAIFakeServer;
let iife = '';
let workerd: WorkerdInstance | undefined;

beforeAll(async () => {
  down = await OpenAIFakeServer.start();
  up = await OpenAIFakeServer.start();
  const app = './apps/orchestrator.ts';
  iife = await bundle(
    'orchestrator-edge-runtime',
    `import handle from '${app}';\naddEventListener('fetch', (event) => event.respondWith(handle(event.request)));`,
    { format: 'iife', resolveDir: packageDir },
  );
  const esm = await bundle(
    'orchestrator-workerd',
    `import handle from '${app}';\nexport default { fetch: (request) => handle(request) };`,
    { resolveDir: packageDir },
  );
  assertEdgeSafe('orchestrator edge app', esm);
  workerd = await startWorkerd({ orchestrator: esm });
}, 60_000);

afterAll(async () => {
  await workerd?.stop();
  await Promise.all([down?.close(), up?.close()]);
});

beforeEach(() => {
  down.setDefault({ type: 'error', status: 503 });
  // The first answer breaks the schema (an extra field), the re-ask is valid.
  up.reply(
    { type: 'text', text: '```json\n{"city": "Berlin", "country": "DE"}\n```' },
    { type: 'text', text: 'Here you go: {"city": "Berlin"}' },
  );
});

const runtimes: [string, () => Dispatch][] = [
  ['edge-runtime', () => startEdgeRuntime(iife)],
  ['workerd', () => workerd?.apps.orchestrator as Dispatch],
];

describe.each(runtimes)('@llmo/orchestrator in %s', (_runtime, start) => {
  it('renders, counts, falls back, re-asks on an invalid answer, validates and serves the repeat from the cache', async () => {
    const downBefore = down.chatRequests.length;
    const upBefore = up.chatRequests.length;
    const { status, body } = await start()({ down: down.baseURL, up: up.baseURL });
    const report = JSON.parse(body);
    expect(status, body).toBe(200);
    expect(report.globals).toEqual({ process: 'undefined', Buffer: 'undefined', require: 'undefined' });
    expect(report).toMatchObject({
      value: { city: 'Berlin' },
      provider: 'up',
      validationRetries: 1,
      promptTokens: { estimated: false, encoding: 'o200k_base' },
      secondCache: 'hit',
      isValidationError: false,
    });
    // Both asks were routed the same way: the preferred `down` fails (503), the Router falls back to `up`.
    expect(report.attempts).toEqual(['down:error', 'up:success', 'down:error', 'up:success']);
    expect(report.missing).toContain('missing required variable(s): text');
    expect(down.chatRequests.length - downBefore).toBe(2);
    expect(up.chatRequests.length - upBefore).toBe(2);
  });
});
