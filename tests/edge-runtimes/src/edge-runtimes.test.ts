// Issue 10, "Runtimes": every HTTP provider failed in Vercel's edge-runtime (`AbortSignal.any is not a
// function`). Here the router, one strategy and each provider are bundled from the packages' built dists as an
// edge app would bundle them (esbuild, browser platform, `worker`/`browser` conditions: the same `bundle()` as
// scripts/edge-check.mjs), and the bundles RUN in edge-runtime and in workerd (no nodejs_compat). Each app calls
// fake provider servers on 127.0.0.1 started here in Node, falls back from a failing server to a working one,
// and streams; the test checks the text, the streamed deltas, the final result and what the servers received.
import { fileURLToPath } from 'node:url';
import {
  AnthropicFakeServer,
  BedrockFakeServer,
  GeminiFakeServer,
  GigaChatFakeServer,
  OllamaFakeServer,
  OpenAIFakeServer,
  type ProviderFakeServer,
  type Scenario,
  VertexFakeServer,
  YandexGPTFakeServer,
} from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertEdgeSafe, bundle } from '../../../scripts/edge-check.mjs';
import type { AppConfig, AppReport, Endpoint } from '../apps/harness.js';
import { type Dispatch, startEdgeRuntime, startWorkerd, type WorkerdInstance } from './runtimes.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const PROMPT = 'Say hello from the edge';

interface AppCase {
  name:
    | 'openai'
    | 'gigachat'
    | 'yandexgpt'
    | 'ollama'
    | 'anthropic'
    | 'gemini'
    | 'bedrock'
    | 'vertex-gemini'
    | 'vertex-claude'
    | 'mock';
  /** Starts the failing and the working fake server (none for the mock). */
  servers?: () => Promise<[failing: ProviderFakeServer, working: ProviderFakeServer]>;
  /** What the failing server answers. */
  failure?: Scenario;
  /** The error kind the router records for the failing provider. */
  kind: string;
  /** What the working server answers (text, how it is split on the wire, usage). */
  answer?: Extract<Scenario, { type: 'text' }>;
  expected: { text: string; usage: { promptTokens: number; completionTokens: number } };
}

const usage = { promptTokens: 11, completionTokens: 9 };
const CASES: AppCase[] = [
  {
    name: 'openai',
    servers: async () => [await OpenAIFakeServer.start(), await OpenAIFakeServer.start()],
    failure: {
      type: 'error',
      status: 429,
      code: 'insufficient_quota',
      message: 'You exceeded your current quota',
    },
    kind: 'quota',
    answer: { type: 'text', text: 'Hello from the edge, streamed word by word.', usage },
    expected: { text: 'Hello from the edge, streamed word by word.', usage },
  },
  {
    name: 'gigachat',
    // Both issue OAuth tokens (so both pass the health check); the failing one then rate-limits the chat.
    servers: async () => [await GigaChatFakeServer.start(), await GigaChatFakeServer.start()],
    failure: { type: 'error', status: 429, message: 'Too many requests' },
    kind: 'rate_limit',
    // Split every 5 bytes, so chunk boundaries fall inside Cyrillic characters.
    answer: { type: 'text', text: 'Привет с края сети, слово за словом.', usage, splitBytes: 5 },
    expected: { text: 'Привет с края сети, слово за словом.', usage },
  },
  {
    name: 'yandexgpt',
    servers: async () => [await YandexGPTFakeServer.start(), await YandexGPTFakeServer.start()],
    failure: { type: 'error', status: 500, message: 'Internal error' },
    kind: 'server',
    answer: { type: 'text', text: 'Привет от YandexGPT на краю сети.', usage, splitBytes: 5 },
    expected: { text: 'Привет от YandexGPT на краю сети.', usage },
  },
  {
    name: 'ollama',
    servers: async () => [await OllamaFakeServer.start(), await OllamaFakeServer.start()],
    failure: { type: 'error', status: 404, message: 'model "llama3.2" not found, try pulling it first' },
    kind: 'not_found',
    answer: { type: 'text', text: 'Hello from Ollama at the edge.', usage },
    expected: { text: 'Hello from Ollama at the edge.', usage },
  },
  {
    name: 'anthropic',
    servers: async () => [await AnthropicFakeServer.start(), await AnthropicFakeServer.start()],
    failure: { type: 'error', status: 529 },
    kind: 'overloaded',
    // Split every 5 bytes, so chunk boundaries fall inside SSE lines and multi-byte characters.
    answer: { type: 'text', text: 'Hello from Claude at the edge — ёж 🦔.', usage, splitBytes: 5 },
    expected: { text: 'Hello from Claude at the edge — ёж 🦔.', usage },
  },
  {
    name: 'gemini',
    servers: async () => [await GeminiFakeServer.start(), await GeminiFakeServer.start()],
    // 429 RESOURCE_EXHAUSTED with its delay in RetryInfo (Gemini sends no Retry-After).
    failure: { type: 'error', status: 429, retryAfter: '0.01', message: 'Resource has been exhausted' },
    kind: 'rate_limit',
    // Split every 5 bytes, so chunk boundaries fall inside the CRLF event ends and multi-byte characters.
    answer: { type: 'text', text: 'Hello from Gemini at the edge — ёж 🦔.', usage, splitBytes: 5 },
    expected: { text: 'Hello from Gemini at the edge — ёж 🦔.', usage },
  },
  {
    name: 'bedrock',
    servers: async () => [await BedrockFakeServer.start(), await BedrockFakeServer.start()],
    failure: { type: 'error', status: 429, code: 'ThrottlingException', message: 'Too many requests' },
    kind: 'rate_limit',
    // Split every 5 bytes, so chunk boundaries fall inside event-stream frames and multi-byte characters.
    answer: { type: 'text', text: 'Hello from Bedrock at the edge — ёж 🦔.', usage, splitBytes: 5 },
    expected: { text: 'Hello from Bedrock at the edge — ёж 🦔.', usage },
  },
  {
    name: 'vertex-gemini',
    servers: async () => [(await vertexServer()).gemini, (await vertexServer()).gemini],
    failure: { type: 'error', status: 429, retryAfter: '0.01', message: 'Resource exhausted.' },
    kind: 'rate_limit',
    answer: { type: 'text', text: 'Hello from Gemini on Vertex at the edge — ёж 🦔.', usage, splitBytes: 5 },
    expected: { text: 'Hello from Gemini on Vertex at the edge — ёж 🦔.', usage },
  },
  {
    name: 'vertex-claude',
    servers: async () => [(await vertexServer()).claude, (await vertexServer()).claude],
    // Google-layer error on the Claude endpoint (google.rpc.Status, not Anthropic's shape).
    failure: { type: 'error', status: 500, message: 'Internal error encountered.' },
    kind: 'server',
    answer: { type: 'text', text: 'Hello from Claude on Vertex at the edge — ёж 🦔.', usage, splitBytes: 5 },
    expected: { text: 'Hello from Claude on Vertex at the edge — ёж 🦔.', usage },
  },
  {
    name: 'mock',
    kind: 'server',
    // The mock counts words as tokens.
    expected: { text: `Mock response to: ${PROMPT}`, usage: { promptTokens: 5, completionTokens: 8 } },
  },
];

const servers = new Map<string, [ProviderFakeServer, ProviderFakeServer]>();
/** Vertex fakes (each serves both families) and the service-account key their token endpoint trusts. */
const vertexServers: VertexFakeServer[] = [];
const vertexKeys = new Map<ProviderFakeServer, string>();
async function vertexServer(): Promise<VertexFakeServer> {
  const server = await VertexFakeServer.start();
  const { key } = await server.createServiceAccount({ projectId: 'edge-project' });
  vertexServers.push(server);
  vertexKeys.set(server.gemini, JSON.stringify(key));
  vertexKeys.set(server.claude, JSON.stringify(key));
  return server;
}
const iife: Record<string, string> = {};
const esm: Record<string, string> = {};
let workerd: WorkerdInstance | undefined;

const endpoint = (server: ProviderFakeServer): Endpoint => ({
  baseURL: server.baseURL,
  authURL: server instanceof GigaChatFakeServer ? server.authURL : undefined,
  serviceAccount: vertexKeys.get(server),
});

beforeAll(async () => {
  for (const c of CASES) if (c.servers) servers.set(c.name, await c.servers());
  for (const c of CASES) {
    const app = `./apps/${c.name}.ts`;
    // edge-runtime evaluates a classic script that registers a fetch listener; workerd loads an ES module.
    iife[c.name] = await bundle(
      `${c.name}-edge-runtime`,
      `import handle from '${app}';\naddEventListener('fetch', (event) => event.respondWith(handle(event.request)));`,
      { format: 'iife', resolveDir: packageDir },
    );
    esm[c.name] = await bundle(
      `${c.name}-workerd`,
      `import handle from '${app}';\nexport default { fetch: (request) => handle(request) };`,
      { resolveDir: packageDir },
    );
  }
  workerd = await startWorkerd(esm);
}, 60_000);

afterAll(async () => {
  await workerd?.stop();
  const vertexHalves = new Set(vertexKeys.keys());
  await Promise.all([
    ...[...servers.values()]
      .flat()
      .filter((s) => !vertexHalves.has(s))
      .map((s) => s.close()),
    ...vertexServers.map((s) => s.close()),
  ]);
});

beforeEach(() => {
  for (const c of CASES) {
    const pair = servers.get(c.name);
    if (!pair) continue;
    for (const s of pair) s.reset();
    if (c.failure) pair[0].setDefault(c.failure);
    if (c.answer) pair[1].setDefault(c.answer);
  }
});

describe('the edge bundles', () => {
  it.each(CASES.map((c) => c.name))('%s: router + firstAvailable + provider has no Node API', (name) => {
    expect(() => assertEdgeSafe(`${name} (script)`, iife[name]!)).not.toThrow();
    expect(() => assertEdgeSafe(`${name} (module)`, esm[name]!)).not.toThrow();
  });
});

const runtimes: [string, (name: string) => Dispatch][] = [
  ['edge-runtime', (name) => startEdgeRuntime(iife[name]!)],
  ['workerd', (name) => workerd!.apps[name]!],
];

describe.each(runtimes)('in %s', (runtime, app) => {
  it.each(CASES)(
    '$name: falls back from the failing provider, then streams from the working one',
    async (c) => {
      const pair = servers.get(c.name);
      const config: AppConfig = {
        failing: pair ? endpoint(pair[0]) : { baseURL: 'http://127.0.0.1:9/unused' },
        working: pair ? endpoint(pair[1]) : { baseURL: 'http://127.0.0.1:9/unused' },
        prompt: PROMPT,
      };
      const response = await app(c.name)(config);
      const context = `${runtime} ${c.name}: ${response.body}${runtime === 'workerd' ? `\n${workerd?.output()}` : ''}`;
      expect(response.status, context).toBe(200);
      const report = JSON.parse(response.body) as AppReport;

      // What makes it an edge runtime: none of Node's globals.
      expect(report.globals).toMatchObject({
        process: 'undefined',
        Buffer: 'undefined',
        require: 'undefined',
      });
      // edge-runtime has no AbortSignal.any (the issue); the providers ran on core's anySignal fallback.
      if (runtime === 'edge-runtime') expect(report.globals['AbortSignal.any']).toBe('undefined');

      const attempts = [`${c.name}-down:${c.kind}`, `${c.name}-up:success`];
      const result = {
        text: c.expected.text,
        provider: `${c.name}-up`,
        finishReason: 'stop',
        usage: c.expected.usage,
        attempts,
      };
      expect(report.generate, context).toEqual(result);
      const { deltas, ...streamed } = report.stream;
      expect(streamed, context).toEqual(result);
      expect(deltas.join('')).toBe(c.expected.text);
      expect(deltas.length).toBe(c.expected.text.split(' ').length); // one delta per word, as sent

      if (pair) {
        const [failing, working] = pair;
        // Each call reached the failing server first, then the working one.
        expect(failing.chatRequests).toHaveLength(2);
        expect(working.chatRequests).toHaveLength(2);
      }
    },
  );
});
