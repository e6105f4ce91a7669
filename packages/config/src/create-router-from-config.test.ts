import { readFileSync } from 'node:fs';
import { ModelNotFoundError, type Router } from '@llmo/core';
import { FakeHttpServer, OllamaFakeServer, OpenAIFakeServer } from '@llmo/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createRouterFromConfig, parseConfig } from './index.js';

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const routers: Router[] = [];
const keep = (router: Router) => {
  routers.push(router);
  return router;
};
afterAll(async () => {
  await Promise.all(routers.map((r) => r.close({ timeoutMs: 1000 })));
});

describe('providers from their packages, by type', () => {
  it("builds the issue's example: openai with its fallback model, and ollama", async () => {
    const yaml = readFileSync(new URL('./__fixtures__/issue-14.yaml', import.meta.url), 'utf8');
    const config = parseConfig(yaml, { env: { OPENAI_API_KEY: 'sk-test', GATEWAY_KEY_ALICE: 'gw-test' } });
    const router = keep(await createRouterFromConfig(config, { router: { onWarning: false } }));
    expect(router.getProviders().map((p) => [p.name, p.providerType, p.model])).toEqual([
      ['primary', 'openai', 'gpt-4o-mini'],
      ['primary/gpt-4o', 'openai', 'gpt-4o'],
      ['local', 'ollama', 'llama3.2'],
    ]);
  });

  it('builds mock providers and routes', async () => {
    const router = keep(
      await createRouterFromConfig(
        parseConfig(
          'providers:\n  - { name: a, type: mock, model: mock-normal, latencyMs: 0, chunkDelayMs: 0 }\n',
        ),
        { router: { onWarning: false } },
      ),
    );
    expect(router.getProviders().map((p) => [p.name, p.model, p.providerType])).toEqual([
      ['a', 'mock-normal', 'mock'],
    ]);
    expect((await router.route('Hi')).text).toBe('Mock response to: Hi');
  });

  it('builds Bedrock and Vertex providers from their packages by type', async () => {
    const router = keep(
      await createRouterFromConfig(
        parseConfig(
          [
            'providers:',
            '  - name: aws',
            '    type: bedrock',
            '    model: us.amazon.nova-lite-v1:0',
            '    region: eu-central-1',
            '    apiKey: ${BEDROCK_KEY}',
            '  - name: gcp',
            '    type: vertex',
            '    model: gemini-2.5-flash',
            '    project: my-project',
            '    location: global',
            '    accessToken: ${VERTEX_TOKEN}',
            '',
          ].join('\n'),
          { env: { BEDROCK_KEY: 'bedrock-key', VERTEX_TOKEN: 'ya29.token' } },
        ),
        { router: { onWarning: false } },
      ),
    );
    expect(router.getProviders().map((p) => [p.name, p.providerType, p.model])).toEqual([
      ['aws', 'bedrock', 'us.amazon.nova-lite-v1:0'],
      ['gcp', 'vertex', 'gemini-2.5-flash'],
    ]);
  });

  it('a type whose package is not installed names the package to install, at its line', async () => {
    const config = parseConfig(
      'providers:\n  - name: aws\n    type: bedrock\n    model: anthropic.claude-3-haiku\n  - name: gcp\n    type: vertex\n    model: gemini-2.0-flash\n',
      { file: 'llmo.yaml' },
    );
    // Both packages are in this workspace: Node's own "not found" error for them, as an app without them gets.
    const absent = async (name: string) => {
      throw Object.assign(new Error(`Cannot find package '${name}' imported from /app/server.js`), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
    };
    const error = await errorOf(createRouterFromConfig(config, { importModule: absent }));
    expect(ConfigError.isInstance(error)).toBe(true);
    const issues = (error as ConfigError).issues;
    expect(issues).toEqual([
      expect.objectContaining({ path: 'providers[0].type', line: 3 }),
      expect.objectContaining({ path: 'providers[1].type', line: 6 }),
    ]);
    expect((error as Error).message).toContain(
      'type "bedrock" needs the package @llmo/provider-bedrock, which is not installed. Install it: npm install @llmo/provider-bedrock',
    );
    expect((error as Error).message).toContain('npm install @llmo/provider-vertex');
  });

  it('an installed package without the factory, or one that fails to load, says so', async () => {
    const config = parseConfig(
      'providers:\n  - { name: a, type: openai, model: m }\n  - { name: b, type: ollama, model: m }\n',
    );
    const error = await errorOf(
      createRouterFromConfig(config, {
        importModule: async (name) => {
          if (name === '@llmo/provider-openai') return {};
          throw new Error('boom inside the package');
        },
      }),
    );
    expect((error as Error).message).toContain(
      'the installed @llmo/provider-openai has no createOpenAI export',
    );
    expect((error as Error).message).toContain(
      '@llmo/provider-ollama is installed but failed to load (boom inside the package)',
    );
  });

  it("reports the provider factories' own problems at the keys' lines, all providers together", async () => {
    const secret = 'sk-should-never-show-42';
    const config = parseConfig(
      `providers:
  - name: a
    type: openai
    model: gpt-4o
    apiKy: \${KEY}
    timeoutMs: -1
  - name: b
    type: ollama
    model: llama3.2
    apiKey: [${secret}]
`,
      { file: 'llmo.yaml', env: { KEY: secret } },
    );
    const error = await errorOf(createRouterFromConfig(config));
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues.map((i) => [i.path, i.line])).toEqual([
      ['providers[0].apiKy', 5],
      ['providers[0].timeoutMs', 6],
      ['providers[1].apiKey', 10],
    ]);
    expect((error as Error).message).toContain('createOpenAI: apiKy is not a setting; did you mean apiKey?');
    expect((error as Error).message).not.toContain(secret);
  });

  it('a numeric apiKey is rejected by the factory without being shown', async () => {
    const config = parseConfig('providers:\n  - { name: a, type: openai, model: m, apiKey: 987654321 }\n');
    const error = await errorOf(createRouterFromConfig(config));
    expect((error as Error).message).toMatch(
      /providers\[0\]\.apiKey \(line 2\): createOpenAI: apiKey must be/,
    );
    expect((error as Error).message).not.toContain('987654321');
  });

  it('a cost log needs the Node entry', async () => {
    const config = parseConfig(
      'providers:\n  - { name: a, type: mock, model: m }\nusage:\n  costLog: cost.jsonl\n',
    );
    const error = await errorOf(createRouterFromConfig(config));
    expect((error as Error).message).toContain(
      "usage.costLog (line 4): a cost log writes a file: import { createRouterFromConfig } from '@llmo/config/node'",
    );
  });
});

describe('usage:', () => {
  it("callbackUrl posts each usage record through core's HTTP sink, with its headers", async () => {
    const billing = await FakeHttpServer.start();
    try {
      billing.on('POST', '/usage', { status: 200, body: {} });
      const config = parseConfig(
        `providers:
  - { name: a, type: mock, model: mock-normal, latencyMs: 0 }
usage:
  callbackUrl: \${BILLING_URL}
  callbackHeaders: { authorization: "Bearer \${BILLING_TOKEN}" }
  delivery: { batchSize: 2, maxBatchWaitMs: 0 }
`,
        { env: { BILLING_URL: `${billing.url}/usage`, BILLING_TOKEN: 'tok' } },
      );
      const router = await createRouterFromConfig(config, { router: { onWarning: false } });
      await router.route('one');
      await router.route('two');
      await router.close({ timeoutMs: 5_000 });
      const posts = billing.requestsTo('/usage');
      const records = posts.flatMap((p) => (Array.isArray(p.body) ? p.body : [p.body])) as Record<
        string,
        unknown
      >[];
      expect(records).toHaveLength(2);
      expect(records[0]).toMatchObject({ provider: 'a', model: 'mock-normal', success: true });
      expect(posts[0]?.headers.authorization).toBe('Bearer tok');
    } finally {
      await billing.close();
    }
  });
});

describe('fallbackModels', () => {
  it('expands one entry into one provider per model, named <name>/<model>, each right after its entry', async () => {
    const router = keep(
      await createRouterFromConfig(
        parseConfig(`router:
  strategy: round-robin
providers:
  - { name: a, type: mock, model: mock-normal, fallbackModels: [mock-flaky, mock-timeout], latencyMs: 0 }
  - { name: b, type: mock, model: mock-normal, latencyMs: 0 }
`),
        { router: { onWarning: false } },
      ),
    );
    expect(router.getProviders().map((p) => [p.name, p.model])).toEqual([
      ['a', 'mock-normal'],
      ['a/mock-flaky', 'mock-flaky'],
      ['a/mock-timeout', 'mock-timeout'],
      ['b', 'mock-normal'],
    ]);
    const orders: string[][] = [];
    router.on('route-start', (event) => orders.push(event.candidates));
    await router.route('one');
    await router.route('two');
    await router.route('three');
    expect(orders).toEqual([
      ['a', 'a/mock-flaky', 'a/mock-timeout', 'b'],
      ['b', 'a', 'a/mock-flaky', 'a/mock-timeout'],
      ['a', 'a/mock-flaky', 'a/mock-timeout', 'b'],
    ]);
  });

  describe('against a fake OpenAI server', () => {
    let server: OpenAIFakeServer;
    beforeAll(async () => {
      server = await OpenAIFakeServer.start({ models: ['gpt-4o-mini', 'gpt-4o'] });
    });
    afterAll(() => server.close());

    const yaml = `router:
  strategy: round-robin
  retry: { maxRetries: 0 }
providers:
  - name: primary
    type: openai
    model: \${MODEL:-gpt-4o-mini}
    baseURL: \${OPENAI_BASE_URL}
    apiKey: \${OPENAI_API_KEY}
    fallbackModels: [gpt-4o]
`;

    it('the first model fails, the next model of the same entry answers', async () => {
      server.reset();
      server.reply(
        { type: 'error', status: 404, message: 'The model `gpt-4o-mini` does not exist' },
        { type: 'text', text: 'Answer from gpt-4o' },
      );
      const config = parseConfig(yaml, {
        env: { OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: 'sk-test' },
      });
      const router = keep(await createRouterFromConfig(config, { router: { onWarning: false } }));
      const result = await router.route('Hello');
      expect(result).toMatchObject({
        text: 'Answer from gpt-4o',
        provider: 'primary/gpt-4o',
        model: 'gpt-4o',
      });
      expect(result.attempts.map((a) => [a.provider, a.errorKind])).toEqual([
        ['primary', 'not_found'],
        ['primary/gpt-4o', undefined],
      ]);
      expect(server.chatRequests.map((r) => (r.body as { model: string }).model)).toEqual([
        'gpt-4o-mini',
        'gpt-4o',
      ]);
    });

    it('validateModels passes when every model is listed, and the lists stay cached', async () => {
      server.reset();
      const config = parseConfig(yaml, {
        env: { OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: 'sk-test' },
      });
      const router = keep(
        await createRouterFromConfig(config, { validateModels: true, router: { onWarning: false } }),
      );
      const listed = server.requestsTo('/v1/models').length;
      expect(listed).toBe(2); // one per provider: primary and primary/gpt-4o
      expect((await router.listModels('primary')).map((m) => m.id)).toEqual(['gpt-4o-mini', 'gpt-4o']);
      expect(server.requestsTo('/v1/models').length).toBe(listed);
      await router.listModels('primary', { refresh: true });
      expect(server.requestsTo('/v1/models').length).toBe(listed + 1);
    });

    it('validateModels fails at start-up with a ModelNotFoundError naming the model, its line and the fix', async () => {
      const config = parseConfig(yaml, {
        file: 'llmo.yaml',
        env: { OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: 'sk-test', MODEL: 'gpt-4o-mni' },
      });
      const error = await errorOf(createRouterFromConfig(config, { validateModels: true }));
      expect(ModelNotFoundError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({
        provider: 'primary',
        model: 'gpt-4o-mni',
        available: ['gpt-4o-mini', 'gpt-4o'],
      });
      expect((error as Error).message).toContain(
        'providers[0].model (llmo.yaml, line 7): provider "primary" does not list the model "gpt-4o-mni"; did you mean "gpt-4o-mini"?',
      );
    });

    it('a listing that fails is a ConfigError naming the provider', async () => {
      const config = parseConfig(yaml, {
        env: { OPENAI_BASE_URL: `${server.url}/nowhere/v1`, OPENAI_API_KEY: 'sk-test' },
      });
      const error = await errorOf(
        createRouterFromConfig(config, { validateModels: true, router: { onWarning: false } }),
      );
      expect(ConfigError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('could not list the models of provider "primary"');
    });
  });

  it('validateModels accepts an Ollama name without its :latest tag, and warns about providers that cannot list', async () => {
    const ollama = await OllamaFakeServer.start({ models: ['llama3.2:latest'] });
    try {
      const warnings: string[] = [];
      const config = parseConfig(
        `providers:\n  - { name: local, type: ollama, model: llama3.2, baseURL: "${ollama.baseURL}" }\n  - { name: m, type: mock, model: mock-normal }\n`,
      );
      const router = keep(
        await createRouterFromConfig(config, {
          validateModels: true,
          factories: {
            // A provider package without listModels: the check skips it and says so.
            mock: ((settings: { name: string; model: string }) => ({
              specificationVersion: 'v1',
              name: settings.name,
              model: settings.model,
              providerType: 'mock',
              generate: async () => ({ text: '', finishReason: 'stop' }),
              stream: async function* () {},
              healthCheck: async () => true,
            })) as never,
          },
          router: { onWarning: (w) => warnings.push(`${w.code}: ${w.message}`) },
        }),
      );
      expect(router.getProviders()).toHaveLength(2);
      expect(warnings).toEqual([
        'models-not-checked: Provider "m" (mock) cannot list its models, so its model "mock-normal" was not checked.',
      ]);
    } finally {
      await ollama.close();
    }
  });
});
