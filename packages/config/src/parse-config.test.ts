import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, type ConfigIssue, parseConfig } from './index.js';

const issueExample = readFileSync(new URL('./__fixtures__/issue-14.yaml', import.meta.url), 'utf8');
const env = { OPENAI_API_KEY: 'sk-test-secret-1234', GATEWAY_KEY_ALICE: 'gw-alice-secret-5678' };

function issuesOf(fn: () => unknown): { error: ConfigError; issues: readonly ConfigIssue[] } {
  try {
    fn();
  } catch (error) {
    if (ConfigError.isInstance(error)) return { error, issues: error.issues };
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('the example of issue 14', () => {
  it('is accepted as written, with its variables set', () => {
    const config = parseConfig(issueExample, { env, file: 'llmo.yaml' });
    expect(config.router).toEqual({ strategy: 'round-robin' });
    expect(config.providers).toEqual([
      {
        name: 'primary',
        type: 'openai',
        model: 'gpt-4o-mini',
        baseURL: 'https://api.openai.com/v1',
        apiKey: 'sk-test-secret-1234',
        fallbackModels: ['gpt-4o'],
      },
      { name: 'local', type: 'ollama', model: 'llama3.2' },
    ]);
    expect(config.gateway).toMatchObject({
      host: '127.0.0.1',
      port: 8000,
      keys: [{ key: 'gw-alice-secret-5678', tenant: 'alice', rpm: 60 }],
      cors: { origins: ['http://localhost:3000'] },
      logs: { dir: 'logs' },
    });
  });

  it('uses a set variable over the default', () => {
    const config = parseConfig(issueExample, { env: { ...env, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
    expect(config.providers[0]?.baseURL).toBe('http://127.0.0.1:9/v1');
  });

  it('without its variables, names each one and its line, in one error', () => {
    const { error, issues } = issuesOf(() => parseConfig(issueExample, { env: {}, file: 'llmo.yaml' }));
    expect(issues).toEqual([
      expect.objectContaining({ path: 'providers[0].apiKey', file: 'llmo.yaml', line: 8 }),
      expect.objectContaining({ path: 'gateway.keys[0].key', file: 'llmo.yaml', line: 17 }),
    ]);
    expect(error.message).toContain(
      'providers[0].apiKey (llmo.yaml, line 8): the environment variable OPENAI_API_KEY is not set',
    );
    expect(error.message).toContain(
      'gateway.keys[0].key (llmo.yaml, line 17): the environment variable GATEWAY_KEY_ALICE is not set',
    );
    expect(error.message).toContain('${OPENAI_API_KEY:-value}');
  });
});

describe('${VAR} references', () => {
  it('reads a whole plain reference as YAML would read its value; quoted and partial ones stay text', () => {
    const config = parseConfig(
      `providers:
  - { name: m, type: mock, model: mock-normal }
router:
  timeoutMs: \${TIMEOUT:-5000}
  tenantId: "\${TENANT:-42}"
gateway:
  port: \${PORT}
  host: h-\${PORT}
  defaultMessage: costs $\${AMOUNT}
`,
      { env: { PORT: '8080' } },
    );
    expect(config.router).toEqual({ timeoutMs: 5000, tenantId: '42' });
    expect(config.gateway).toEqual({ port: 8080, host: 'h-8080', defaultMessage: 'costs ${AMOUNT}' });
  });

  it('keeps a credential a string even when it looks like a number', () => {
    const config = parseConfig(
      'providers:\n  - { name: a, type: openai, model: m, apiKey: "x" }\ngateway:\n  keys:\n    - key: ${K}\n      tenant: t\n',
      {
        env: { K: '123456' },
      },
    );
    expect(config.gateway?.keys?.[0]?.key).toBe('123456');
  });

  it('uses the default for an empty variable (:- as in the shell), and an empty value without one', () => {
    const config = parseConfig(
      'providers:\n  - { name: a, type: mock, model: "${M:-mock-normal}" }\nrouter:\n  tenantId: x${EMPTY}\n',
      {
        env: { M: '', EMPTY: '' },
      },
    );
    expect(config.providers[0]?.model).toBe('mock-normal');
    expect(config.router?.tenantId).toBe('x');
  });

  it('rejects a malformed or unclosed reference at its line, without echoing it', () => {
    const { error, issues } = issuesOf(() =>
      parseConfig(
        'providers:\n  - name: a\n    type: mock\n    model: ${sk-live-abc}\n    seed: 1\nrouter:\n  tenantId: "${OPEN"\n',
      ),
    );
    expect(issues.map((i) => [i.path, i.line])).toEqual([
      ['providers[0].model', 4],
      ['router.tenantId', 7],
    ]);
    expect(error.message).toContain('a reference must read ${NAME} or ${NAME:-default}');
    expect(error.message).toContain('is not closed');
    expect(error.message).not.toContain('sk-live-abc');
  });
});

describe('validation errors name the path, the line and the fix', () => {
  it('a value of the wrong type', () => {
    const { issues } = issuesOf(() =>
      parseConfig(
        'providers:\n  - name: a\n    type: mock\n    model: mock-normal\ngateway:\n  port: eighty\n',
        {
          file: 'llmo.yaml',
        },
      ),
    );
    expect(issues).toEqual([
      {
        path: 'gateway.port',
        file: 'llmo.yaml',
        line: 6,
        column: 3,
        message:
          'must be an integer between 0 and 65535 (the TCP port, e.g. 8000; 0 picks a free one); got a string',
      },
    ]);
  });

  it('an unknown key, with the key it probably meant', () => {
    const { issues } = issuesOf(() =>
      parseConfig(
        'providers:\n  - name: a\n    type: mock\n    model: mock-normal\ngateway:\n  keys:\n    - key: k\n      tenat: alice\n',
      ),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'gateway.keys[0].tenant',
        message: expect.stringContaining('is required'),
      }),
      expect.objectContaining({
        path: 'gateway.keys[0].tenat',
        line: 8,
        message: 'unknown key "tenat"; did you mean "tenant"? Rename it.',
      }),
    ]);
  });

  it('a misspelt top-level section, strategy and provider type', () => {
    const { error } = issuesOf(() =>
      parseConfig(
        'router:\n  strategy: round-robbin\nprovider:\n  - name: a\nproviders:\n  - { name: a, type: opnai, model: m }\n',
      ),
    );
    expect(error.message).toContain(
      'provider (line 3): unknown key "provider"; did you mean "providers"? Rename it.',
    );
    expect(error.message).toContain(
      'router.strategy (line 2): "round-robbin" is not a routing strategy; did you mean "round-robin"?',
    );
    expect(error.message).toContain(
      'providers[0].type (line 6): "opnai" is not a provider type; did you mean "openai"?',
    );
  });

  it("router options go through the Router's own validation, each at its line", () => {
    const { error, issues } = issuesOf(() =>
      parseConfig(
        'providers:\n  - { name: a, type: mock, model: m }\nrouter:\n  retry:\n    maxRetries: -1\n  timeotMs: 5\n  callbackUrl: https://x.example\nusage:\n  delivery:\n    batchSize: 0\n',
      ),
    );
    expect(issues.map((i) => [i.path, i.line])).toEqual(
      expect.arrayContaining([
        ['router.retry.maxRetries', 5],
        ['router.timeotMs', 6],
        ['router.callbackUrl', 7],
        ['usage.delivery.batchSize', 10],
      ]),
    );
    expect(error.message).toContain('unknown key "timeotMs"; did you mean "timeoutMs"?');
    expect(error.message).toContain('it belongs under usage: (usage.callbackUrl)');
  });

  it('reports several problems together: the shape first, then the checks across fields', () => {
    const yaml = `providers:
  - name: a
    type: mock
    model: m
    fallbackModels: [m2, m2]
  - name: a
    type: mock
    model: m3
defaults:
  provider: b
gateway:
  keys:
    - { key: same, tenant: t, models: [m9] }
    - { key: same, tenant: u }
`;
    // A shape problem stops before the checks across fields (they would read a wrong shape).
    const first = issuesOf(() => parseConfig(yaml.replace('gateway:\n', 'gateway:\n  port: -1\n')));
    expect(first.issues.map((i) => i.path)).toEqual(['gateway.port']);
    const second = issuesOf(() => parseConfig(yaml));
    expect(second.issues.map((i) => [i.path, i.line])).toEqual([
      ['providers[0].fallbackModels', 5],
      ['providers[1].name', 6],
      ['defaults.provider', 10],
      ['gateway.keys[0].models[0]', 13],
      ['gateway.keys[1].key', 14],
    ]);
    expect(second.error.message).not.toContain('"same"');
  });

  it('a YAML syntax error, at its line, without the source text', () => {
    const { error, issues } = issuesOf(() =>
      parseConfig('providers:\n  - name: a\n    apiKey: "sk-live-secret-value\n    type: mock\n', {
        file: 'llmo.yaml',
      }),
    );
    expect(issues[0]).toMatchObject({ path: '', file: 'llmo.yaml', line: expect.any(Number) });
    expect(error.message).toMatch(/YAML syntax error/);
    expect(error.message).not.toContain('sk-live-secret-value');
  });

  it('two gateway keys with one name, at the second line, naming the first', () => {
    const { issues } = issuesOf(() =>
      parseConfig(
        'providers:\n  - { name: a, type: mock, model: m }\ngateway:\n  keys:\n    - { key: k1, tenant: t, name: backend }\n    - { key: k2, tenant: u, name: backend }\n',
        { file: 'llmo.yaml' },
      ),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'gateway.keys[1].name',
        line: 6,
        message: expect.stringContaining('already used by gateway.keys[0]'),
      }),
    ]);
  });

  it('gateway.keys[].admin is a boolean', () => {
    const config = parseConfig(
      'providers:\n  - { name: a, type: mock, model: m }\ngateway:\n  keys:\n    - { key: k1, tenant: t, admin: true }\n',
    );
    expect(config.gateway?.keys?.[0]?.admin).toBe(true);
    const { issues } = issuesOf(() =>
      parseConfig(
        'providers:\n  - { name: a, type: mock, model: m }\ngateway:\n  keys:\n    - { key: k1, tenant: t, admin: yes }\n',
      ),
    );
    expect(issues[0]).toMatchObject({ path: 'gateway.keys[0].admin' });
  });

  it('a duplicate key, at its line', () => {
    const { issues } = issuesOf(() => parseConfig('providers: []\nrouter: {}\nrouter: {}\n'));
    expect(issues[0]).toMatchObject({ line: 3, message: expect.stringContaining('YAML syntax error') });
  });
});

describe('secrets', () => {
  it('never appear in an error, even when the value itself is invalid', () => {
    const secret = 'sk-very-secret-0123456789';
    const { error } = issuesOf(() =>
      parseConfig(
        `providers:
  - { name: a, type: mock, model: m }
usage:
  callbackUrl: ftp://user:${secret}@billing.example
  callbackHeaders: { Authorization: [${secret}] }
gateway:
  keys:
    - { key: [${secret}], tenant: t }
    - { keyHash: "${secret}", tenant: u }
  logs: { level: ${secret} }
`,
      ),
    );
    expect(error.message).not.toContain(secret);
    expect(error.issues.map((i) => i.path)).toEqual([
      'usage.callbackUrl',
      'usage.callbackHeaders.Authorization',
      'gateway.keys[0].key',
      'gateway.keys[1].keyHash',
      'gateway.logs.level',
    ]);
  });
});

describe('objects', () => {
  it('accepts the same shape as an object, with ${VAR} replaced and paths in errors', () => {
    const config = parseConfig(
      { providers: [{ name: 'a', type: 'openai', model: 'gpt-4o', apiKey: '${KEY}' }] },
      { env: { KEY: 'k' } },
    );
    expect(config.providers[0]?.apiKey).toBe('k');
    const { issues } = issuesOf(() => parseConfig({ providers: [{ name: 'a', type: 'mock' }] }));
    expect(issues).toEqual([{ path: 'providers[0].model', message: expect.stringContaining('is required') }]);
  });

  it('ignores top-level x- keys, a place for anchors', () => {
    const config = parseConfig(
      'x-common: &common\n  type: mock\n  model: mock-normal\nproviders:\n  - { <<: *common, name: a }\n  - name: b\n    type: mock\n    model: mock-normal\n',
    );
    expect(config.providers.map((p) => p.name)).toEqual(['a', 'b']);
  });
});

describe('the README', () => {
  it('its sample file is valid as written (with its variables set)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const sample = /## The file\n\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(sample).toBeDefined();
    const config = parseConfig(sample ?? '', {
      env: { OPENAI_API_KEY: 'k', GIGACHAT_CREDENTIALS: 'c', BILLING_TOKEN: 't', GATEWAY_KEY_ALICE: 'a' },
    });
    expect(config.providers.map((p) => p.name)).toEqual(['primary', 'sber', 'local']);
    expect(config.gateway?.keys).toHaveLength(2);
  });
});
