// createGateway is web-standard: bundled for an edge runtime (esbuild, `worker`/`browser` conditions, no Node
// built-ins allowed) and run in a worker thread that deleted `process` before loading it. (`Buffer` stays:
// Node's own Request and Response, which stand in for the runtime's here, need it.)
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

it('the app runs with no process and no Node built-in: chat, fallback, stream, validation', async () => {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./edge-app.test-helper.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['worker', 'browser'],
    logLevel: 'silent',
  });
  const code = bundle.outputFiles[0]?.text ?? '';
  expect(code).not.toMatch(/from\s*["']node:|require\(["']node:/);
  const worker = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    delete globalThis.process;
    (async () => {
      const url = 'data:text/javascript;base64,' + workerData;
      const app = (await import(url)).default;
      const post = (path, body) => app.fetch(new Request('http://edge' + path, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
      const chat = await post('/v1/chat/completions', { model: 'auto', messages: [{ role: 'user', content: 'hi edge' }] });
      const stream = await post('/chat/stream', { message: 'stream edge', model: 'edge' });
      const bad = await post('/chat', { mesage: 'x' });
      parentPort.postMessage({
        processType: typeof process,
        chatStatus: chat.status,
        chat: await chat.json(),
        attempts: chat.headers.get('x-llmo-attempts'),
        stream: await stream.text(),
        bad: await bad.json(),
      });
    })().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
    `,
    { eval: true, workerData: Buffer.from(code).toString('base64') },
  );
  const result = await new Promise<Record<string, unknown>>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  expect(result.error).toBeUndefined();
  expect(result.processType).toBe('undefined');
  expect(result.chatStatus).toBe(200);
  expect((result.chat as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe(
    'Mock response to: hi edge',
  );
  expect(result.attempts).toBe('2'); // "down" failed first, "edge" answered
  expect(result.stream).toContain('data: {"delta":"Mock "}');
  expect(String(result.stream).trimEnd().endsWith('data: [DONE]')).toBe(true);
  expect((result.bad as { error: { message: string } }).error.message).toContain('did you mean "message"');
});
