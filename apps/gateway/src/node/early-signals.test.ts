// Signals that arrive while the gateway is starting: a SIGHUP (whose default action would end the process)
// is queued and applied as a reload once the gateway is ready; the handlers are removed at shutdown.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, expect, it } from 'vitest';
import { waitFor } from '../start-test-gateway.test-helper.js';
import { startGateway } from './start-gateway.js';

const dir = mkdtempSync(join(tmpdir(), 'llmo-gateway-hup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a SIGHUP during start-up is queued and reloads once ready; shutdown removes the handlers', async () => {
  const path = join(dir, 'llmo.yaml');
  writeFileSync(path, 'providers:\n  - { name: a, type: mock, model: mock-normal, latencyMs: 0 }\n');
  let out = '';
  const stdout = new Writable({
    write(chunk, _enc, cb) {
      out += chunk.toString();
      cb();
    },
  });
  const before = process.listenerCount('SIGHUP');
  const starting = startGateway({
    configPath: path,
    port: 0,
    host: '127.0.0.1',
    handleSignals: true,
    stdout,
    logs: { file: false },
  });
  // Nothing is ready yet: without a handler in place, a real SIGHUP here would end the process.
  expect(process.listenerCount('SIGHUP')).toBe(before + 1);
  process.emit('SIGHUP', 'SIGHUP');
  const running = await starting;
  await waitFor(() => out.includes('"event":"config_reloaded"'), 'the queued reload');
  expect(out.indexOf('"event":"gateway_started"')).toBeLessThan(out.indexOf('"event":"config_reloaded"'));
  expect((await fetch(`${running.url}/health`)).status).toBe(200);
  await running.shutdown();
  expect(process.listenerCount('SIGHUP')).toBe(before);
});
