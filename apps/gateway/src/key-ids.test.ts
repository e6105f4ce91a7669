// Key ids: rate limit windows and usage records (platformKeyId) are keyed by a stable, unique id per key —
// the key's name (duplicates refused by the config), else a prefix of the key's SHA-256 digest — so two keys
// never share a window, and reordering the keys moves no window from one key to another. Also: a configured key
// with surrounding whitespace is trimmed, and x-api-key is read when Authorization is not Bearer.
import { ConfigError, parseConfig } from '@llmo/config';
import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { expect, it } from 'vitest';
import { ApiKeys } from './api-keys.js';
import { createGateway } from './index.js';

const PROVIDERS = 'providers:\n  - { name: a, type: mock, model: mock-normal }\n';

const ask = (gateway: ReturnType<typeof createGateway>, key: string) =>
  gateway.fetch(
    new Request('http://gateway/chat', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'x' }),
    }),
  );

it('two keys with one name are refused, naming both entries', () => {
  const yaml = `${PROVIDERS}gateway:\n  keys:\n    - { key: key-A, tenant: acme, name: backend, rpm: 1000 }\n    - { key: key-B, tenant: other, name: backend, rpm: 2 }\n`;
  let error: unknown;
  try {
    parseConfig(yaml, { file: 'llmo.yaml' });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  expect(message).toContain('gateway.keys[1].name (llmo.yaml, line 6)');
  expect(message).toContain('already used by gateway.keys[0]');
  expect(message).not.toContain('key-A');
});

it('unnamed keys get ids from their digest: unique, and unchanged when the keys are reordered', async () => {
  const one = { key: 'sk-first-0123456789', tenant: 'acme' };
  const two = { key: 'sk-second-0123456789', tenant: 'acme' };
  const a = await ApiKeys.create([one, two]);
  const b = await ApiKeys.create([two, one]);
  const [idOne, idTwo] = a.entries.map((e) => e.id);
  expect(idOne).toMatch(/^[0-9a-f]{16}$/);
  expect(idOne).not.toBe(idTwo);
  expect(b.entries.map((e) => e.id)).toEqual([idTwo, idOne]);
  expect(JSON.stringify(a.entries.map((e) => e.id))).not.toContain('sk-');
  // The same key given as keyHash has the same id.
  const digest = Array.from(a.entries[0]?.digest ?? [], (x) => x.toString(16).padStart(2, '0')).join('');
  const hashed = await ApiKeys.create([{ keyHash: `sha256:${digest}`, tenant: 'acme' }]);
  expect(hashed.entries[0]?.id).toBe(idOne);
  expect((await ApiKeys.create([{ ...one, name: 'backend' }])).entries[0]?.id).toBe('backend');
});

it('two unnamed keys of one tenant each have their own rpm window', async () => {
  const router = new Router({ retry: { maxRetries: 0 }, onWarning: false });
  router.addProvider(createMockProvider({ name: 'a', latencyMs: 0 }));
  const config = parseConfig(
    `${PROVIDERS}gateway:\n  keys:\n    - { key: key-A, tenant: acme, rpm: 1000 }\n    - { key: key-B, tenant: acme, rpm: 1 }\n`,
  );
  const gateway = createGateway({ router, config });
  expect((await ask(gateway, 'key-B')).status).toBe(200);
  expect((await ask(gateway, 'key-B')).status).toBe(429);
  for (let i = 0; i < 3; i++) expect((await ask(gateway, 'key-A')).status).toBe(200);
  await router.close();
});

it('a configured key with a trailing newline is trimmed (and warned about), so it matches', async () => {
  const router = new Router({ retry: { maxRetries: 0 }, onWarning: false });
  router.addProvider(createMockProvider({ name: 'a', latencyMs: 0 }));
  const warnings: { fields: object; message?: string }[] = [];
  const logger = {
    info: () => {},
    error: () => {},
    warn: (fields: object, message?: string) => warnings.push({ fields, message }),
  };
  const config = parseConfig(`${PROVIDERS}gateway:\n  keys:\n    - { key: "\${K}", tenant: acme }\n`, {
    env: { K: 'sk-from-a-file-0123456789\n' },
  });
  const gateway = createGateway({ router, config, logger });
  expect((await ask(gateway, 'sk-from-a-file-0123456789')).status).toBe(200);
  expect(warnings).toEqual([
    { fields: { event: 'gateway_key_trimmed', key_index: 0 }, message: expect.stringContaining('trimmed') },
  ]);
  expect(JSON.stringify(warnings)).not.toContain('sk-from');
  await router.close();
});

it('x-api-key is read when Authorization is not Bearer (a proxy Basic auth)', async () => {
  const router = new Router({ retry: { maxRetries: 0 }, onWarning: false });
  router.addProvider(createMockProvider({ name: 'a', latencyMs: 0 }));
  const config = parseConfig(`${PROVIDERS}gateway:\n  keys:\n    - { key: key-X, tenant: acme }\n`);
  const gateway = createGateway({ router, config });
  const res = await gateway.fetch(
    new Request('http://gateway/chat', {
      method: 'POST',
      headers: {
        authorization: 'Basic dXNlcjpwYXNz',
        'x-api-key': 'key-X',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ message: 'x' }),
    }),
  );
  expect(res.status).toBe(200);
  await router.close();
});
