import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  defaultRouteOptions,
  GATEWAY_DEFAULTS,
  parseConfig,
  resolveGatewayConfig,
} from './index.js';

const providers = `providers:
  - { name: primary, type: mock, model: mock-normal, fallbackModels: [mock-flaky] }
  - { name: local, type: mock, model: mock-slow }
`;

describe('gateway:', () => {
  it('is typed with its defaults filled in', () => {
    const config = parseConfig(
      `${providers}gateway:
  keys:
    - { keyHash: "sha256:${'ab'.repeat(32)}", tenant: bob, tpm: 1000, models: [primary, mock-slow] }
  cors: { origins: "*", credentials: false }
  logs: { level: debug }
`,
    );
    expect(resolveGatewayConfig(config.gateway)).toEqual({
      host: '127.0.0.1',
      port: 8000,
      keys: [
        { keyHash: `sha256:${'ab'.repeat(32)}`, tenant: 'bob', tpm: 1000, models: ['primary', 'mock-slow'] },
      ],
      defaultMessage: undefined,
      cors: { origins: '*', credentials: false },
      logs: { dir: 'logs', level: 'debug', stdout: true, file: true },
      limits: { maxBodyBytes: 1_048_576, shutdownTimeoutMs: 10_000 },
      redis: undefined,
    });
    expect(resolveGatewayConfig()).toMatchObject({
      host: GATEWAY_DEFAULTS.host,
      port: GATEWAY_DEFAULTS.port,
    });
  });

  it('checks each key: one of key or keyHash, a well-formed hash, known models, a known log level', () => {
    try {
      parseConfig(
        `${providers}gateway:
  keys:
    - { tenant: a }
    - { key: k, keyHash: "sha256:00", tenant: b }
    - { key: k2, tenant: c, models: [primari] }
  logs: { level: verbose }
`,
      );
      expect.unreachable();
    } catch (error) {
      if (!ConfigError.isInstance(error)) throw error;
      expect(error.issues.map((i) => [i.path, i.line])).toEqual([
        ['gateway.keys[0]', 6],
        ['gateway.keys[1]', 7],
        ['gateway.keys[1].keyHash', 7],
        ['gateway.logs.level', 9],
      ]);
      expect(error.message).toContain('give exactly one of key');
      expect(error.message).toContain('the value given is not a log level; use one of trace, debug');
      expect(error.message).not.toContain('verbose');
    }
    try {
      parseConfig(`${providers}gateway:\n  keys:\n    - { key: k2, tenant: c, models: [primari] }\n`);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain(
        'gateway.keys[0].models[0] (line 6): no provider name or model "primari" is configured; did you mean "primary"?',
      );
    }
  });
});

describe('defaults:', () => {
  it('becomes the preferred provider of a request, also for a fallback model', () => {
    expect(defaultRouteOptions(parseConfig(`${providers}defaults: { provider: local }\n`))).toEqual({
      preferredProvider: 'local',
    });
    expect(
      defaultRouteOptions(parseConfig(`${providers}defaults: { provider: primary, model: mock-flaky }\n`)),
    ).toEqual({ preferredProvider: 'primary/mock-flaky' });
    expect(defaultRouteOptions(parseConfig(`${providers}defaults: { model: mock-slow }\n`))).toEqual({
      preferredProvider: 'local',
    });
    expect(defaultRouteOptions(parseConfig(providers))).toEqual({});
  });

  it("a model its provider does not have lists the provider's models", () => {
    expect(() => parseConfig(`${providers}defaults: { provider: local, model: mock-normal }\n`)).toThrow(
      'defaults.model (line 4): no model "mock-normal" is configured; configured: mock-slow (of provider "local")',
    );
  });

  it('redis: a redis:// or rediss:// URL, its key prefix defaulted; a bad one never echoed', () => {
    const config = parseConfig(
      `${providers}gateway:\n  redis: { url: "rediss://:pw@cache.internal:6380/2" }\n`,
    );
    expect(resolveGatewayConfig(config.gateway).redis).toEqual({
      url: 'rediss://:pw@cache.internal:6380/2',
      keyPrefix: 'llmo:gateway:',
    });
    for (const [given, says] of [
      ['http://user:s3cret-pass@cache:6379', 'got a URL with the scheme "http:"'],
      ['s3cret-pass', 'got a string that is not a URL'],
    ] as const) {
      try {
        parseConfig(`${providers}gateway:\n  redis: { url: "${given}", keyPrefx: x }\n`);
        expect.unreachable();
      } catch (error) {
        if (!ConfigError.isInstance(error)) throw error;
        expect(error.message).toContain(`gateway.redis.url (line 5): must be a redis:// or rediss:// URL`);
        expect(error.message).toContain(says);
        expect(error.message).toContain('keyPrefx');
        expect(error.message).not.toContain('s3cret-pass');
      }
    }
  });
});
