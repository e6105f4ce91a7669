import { inspect } from 'node:util';
import { Router } from '@llmo/core';
import {
  type ChatRequest,
  type ErrorKind,
  type FetchFunction,
  ProviderError,
  type ProviderV1,
  type StreamPart,
} from '@llmo/core/provider';
import type { ProviderFakeServer } from './provider-fake-server.js';
import { runWithoutProcess } from './run-without-process.js';
import type { Scenario } from './scenario.js';

type TestFn = () => unknown | Promise<unknown>;

/** The test runner's functions (vitest, jest, node:test adapters…); the kit never imports one itself. */
export interface TestRunner {
  describe: (name: string, fn: () => void) => void;
  it: ((name: string, fn: TestFn, timeout?: number) => void) & { skip?: (name: string, fn: TestFn) => void };
  beforeAll: (fn: TestFn) => void;
  afterAll: (fn: TestFn) => void;
  beforeEach: (fn: TestFn) => void;
}

export interface ConformanceContext<S extends ProviderFakeServer> {
  server: S;
  /** A fresh provider pointed at the fake server. */
  provider: (overrides?: { timeoutMs?: number; fetch?: FetchFunction }) => ProviderV1;
}

export interface DescribeProviderOptions<S extends ProviderFakeServer> extends TestRunner {
  /** Suite title, e.g. `@llmo/provider-openai`. */
  name: string;
  /** Starts the provider's fake server (once per suite). */
  server: () => Promise<S>;
  /**
   * Builds the provider under test against the fake server. Pass `fetch` on when given (the secrets tests
   * inject transport failures through it), and give the provider a credential (an API key, a token…): the
   * suite reads it from the requests' credential headers and makes the server echo it back.
   */
  createProvider: (context: {
    server: S;
    baseURL: string;
    timeoutMs?: number;
    fetch?: FetchFunction;
  }) => ProviderV1;
  capabilities: { streaming: boolean; tools: boolean; jsonSchema: boolean };
  /** Settings this provider cannot honour; each must come back as an `unsupported-setting` warning. */
  unsupportedSettings?: { request: Partial<ChatRequest>; setting: string }[];
  /** How to load the provider in an edge-like worker (see `runWithoutProcess`). */
  edge?: {
    entry: string | URL;
    factory: string;
    settings: (context: { server: S }) => Record<string, unknown>;
  };
  /** Tests to skip, by full path (`group > test`), each with a reason shown in the test title. */
  skip?: { reason: string; tests: string[] }[];
  /** Provider-specific tests sharing the fake server. */
  additionalTests?: (context: () => ConformanceContext<S>, runner: TestRunner) => void;
}

const PROMPT: ChatRequest = { messages: [{ role: 'user', content: 'Say hello' }] };
const TOOL_ARGUMENTS = { city: 'Zürich', days: 3, units: ['celsius'], details: { wind: true } };
const TOOL_PROMPT: ChatRequest = {
  messages: [{ role: 'user', content: 'Weather in Zürich?' }],
  tools: [
    {
      name: 'lookup',
      description: 'Weather for a city',
      parameters: {
        type: 'object',
        properties: {
          city: { type: 'string' },
          days: { type: 'integer' },
          units: { type: 'array', items: { type: 'string' } },
          details: { type: 'object', properties: { wind: { type: 'boolean' } } },
        },
        required: ['city'],
      },
    },
  ],
};
const MULTIBYTE = 'Привет, мир! Съешь ещё этих мягких булок 🥐 — 你好';

async function collect(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

async function failure(run: () => Promise<unknown>): Promise<ProviderError> {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new Error('expected the call to fail, but it succeeded');
  if (!ProviderError.isInstance(caught)) throw new Error(`expected a ProviderError, got: ${String(caught)}`);
  return caught;
}

function check(condition: unknown, message: string): void {
  if (!condition) throw new Error(message);
}

/**
 * Throws (naming the problem) unless `parts` are in the order the contract prescribes: `stream-start` first,
 * exactly one `finish`, last; text parts only inside their open block; no text block open at a tool part;
 * every block closed. For a provider's own stream tests; the conformance suite runs it on every stream.
 */
export function checkStreamOrder(parts: readonly StreamPart[]): void {
  const types = parts.map((p) => p.type);
  check(types[0] === 'stream-start', `the first part must be stream-start, got ${types[0]}`);
  check(
    types.filter((t) => t === 'finish').length === 1,
    `exactly one finish part expected, got: ${types.join(', ')}`,
  );
  check(types.at(-1) === 'finish', `finish must be the last part, got: ${types.join(', ')}`);
  const open = new Set<string>();
  for (const part of parts) {
    if (part.type === 'tool-call-delta' || part.type === 'tool-call')
      check(open.size === 0, `text block ${[...open].join(', ')} still open at a ${part.type} part`);
    if (part.type === 'text-start') open.add(part.id);
    if (part.type === 'text-delta' || part.type === 'text-revision')
      check(open.has(part.id), `${part.type} for "${part.id}" outside its open text block`);
    if (part.type === 'text-end') {
      check(open.has(part.id), `text-end for "${part.id}" without text-start`);
      open.delete(part.id);
    }
  }
  check(open.size === 0, `text parts left open: ${[...open].join(', ')}`);
}

/** Resolves once the server has received a chat request (or after `limitMs`, if none ever comes). */
async function chatRequestArrived(server: ProviderFakeServer, limitMs = 5_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (server.chatRequests.length === 0 && Date.now() < until)
    await new Promise((resolve) => setTimeout(resolve, 5));
}

/** The credential values a request carried: credential headers, and the token after an auth scheme. */
function credentialsOnWire(headers: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!/auth|key|token/i.test(name) || !value) continue;
    const space = value.indexOf(' ');
    found.push(space > 0 ? value.slice(space + 1).trim() : value);
  }
  return found.filter((v) => v.length >= 4);
}

/** The streamed text, with each `text-revision` applied to its block. */
function textOf(parts: StreamPart[]): string {
  let text = '';
  let blockStart = 0;
  for (const p of parts) {
    if (p.type === 'text-start') blockStart = text.length;
    else if (p.type === 'text-delta') text += p.delta;
    else if (p.type === 'text-revision') text = text.slice(0, blockStart) + p.text;
  }
  return text;
}

/**
 * The conformance suite every provider runs, ours and third-party: calls, stream part order, usage, abort,
 * error kinds and `retryable` per status, Retry-After, errors inside a 200 stream, connection resets,
 * timeouts, unsupported settings as warnings, and running without `globalThis.process`.
 *
 * @example
 * describeProvider({ describe, it, beforeAll, afterAll, beforeEach, name: '@llmo/provider-acme',
 *   server: () => OpenAIFakeServer.start(),
 *   createProvider: ({ baseURL, timeoutMs }) => createAcme({ name: 'acme', model: 'm', apiKey: 'k', baseURL, timeoutMs }),
 *   capabilities: { streaming: true, tools: true, jsonSchema: true } });
 */
export function describeProvider<S extends ProviderFakeServer>(options: DescribeProviderOptions<S>): void {
  const { describe, beforeAll, afterAll, beforeEach } = options;
  let server: S | undefined;
  const context = (): ConformanceContext<S> => {
    if (!server) throw new Error('the fake server is not running (beforeAll did not run?)');
    const s = server;
    return {
      server: s,
      provider: (o = {}) => options.createProvider({ server: s, baseURL: s.baseURL, ...o }),
    };
  };
  const skips = new Map<string, string>();
  for (const entry of options.skip ?? []) {
    if (!entry.reason?.trim()) throw new Error('describeProvider: every skip needs a reason');
    for (const test of entry.tests) skips.set(test, entry.reason);
  }
  const test = (group: string, name: string, fn: TestFn, reasonIfSkipped?: string) => {
    const path = `${group} > ${name}`;
    const reason = skips.get(path) ?? reasonIfSkipped;
    if (reason) {
      const skip = options.it.skip ?? (() => {});
      skip(`${name} (skipped: ${reason})`, fn);
    } else {
      options.it(name, fn, 20_000);
    }
  };
  const reply = (...scenarios: Scenario[]) => context().server.reply(...scenarios);

  describe(`${options.name}: provider conformance`, () => {
    beforeAll(async () => {
      server = await options.server();
    });
    afterAll(async () => {
      await server?.close();
    });
    beforeEach(() => {
      server?.reset();
    });

    describe('contract', () => {
      test('contract', 'declares specificationVersion v1, a name and a model', () => {
        const provider = context().provider();
        check(
          provider.specificationVersion === 'v1',
          `specificationVersion is ${provider.specificationVersion}`,
        );
        check(typeof provider.name === 'string' && provider.name.length > 0, 'name missing');
        check(typeof provider.model === 'string' && provider.model.length > 0, 'model missing');
        check(
          typeof provider.providerType === 'string' && provider.providerType.length > 0,
          'providerType missing',
        );
      });
    });

    describe('generate', () => {
      test('generate', 'returns the text, the finish reason and the reported usage', async () => {
        reply({ type: 'text', text: 'Hello there!', usage: { promptTokens: 11, completionTokens: 3 } });
        const result = await context().provider().generate(PROMPT);
        check(result.text === 'Hello there!', `text was ${JSON.stringify(result.text)}`);
        check(result.finishReason === 'stop', `finishReason was ${result.finishReason}`);
        check(
          result.usage?.promptTokens === 11 && result.usage?.completionTokens === 3,
          `usage was ${JSON.stringify(result.usage)}`,
        );
        check(
          context().server.chatRequests.length === 1,
          `expected one chat request, got ${context().server.chatRequests.length}`,
        );
      });

      test('generate', 'maps a length stop to finishReason "length"', async () => {
        reply({ type: 'text', text: 'Cut', finishReason: 'length' });
        const result = await context().provider().generate(PROMPT);
        check(result.finishReason === 'length', `finishReason was ${result.finishReason}`);
      });
    });

    const noStream = options.capabilities.streaming ? undefined : 'the provider does not stream';
    const noTools = options.capabilities.tools ? undefined : 'the provider does not call tools';
    const sameArguments = (text: string | undefined, what: string) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text ?? '');
      } catch {
        throw new Error(`${what} are not JSON: ${JSON.stringify(text)}`);
      }
      check(
        JSON.stringify(parsed) === JSON.stringify(TOOL_ARGUMENTS),
        `${what} were ${text}, expected ${JSON.stringify(TOOL_ARGUMENTS)}`,
      );
    };
    describe('tools', () => {
      test(
        'tools',
        'generate returns the tool call, its arguments as JSON text, and finishReason tool-calls',
        async () => {
          reply({ type: 'tool-call', name: 'lookup', arguments: TOOL_ARGUMENTS });
          const result = await context().provider().generate(TOOL_PROMPT);
          check(result.toolCalls?.length === 1, `toolCalls were ${JSON.stringify(result.toolCalls)}`);
          const call = result.toolCalls![0]!;
          check(call.name === 'lookup', `tool name was ${call.name}`);
          check(typeof call.id === 'string' && call.id.length > 0, 'the tool call has no id');
          sameArguments(call.arguments, 'the arguments');
          check(result.finishReason === 'tool-calls', `finishReason was ${result.finishReason}`);
        },
        noTools,
      );

      test(
        'tools',
        'stream: no text block open at tool parts, deltas that add up to one tool-call, finish tool-calls',
        async () => {
          reply({ type: 'tool-call', name: 'lookup', arguments: TOOL_ARGUMENTS });
          const parts = await collect(context().provider().stream(TOOL_PROMPT));
          checkStreamOrder(parts);
          const calls = parts.filter((p) => p.type === 'tool-call');
          check(calls.length === 1, `expected one tool-call part, got ${calls.length}`);
          const call = calls[0]!;
          check(call.name === 'lookup' && call.id.length > 0, `tool-call was ${JSON.stringify(call)}`);
          sameArguments(call.arguments, 'the tool-call arguments');
          const deltas = parts.flatMap((p) =>
            p.type === 'tool-call-delta' && p.toolCallId === call.id ? [p.argumentsDelta] : [],
          );
          check(deltas.length > 0, `no tool-call-delta for call ${call.id}`);
          sameArguments(deltas.join(''), 'the joined tool-call-delta arguments');
          const finish = parts.at(-1);
          check(
            finish?.type === 'finish' && finish.finishReason === 'tool-calls',
            `the finish part was ${JSON.stringify(finish)}`,
          );
        },
        noTools ?? noStream,
      );
    });

    describe('stream', () => {
      test(
        'stream',
        'yields stream-start, text parts in order and exactly one finish, last',
        async () => {
          reply({
            type: 'text',
            text: 'One two three four',
            usage: { promptTokens: 5, completionTokens: 4 },
          });
          const parts = await collect(context().provider().stream(PROMPT));
          checkStreamOrder(parts);
          check(textOf(parts) === 'One two three four', `streamed text was ${JSON.stringify(textOf(parts))}`);
        },
        noStream,
      );

      test(
        'stream',
        'reports usage in the finish part',
        async () => {
          reply({ type: 'text', text: 'Counted', usage: { promptTokens: 9, completionTokens: 2 } });
          const finish = (await collect(context().provider().stream(PROMPT))).at(-1);
          check(finish?.type === 'finish', 'no finish part');
          const usage = finish?.type === 'finish' ? finish.usage : undefined;
          check(
            usage?.promptTokens === 9 && usage?.completionTokens === 2,
            `usage was ${JSON.stringify(usage)}`,
          );
        },
        noStream,
      );

      test(
        'stream',
        'keeps multi-byte characters split across network chunks',
        async () => {
          reply({ type: 'text', text: MULTIBYTE, splitBytes: 1 });
          const text = textOf(await collect(context().provider().stream(PROMPT)));
          check(text === MULTIBYTE, `streamed text was ${JSON.stringify(text)}`);
        },
        noStream,
      );
    });

    describe('abort', () => {
      test('abort', 'an abort during the request rejects with kind cancelled', async () => {
        reply({ type: 'hang' });
        const controller = new AbortController();
        // Abort once the server holds the request (not after a fixed delay): on a loaded machine a request
        // aborted before it arrived could reach the server later and take the next test's answer.
        void chatRequestArrived(context().server).then(() => controller.abort());
        const error = await failure(() =>
          context()
            .provider()
            .generate({ ...PROMPT, signal: controller.signal }),
        );
        check(error.kind === 'cancelled', `kind was ${error.kind}`);
        check(!error.retryable, 'cancelled must not be retryable');
      });

      test('abort', 'an already aborted signal rejects without a chat request', async () => {
        const controller = new AbortController();
        controller.abort();
        const error = await failure(() =>
          context()
            .provider()
            .generate({ ...PROMPT, signal: controller.signal }),
        );
        check(error.kind === 'cancelled', `kind was ${error.kind}`);
        check(context().server.chatRequests.length === 0, 'a chat request was sent anyway');
      });

      test(
        'abort',
        'an abort mid-stream stops the stream with kind cancelled',
        async () => {
          reply({ type: 'text', text: 'one two three four five six', chunkDelayMs: 40 });
          const controller = new AbortController();
          let deltas = 0;
          const error = await failure(async () => {
            for await (const part of context()
              .provider()
              .stream({ ...PROMPT, signal: controller.signal })) {
              if (part.type === 'text-delta' && ++deltas === 1) controller.abort();
            }
          });
          check(error.kind === 'cancelled', `kind was ${error.kind}`);
          check(deltas < 6, 'the stream ran to its end despite the abort');
        },
        noStream,
      );
    });

    describe('errors', () => {
      const cases: [number, ErrorKind, boolean][] = [
        [400, 'bad_request', false],
        [401, 'auth', false],
        [403, 'permission', false],
        [404, 'not_found', false],
        [408, 'timeout', true],
        [429, 'rate_limit', true],
        [500, 'server', true],
        [503, 'overloaded', true],
      ];
      for (const [status, kind, retryable] of cases) {
        test('errors', `HTTP ${status} → kind ${kind}, retryable ${retryable}`, async () => {
          // Twice: a provider may legitimately retry once (e.g. refresh a token after a 401).
          reply({ type: 'error', status }, { type: 'error', status });
          const error = await failure(() => context().provider().generate(PROMPT));
          check(error.kind === kind, `kind was ${error.kind}`);
          check(error.retryable === retryable, `retryable was ${error.retryable}`);
          check(error.status === status, `status was ${error.status}`);
        });
      }

      test('errors', '429 with Retry-After gives retryAfterMs', async () => {
        reply({ type: 'error', status: 429, retryAfter: '2' });
        const error = await failure(() => context().provider().generate(PROMPT));
        check(error.retryAfterMs === 2000, `retryAfterMs was ${error.retryAfterMs}`);
      });

      test(
        'errors',
        'an error status on a stream request rejects before any part',
        async () => {
          reply({ type: 'error', status: 429, retryAfter: '1' });
          const parts: StreamPart[] = [];
          const error = await failure(async () => {
            for await (const part of context().provider().stream(PROMPT)) parts.push(part);
          });
          check(error.kind === 'rate_limit', `kind was ${error.kind}`);
          check(!parts.some((p) => p.type === 'text-delta'), 'text arrived before the error');
        },
        noStream,
      );

      test(
        'errors',
        'an error inside a 200 stream is thrown, after the text already streamed',
        async () => {
          reply({ type: 'stream-error', text: 'partial answer here', afterDeltas: 2 });
          const parts: StreamPart[] = [];
          await failure(async () => {
            for await (const part of context().provider().stream(PROMPT)) parts.push(part);
          });
          check(
            textOf(parts) === 'partial answer ',
            `text before the error was ${JSON.stringify(textOf(parts))}`,
          );
          check(!parts.some((p) => p.type === 'finish'), 'a failed stream must not yield finish');
        },
        noStream,
      );

      test(
        'errors',
        'a connection reset mid-stream is a retryable network error',
        async () => {
          reply({ type: 'reset', text: 'never finished answer', afterDeltas: 1 });
          const error = await failure(() => collect(context().provider().stream(PROMPT)));
          check(error.kind === 'network', `kind was ${error.kind}`);
          check(error.retryable, 'a reset must be retryable');
        },
        noStream,
      );

      test('errors', 'a reset before the body is a retryable network error', async () => {
        reply({ type: 'reset', text: 'x', afterDeltas: 0 });
        const error = await failure(() => context().provider().generate(PROMPT));
        check(error.kind === 'network', `kind was ${error.kind}`);
        check(error.retryable, 'a reset must be retryable');
      });
    });

    describe('timeout', () => {
      test('timeout', 'timeoutMs turns a silent server into a retryable timeout error', async () => {
        reply({ type: 'hang' });
        const error = await failure(() => context().provider({ timeoutMs: 100 }).generate(PROMPT));
        // The request may still be on its way (a loaded machine): let it arrive here, not in the next test.
        await chatRequestArrived(context().server);
        check(error.kind === 'timeout', `kind was ${error.kind}`);
        check(error.retryable, 'a timeout must be retryable');
      });
    });

    describe('warnings', () => {
      const unsupported = [
        ...(options.capabilities.tools
          ? []
          : [{ request: { tools: [{ name: 'lookup', parameters: { type: 'object' } }] }, setting: 'tools' }]),
        ...(options.capabilities.jsonSchema
          ? []
          : [
              {
                request: { responseFormat: { type: 'json-schema' as const, schema: { type: 'object' } } },
                setting: 'responseFormat',
              },
            ]),
        ...(options.unsupportedSettings ?? []),
      ];
      test(
        'warnings',
        'settings the provider cannot honour come back as warnings, not errors',
        async () => {
          for (const { request, setting } of unsupported) {
            reply({ type: 'text', text: 'ok' });
            const result = await context()
              .provider()
              .generate({ ...PROMPT, ...request });
            const found = result.warnings?.some(
              (w) => w.type === 'unsupported-setting' && w.setting === setting,
            );
            check(found, `no unsupported-setting warning for ${setting}: ${JSON.stringify(result.warnings)}`);
          }
        },
        unsupported.length === 0 ? 'the provider supports every setting the suite knows' : undefined,
      );

      test('warnings', "another provider's namespaced options are ignored", async () => {
        reply({ type: 'text', text: 'ok' });
        const result = await context()
          .provider()
          .generate({ ...PROMPT, providerOptions: { 'some-other-provider': { x: 1 } } });
        check(result.text === 'ok', 'the call failed');
      });
    });

    describe('secrets', () => {
      // Upstreams echo credentials ("Incorrect API key provided: sk-…"); none may leave the provider.
      // The provider is reused after its first call: a token-based provider's credential is per instance.
      const learnCredential = async (
        provider = context().provider(),
      ): Promise<{ secret: string; provider: ProviderV1 }> => {
        reply({ type: 'text', text: 'ok' });
        await provider.generate(PROMPT);
        const sent = context().server.chatRequests.at(-1);
        const found = sent ? credentialsOnWire(sent.headers) : [];
        check(found.length > 0, 'the provider sent no credential header (give it a key in createProvider)');
        context().server.reset();
        return { secret: found.at(-1)!, provider };
      };
      const expectRedacted = (error: unknown, secret: string, where: string) => {
        const views: [string, string][] = [
          ['message', error instanceof Error ? error.message : String(error)],
          ['JSON.stringify', JSON.stringify(error) ?? ''],
          ['util.inspect', inspect(error, { depth: 20 })],
          ['stack', error instanceof Error ? String(error.stack) : ''],
        ];
        for (const [view, text] of views)
          check(!text.includes(secret), `${where}: the credential appears in ${view}: ${text.slice(0, 400)}`);
      };

      test('secrets', 'a credential echoed in an HTTP error body is redacted', async () => {
        const { secret, provider } = await learnCredential();
        const message = `Incorrect API key provided: Bearer ${secret}. You can find your key at …`;
        reply({ type: 'error', status: 400, message }, { type: 'error', status: 400, message });
        const error = await failure(() => provider.generate(PROMPT));
        check(error.message.includes('[redacted]'), `the message lost the echo entirely: ${error.message}`);
        expectRedacted(error, secret, 'HTTP error body');
      });

      test(
        'secrets',
        'a credential echoed in an error inside a 200 stream is redacted',
        async () => {
          const { secret, provider } = await learnCredential();
          reply({ type: 'stream-error', text: 'partial text', afterDeltas: 1, message: `bad key ${secret}` });
          const error = await failure(() => collect(provider.stream(PROMPT)));
          expectRedacted(error, secret, 'in-stream error');
        },
        noStream,
      );

      test('secrets', 'a credential in a transport error cause chain is redacted', async () => {
        const s = context().server;
        // The first chat call goes through (the suite learns the credential); later ones fail the way
        // undici reports a transport failure, "fetch failed" with the cause underneath. A token endpoint,
        // if the provider has one, still answers.
        let secret: string | undefined;
        let failed = 0;
        const fetch: FetchFunction = (input, init) => {
          const url = input instanceof Request ? input.url : String(input);
          if (secret === undefined || !s.isChatPath(new URL(url).pathname))
            return globalThis.fetch(input, init);
          failed++;
          const cause = Object.assign(new Error(`invalid header value "Bearer ${secret}"`), {
            code: `UND_ERR_${secret}`,
          });
          return Promise.reject(new TypeError('fetch failed', { cause }));
        };
        const learned = await learnCredential(context().provider({ fetch }));
        secret = learned.secret;
        const error = await failure(() => learned.provider.generate(PROMPT)).catch((e: unknown) => {
          check(failed > 0, 'createProvider did not pass the given fetch on to the provider');
          throw e;
        });
        check(error.kind === 'network', `kind was ${error.kind}`);
        expectRedacted(error, secret, 'transport cause');
      });

      test('secrets', 'after a fallback, RouteResult.attempts carries no credential', async () => {
        const { secret, provider: first } = await learnCredential();
        // The first provider fails with the key echoed (inside a 200 stream when it streams, before any
        // text, so the router may still fall back); the second answers.
        const streaming = options.capabilities.streaming;
        reply(
          streaming
            ? { type: 'stream-error', text: 'never', afterDeltas: 0, message: `key ${secret} was revoked` }
            : { type: 'error', status: 403, message: `key ${secret} has no access to this model` },
        );
        reply({ type: 'text', text: 'from the fallback' });
        const router = new Router({ strategy: 'first-available' });
        router.addProvider(first);
        router.addProvider({ ...context().provider(), name: `${first.name}-fallback` });
        const result = streaming
          ? await router.routeStream(PROMPT.messages).result
          : await router.route(PROMPT.messages);
        check(result.text === 'from the fallback', `text was ${JSON.stringify(result.text)}`);
        check(result.attempts.length === 2, `attempts: ${JSON.stringify(result.attempts)}`);
        const json = JSON.stringify(result);
        check(!json.includes(secret), `the credential appears in the route result: ${json.slice(0, 400)}`);
        await router.close();
      });
    });

    describe('edge', () => {
      test(
        'edge',
        'runs with globalThis.process undefined (edge bundle in a worker)',
        async () => {
          const edge = options.edge!;
          const s = context().server;
          s.reply({ type: 'text', text: 'edge ok' }, { type: 'text', text: 'edge ok' });
          const result = await runWithoutProcess({
            entry: edge.entry,
            factory: edge.factory,
            settings: edge.settings({ server: s }),
          });
          check(result.processType === 'undefined', 'process was still defined in the worker');
          check(result.text === 'edge ok', `text was ${JSON.stringify(result.text)}`);
          check(result.parts.at(-1) === 'finish', `stream parts were ${result.parts.join(', ')}`);
        },
        options.edge ? undefined : 'no edge entry was given to describeProvider',
      );
    });

    if (options.additionalTests)
      describe('provider-specific', () => options.additionalTests!(context, options));
  });
}
