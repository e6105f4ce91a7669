import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../index.js';
import { loadConfig, overlayPath } from '../node.js';

const dir = mkdtempSync(join(tmpdir(), 'llmo-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

async function errorOf(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    if (ConfigError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const base = write(
  'llmo.yaml',
  `router:
  strategy: round-robin
  timeoutMs: 30000
providers:
  - name: primary
    type: openai
    model: gpt-4o-mini
    apiKey: \${OPENAI_API_KEY}
    fallbackModels: [gpt-4o]
  - name: local
    type: ollama
    model: llama3.2
usage:
  costLog: logs/cost.jsonl
gateway:
  port: 8000
  cors:
    origins: ["http://localhost:3000"]
`,
);
write(
  'llmo.production.yaml',
  `router:
  strategy: best-available
providers:
  - name: primary
    apiKey: \${PROD_OPENAI_KEY}
    fallbackModels: [gpt-4.1]
  - name: local
    enabled: false
  - name: claude
    type: anthropic
    model: claude-3-5-haiku-latest
    apiKey: \${ANTHROPIC_API_KEY}
gateway:
  cors:
    origins: ["https://app.example"]
`,
);

describe('loadConfig', () => {
  it('reads the file with process-like env, and resolves paths against its directory', async () => {
    const config = await loadConfig(base, { env: { OPENAI_API_KEY: 'sk-dev' } });
    expect(config.providers.map((p) => p.name)).toEqual(['primary', 'local']);
    expect(config.usage?.costLog).toBe(join(dir, 'logs/cost.jsonl'));
  });

  it('lays llmo.<env>.yaml over it when LLMO_ENV names an environment, with the documented merge rules', async () => {
    const config = await loadConfig(base, {
      env: { LLMO_ENV: 'production', PROD_OPENAI_KEY: 'sk-prod', ANTHROPIC_API_KEY: 'sk-ant' },
    });
    // Maps merge key by key; providers merge by name (order kept, new names appended); lists are replaced.
    expect(config.router).toEqual({ strategy: 'best-available', timeoutMs: 30000 });
    expect(config.providers).toEqual([
      {
        name: 'primary',
        type: 'openai',
        model: 'gpt-4o-mini',
        apiKey: 'sk-prod',
        fallbackModels: ['gpt-4.1'],
      },
      { name: 'local', type: 'ollama', model: 'llama3.2', enabled: false },
      { name: 'claude', type: 'anthropic', model: 'claude-3-5-haiku-latest', apiKey: 'sk-ant' },
    ]);
    expect(config.gateway).toEqual({ port: 8000, cors: { origins: ['https://app.example'] } });
  });

  it("drops the base file's missing variable when the overlay replaces its value", async () => {
    // OPENAI_API_KEY is not set, but production replaces primary.apiKey.
    await expect(
      loadConfig(base, { env: { LLMO_ENV: 'production', PROD_OPENAI_KEY: 'k', ANTHROPIC_API_KEY: 'k' } }),
    ).resolves.toBeDefined();
  });

  it("names the overlay file and its line for the overlay's problems", async () => {
    const error = await errorOf(loadConfig(base, { env: { LLMO_ENV: 'production', PROD_OPENAI_KEY: 'k' } }));
    expect(error.issues).toEqual([
      expect.objectContaining({ path: 'providers[2].apiKey', file: 'llmo.production.yaml', line: 12 }),
    ]);
    expect(error.message).toContain(
      'providers[2].apiKey (llmo.production.yaml, line 12): the environment variable ANTHROPIC_API_KEY is not set',
    );
  });

  it('points at the base file for a value merged from it', async () => {
    write(
      'bad.yaml',
      'providers:\n  - name: a\n    type: mock\n    model: m\n    fallbackModels: [x]\ngateway:\n  port: 1\n',
    );
    write('bad.staging.yaml', 'gateway:\n  port: 99999\nproviders:\n  - name: a\n    fallbackModels: 7\n');
    const error = await errorOf(loadConfig(join(dir, 'bad.yaml'), { env: {}, environment: 'staging' }));
    expect(error.issues.map((i) => [i.path, i.file, i.line])).toEqual([
      ['gateway.port', 'bad.staging.yaml', 2],
      ['providers[0].fallbackModels', 'bad.staging.yaml', 5],
    ]);
  });

  it('an environment without its overlay file is an error naming the file and the variable', async () => {
    const error = await errorOf(loadConfig(base, { env: { LLMO_ENV: 'staging', OPENAI_API_KEY: 'k' } }));
    expect(error.message).toContain('the overlay for LLMO_ENV=staging, llmo.staging.yaml does not exist');
    expect(error.message).toContain('create it beside llmo.yaml, or unset LLMO_ENV');
  });

  it('a missing file, and an environment name that is not a plain word', async () => {
    expect((await errorOf(loadConfig(join(dir, 'nope.yaml'), { env: {} }))).message).toContain(
      'does not exist',
    );
    expect((await errorOf(loadConfig(base, { env: { LLMO_ENV: '../etc' } }))).message).toContain(
      'may hold only letters, digits',
    );
  });

  it('overlayPath puts the environment before the extension', () => {
    expect(overlayPath('/srv/llmo.yaml', 'production')).toBe('/srv/llmo.production.yaml');
  });
});
