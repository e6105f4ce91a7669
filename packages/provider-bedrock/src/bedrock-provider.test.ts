import { Router } from '@llmo/core';
import type { ChatRequest, ProviderError, StreamPart } from '@llmo/core/provider';
import {
  BEDROCK_TEST_CREDENTIALS,
  BEDROCK_TEST_SESSION_CREDENTIALS,
  BedrockFakeServer,
  bedrockEvent,
  bedrockException,
  collectParts as collect,
  parseAuthorization,
  rejectionOf,
} from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { concatBytes, RECORDED_STREAM, RECORDED_TEXT } from './bedrock.test-helper.js';
import { type BedrockSettings, createBedrock, regionFromURL } from './bedrock-provider.js';

let server: BedrockFakeServer;
beforeAll(async () => {
  server = await BedrockFakeServer.start({
    expiredTokens: ['expired-session-token-0001'],
    deniedModels: ['anthropic.claude-opus-4-1-20250805-v1:0'],
  });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const MODEL = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const provider = (extra: Partial<BedrockSettings> = {}) =>
  createBedrock({
    name: 'bedrock',
    model: MODEL,
    region: 'us-east-1',
    credentials: BEDROCK_TEST_CREDENTIALS,
    baseURL: server.baseURL,
    ...extra,
  });
const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'Hi' }],
  ...extra,
});
const fail = (p: Promise<unknown>) => rejectionOf<ProviderError>(p);
const RECORDED = RECORDED_STREAM;
const textOf = (parts: StreamPart[]) =>
  parts.flatMap((p) => (p.type === 'text-delta' ? [p.delta] : [])).join('');
const raw = (chunks: Uint8Array[], extra: Record<string, unknown> = {}) => ({
  type: 'raw' as const,
  response: {
    headers: { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'req-raw-1' },
    chunks,
    ...extra,
  },
});

describe('request mapping', () => {
  it('system on top, tool calls and results as toolUse/toolResult, merged turns, inferenceConfig, toolConfig', async () => {
    await provider().generate({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Oslo and Bergen?' },
        {
          role: 'assistant',
          content: 'Let me check.',
          toolCalls: [
            { id: 'tooluse_1', name: 'weather', arguments: '{"city":"Oslo"}' },
            { id: 'tooluse_2', name: 'weather', arguments: '' },
          ],
        },
        { role: 'tool', toolCallId: 'tooluse_1', content: '3°C' },
        { role: 'tool', toolCallId: 'tooluse_2', content: '5°C' },
        { role: 'user', content: 'And tomorrow?' },
      ],
      maxTokens: 256,
      temperature: 0.2,
      topP: 0.9,
      stop: ['END'],
      tools: [{ name: 'weather', description: 'Weather by city', parameters: { type: 'object' } }],
      toolChoice: 'required',
      providerOptions: {
        bedrock: { additionalModelRequestFields: { top_k: 5 } },
        openai: { service_tier: 'flex' },
      },
    });
    const request = server.chatRequests[0]!;
    expect(request.path).toBe('/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse');
    expect(request.body).toMatchInlineSnapshot(`
      {
        "additionalModelRequestFields": {
          "top_k": 5,
        },
        "inferenceConfig": {
          "maxTokens": 256,
          "stopSequences": [
            "END",
          ],
          "temperature": 0.2,
          "topP": 0.9,
        },
        "messages": [
          {
            "content": [
              {
                "text": "Weather in Oslo and Bergen?",
              },
            ],
            "role": "user",
          },
          {
            "content": [
              {
                "text": "Let me check.",
              },
              {
                "toolUse": {
                  "input": {
                    "city": "Oslo",
                  },
                  "name": "weather",
                  "toolUseId": "tooluse_1",
                },
              },
              {
                "toolUse": {
                  "input": {},
                  "name": "weather",
                  "toolUseId": "tooluse_2",
                },
              },
            ],
            "role": "assistant",
          },
          {
            "content": [
              {
                "toolResult": {
                  "content": [
                    {
                      "text": "3°C",
                    },
                  ],
                  "toolUseId": "tooluse_1",
                },
              },
              {
                "toolResult": {
                  "content": [
                    {
                      "text": "5°C",
                    },
                  ],
                  "toolUseId": "tooluse_2",
                },
              },
              {
                "text": "And tomorrow?",
              },
            ],
            "role": "user",
          },
        ],
        "system": [
          {
            "text": "Be brief.",
          },
        ],
        "toolConfig": {
          "toolChoice": {
            "any": {},
          },
          "tools": [
            {
              "toolSpec": {
                "description": "Weather by city",
                "inputSchema": {
                  "json": {
                    "type": "object",
                  },
                },
                "name": "weather",
              },
            },
          ],
        },
      }
    `);
  });

  it('toolChoice none drops the tools unless the history has tool blocks (then a warning); seed is a warning', async () => {
    const tools = [{ name: 'weather', parameters: { type: 'object' } }];
    const plain = await provider().generate(ask({ tools, toolChoice: 'none', seed: 1 }));
    expect((server.chatRequests[0]!.body as { toolConfig?: unknown }).toolConfig).toBeUndefined();
    expect(plain.warnings).toEqual([expect.objectContaining({ setting: 'seed' })]);
    const history = await provider().generate({
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: '', toolCalls: [{ id: 't1', name: 'weather', arguments: '{}' }] },
        { role: 'tool', toolCallId: 't1', content: 'sunny' },
      ],
      tools,
      toolChoice: 'none',
    });
    expect((server.chatRequests[1]!.body as { toolConfig?: { toolChoice?: unknown } }).toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'weather', inputSchema: { json: { type: 'object' } } } }],
    });
    expect(history.warnings).toEqual([expect.objectContaining({ setting: 'toolChoice' })]);
  });

  it('owned fields in providerOptions and out-of-range temperature are bad_request before anything is sent', async () => {
    await expect(
      provider().generate(ask({ providerOptions: { bedrock: { inferenceConfig: { maxTokens: 1 } } } })),
    ).rejects.toMatchObject({ kind: 'bad_request' });
    await expect(provider().generate(ask({ temperature: 1.5 }))).rejects.toMatchObject({
      kind: 'bad_request',
    });
    expect(server.chatRequests).toHaveLength(0);
  });

  it('every model family goes through the same Converse body: Nova, Llama, Mistral', async () => {
    for (const model of [
      'amazon.nova-lite-v1:0',
      'meta.llama3-3-70b-instruct-v1:0',
      'mistral.mistral-large-2407-v1:0',
    ]) {
      server.reply({ type: 'text', text: `hi from ${model}` });
      const result = await provider({ model }).generate(ask());
      expect(result.text).toBe(`hi from ${model}`);
    }
    expect(server.chatRequests.map((r) => BedrockFakeServer.modelOf(r))).toEqual([
      'amazon.nova-lite-v1:0',
      'meta.llama3-3-70b-instruct-v1:0',
      'mistral.mistral-large-2407-v1:0',
    ]);
  });
});

describe('pitfalls (../shared/protocols/bedrock.md §9)', () => {
  it('1: signs with service "bedrock", the region in the scope, host and x-amz-date signed', async () => {
    await provider().generate(ask());
    const auth = parseAuthorization(server.chatRequests[0]!.headers.authorization)!;
    expect(auth).toMatchObject({ accessKeyId: 'AKIDEXAMPLE', region: 'us-east-1', service: 'bedrock' });
    expect(auth.signedHeaders).toEqual(['accept', 'host', 'x-amz-date']);
    expect(server.chatRequests[0]!.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it('2: an inference-profile ARN is one percent-encoded segment; the fake accepts the double-encoded signature', async () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123xyz';
    const result = await provider({ model: arn }).stream(ask());
    expect(textOf(await collect(result))).toBe('Hello from the fake Bedrock server.');
    expect(server.chatRequests[0]!.path).toBe(
      '/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fabc123xyz/converse-stream',
    );
    expect(BedrockFakeServer.modelOf(server.chatRequests[0]!)).toBe(arn);
  });

  it('3: the exact bytes signed are sent: headers from settings and the request are signed too', async () => {
    await provider({ headers: { 'X-Team': 'search' } }).generate(
      ask({ headers: { 'x-amz-client-context': 'abc' } }),
    );
    const request = server.chatRequests[0]!;
    const auth = parseAuthorization(request.headers.authorization)!;
    expect(auth.signedHeaders).toEqual(['accept', 'host', 'x-amz-client-context', 'x-amz-date', 'x-team']);
    // The fake recomputed the signature over these bytes and answered 200.
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.bodyText)).toEqual(request.body);
  });

  it('4: temporary credentials sign x-amz-security-token; a token with a long-term key is refused (auth)', async () => {
    await provider({ credentials: BEDROCK_TEST_SESSION_CREDENTIALS }).generate(ask());
    const request = server.chatRequests[0]!;
    expect(request.headers['x-amz-security-token']).toBe(BEDROCK_TEST_SESSION_CREDENTIALS.sessionToken);
    expect(parseAuthorization(request.headers.authorization)!.signedHeaders).toContain(
      'x-amz-security-token',
    );
    const mixed = await fail(
      provider({
        credentials: {
          ...BEDROCK_TEST_CREDENTIALS,
          sessionToken: BEDROCK_TEST_SESSION_CREDENTIALS.sessionToken,
        },
      }).generate(ask()),
    );
    expect(mixed).toMatchObject({
      kind: 'auth',
      retryable: false,
      status: 403,
      code: 'UnrecognizedClientException',
    });
    expect(mixed.message).not.toContain(BEDROCK_TEST_SESSION_CREDENTIALS.sessionToken);
  });

  it('5: the stream is binary, frames split anywhere: the recorded stream served in 1-byte writes', async () => {
    server.reply(raw([RECORDED], { splitBytes: 1 }));
    const parts = await collect(provider().stream(ask()));
    expect(textOf(parts)).toBe(RECORDED_TEXT);
    expect(parts[1]).toEqual({ type: 'response-metadata', requestId: 'req-raw-1' });
    expect(server.chatRequests[0]!.headers.accept).toBe('application/vnd.amazon.eventstream');
  });

  it('6: payloads with the p padding field and unknown keys are read', async () => {
    // Every frame the fake sends carries "p"; the recorded ones too (test 5).
    server.reply(
      raw([
        bedrockEvent('messageStart', { role: 'assistant', newField: { x: 1 } }),
        bedrockEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'ok' }, extra: true }),
        bedrockEvent('messageStop', { stopReason: 'end_turn', additionalModelResponseFields: { a: 1 } }),
      ]),
    );
    expect(textOf(await collect(provider().stream(ask())))).toBe('ok');
  });

  it('7: text has no contentBlockStart; usage comes in metadata after messageStop', async () => {
    server.reply({ type: 'text', text: 'One two', usage: { promptTokens: 9, completionTokens: 2 } });
    const parts = await collect(provider().stream(ask()));
    expect(parts.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      usage: { promptTokens: 9, completionTokens: 2, totalTokens: 11 },
      providerMetadata: { bedrock: { stopReason: 'end_turn', latencyMs: 321 } },
    });
  });

  it('8: tool input fragments are joined and parsed at contentBlockStop; generate reads toolUse.input', async () => {
    server.reply({ type: 'tool-call', name: 'weather', arguments: { city: 'Oslo' }, id: 'tooluse_x' });
    const parts = await collect(
      provider().stream(ask({ tools: [{ name: 'weather', parameters: { type: 'object' } }] })),
    );
    expect(parts.filter((p) => p.type === 'tool-call')).toEqual([
      { type: 'tool-call', id: 'tooluse_x', name: 'weather', arguments: '{"city":"Oslo"}' },
    ]);
    expect(parts.filter((p) => p.type === 'tool-call-delta').length).toBe(2);
    server.reply({ type: 'tool-call', name: 'weather', arguments: { city: 'Oslo' }, id: 'tooluse_y' });
    const result = await provider().generate(
      ask({ tools: [{ name: 'weather', parameters: { type: 'object' } }] }),
    );
    expect(result).toMatchObject({
      finishReason: 'tool-calls',
      toolCalls: [{ id: 'tooluse_y', name: 'weather', arguments: '{"city":"Oslo"}' }],
    });
  });

  it('9: a throttlingException frame after two deltas: the text, then rate_limit; the router does not mix providers', async () => {
    server.reply(
      raw([
        bedrockEvent('messageStart', { role: 'assistant' }),
        bedrockEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hello ' } }),
        bedrockEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'there' } }),
        bedrockException('throttlingException', {
          message: 'Too many tokens, please wait before trying again.',
        }),
      ]),
    );
    const seen: StreamPart[] = [];
    const error = await fail(
      (async () => {
        for await (const part of provider().stream(ask())) seen.push(part);
      })(),
    );
    expect(textOf(seen)).toBe('Hello there');
    expect(error).toMatchObject({ kind: 'rate_limit', retryable: true, requestId: 'req-raw-1' });
    expect(seen.some((p) => p.type === 'finish')).toBe(false);
  });

  it('10: the code from x-amzn-ErrorType (with its suffix), else code, else __type (with its # prefix); message or Message', async () => {
    server.reply(
      {
        type: 'error',
        status: 400,
        code: 'ValidationException',
        message: 'The provided model identifier is invalid.',
      },
      {
        type: 'raw',
        response: {
          status: 400,
          headers: { 'content-type': 'application/json' },
          body: {
            __type: 'com.amazon.coral.service#ServiceQuotaExceededException',
            Message: 'Too many tokens per day',
          },
        },
      },
      {
        type: 'raw',
        response: { status: 400, body: { code: 'ThrottlingException', message: 'slow down' } },
      },
    );
    const invalid = await fail(provider().generate(ask()));
    expect(invalid).toMatchObject({
      kind: 'bad_request',
      code: 'ValidationException',
      status: 400,
      retryable: false,
    });
    expect(invalid.requestId).toMatch(/^fake-/);
    expect(invalid.message).toContain('The provided model identifier is invalid.');
    const quota = await fail(provider().generate(ask()));
    expect(quota).toMatchObject({ kind: 'quota', code: 'ServiceQuotaExceededException', retryable: false });
    expect(quota.message).toContain('Too many tokens per day');
    const throttled = await fail(provider().generate(ask()));
    expect(throttled).toMatchObject({ kind: 'rate_limit', code: 'ThrottlingException', retryable: true });
  });

  it('11: ThrottlingException (429) is retried by the router; ServiceQuotaExceededException (400) is not', async () => {
    server.reply({ type: 'error', status: 429 }, { type: 'text', text: 'after the throttle' });
    const router = new Router({
      strategy: 'first-available',
      retry: { maxRetries: 1, initialDelayMs: 1 },
      onWarning: false,
    });
    router.addProvider(provider());
    expect((await router.route('Hi')).text).toBe('after the throttle');
    server.reset();
    server.reply({ type: 'error', status: 400, code: 'ServiceQuotaExceededException', message: 'quota' });
    await expect(router.route('Hi')).rejects.toThrow();
    expect(server.chatRequests).toHaveLength(1);
    await router.close();
  });

  it('12: an on-demand model that needs an inference profile: the ValidationException is a bad_request', async () => {
    server.reply({
      type: 'error',
      status: 400,
      code: 'ValidationException',
      message:
        "Invocation of model ID anthropic.claude-sonnet-4-5-20250929-v1:0 with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
    });
    const error = await fail(
      provider({ model: 'anthropic.claude-sonnet-4-5-20250929-v1:0' }).generate(ask()),
    );
    expect(error).toMatchObject({ kind: 'bad_request', retryable: false });
    expect(error.message).toContain('inference profile');
  });

  it('13: credentials are injected, read per request: a rotating credentials function; missing ones are auth', async () => {
    let calls = 0;
    const rotating = provider({
      credentials: async () => (++calls % 2 ? BEDROCK_TEST_CREDENTIALS : BEDROCK_TEST_SESSION_CREDENTIALS),
    });
    await rotating.generate(ask());
    await rotating.generate(ask());
    expect(calls).toBe(2);
    expect(server.chatRequests.map((r) => parseAuthorization(r.headers.authorization)!.accessKeyId)).toEqual([
      'AKIDEXAMPLE',
      BEDROCK_TEST_SESSION_CREDENTIALS.accessKeyId,
    ]);
    const missing = await fail(provider({ credentials: () => undefined }).generate(ask()));
    expect(missing).toMatchObject({ kind: 'auth', retryable: false });
    expect(missing.message).toContain('credentials');
  });
});

describe('auth and errors', () => {
  it('a Bedrock API key goes as Authorization: Bearer, with no SigV4 headers', async () => {
    const keyed = createBedrock({
      name: 'bedrock-key',
      model: MODEL,
      region: 'us-east-1',
      apiKey: () => 'bedrock-api-key-test',
      baseURL: server.baseURL,
    });
    await keyed.generate(ask());
    const headers = server.chatRequests[0]!.headers;
    expect(headers.authorization).toBe('Bearer bedrock-api-key-test');
    expect(headers['x-amz-date']).toBeUndefined();
  });

  it('a wrong secret: 403 InvalidSignatureException → auth; the canonical-request echo keeps no credential', async () => {
    const creds = { ...BEDROCK_TEST_SESSION_CREDENTIALS, secretAccessKey: 'wrong-secret-key-0123456789' };
    const error = await fail(provider({ credentials: creds }).generate(ask()));
    expect(error).toMatchObject({
      kind: 'auth',
      status: 403,
      code: 'InvalidSignatureException',
      retryable: false,
    });
    // AWS echoes the canonical request (the signed session token in it): it must be redacted.
    expect(error.message).toContain('The Canonical String for this request should have been');
    for (const secret of [creds.sessionToken, creds.secretAccessKey, creds.accessKeyId])
      expect(JSON.stringify({ message: error.message, stack: error.stack, error })).not.toContain(secret);
  });

  it('an expired session token is auth (ExpiredTokenException); a wrong region is auth; no model access is permission', async () => {
    const expired = await fail(
      provider({
        credentials: { ...BEDROCK_TEST_SESSION_CREDENTIALS, sessionToken: 'expired-session-token-0001' },
      }).generate(ask()),
    );
    expect(expired).toMatchObject({ kind: 'auth', code: 'ExpiredTokenException' });
    const region = await fail(provider({ region: 'eu-west-1' }).generate(ask()));
    expect(region).toMatchObject({ kind: 'auth', code: 'InvalidSignatureException' });
    expect(region.message).toContain('valid region');
    const denied = await fail(provider({ model: 'anthropic.claude-opus-4-1-20250805-v1:0' }).generate(ask()));
    expect(denied).toMatchObject({ kind: 'permission', code: 'AccessDeniedException', status: 403 });
  });

  it('maps ModelNotReady, ServiceUnavailable, ModelError, ModelTimeout and context-length ValidationExceptions', async () => {
    const cases: [number, string, string, string, boolean][] = [
      [429, 'ModelNotReadyException', 'Model is not ready for inference.', 'overloaded', true],
      [503, 'ServiceUnavailableException', 'Service unavailable.', 'overloaded', true],
      [424, 'ModelErrorException', 'The model returned an error.', 'server', true],
      [408, 'ModelTimeoutException', 'Model timed out.', 'timeout', true],
      [500, 'InternalServerException', 'Internal error.', 'server', true],
      [400, 'ValidationException', 'Input is too long for requested model.', 'context_length', false],
      [
        400,
        'ValidationException',
        'The model returned the following errors: prompt is too long: 212345 tokens > 200000 maximum',
        'context_length',
        false,
      ],
      [404, 'ResourceNotFoundException', 'Model not found.', 'not_found', false],
    ];
    for (const [status, code, message, kind, retryable] of cases) {
      server.reply({ type: 'error', status, code, message });
      const error = await fail(provider().generate(ask()));
      expect(error, code).toMatchObject({ kind, retryable, code, status });
    }
  });

  it('a 400 on the streaming endpoint is a JSON error before any part', async () => {
    server.reply({ type: 'error', status: 400, code: 'ValidationException', message: 'bad' });
    const seen: StreamPart[] = [];
    const error = await fail(
      (async () => {
        for await (const part of provider().stream(ask())) seen.push(part);
      })(),
    );
    expect(error).toMatchObject({ kind: 'bad_request' });
    expect(seen).toEqual([]);
  });
});

describe('hostile servers', () => {
  it('a stream that stalls after a frame ends in the router idle timeout with the text so far', async () => {
    server.reply(
      raw(
        [
          concatBytes(
            bedrockEvent('messageStart', { role: 'assistant' }),
            bedrockEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hello ' } }),
          ),
          bedrockEvent('messageStop', { stopReason: 'end_turn' }),
        ],
        { chunkDelayMs: 60_000 },
      ),
    );
    const router = new Router({
      strategy: 'first-available',
      idleTimeoutMs: 200,
      retry: { maxRetries: 0 },
      onWarning: false,
    });
    router.addProvider(provider());
    const seen: string[] = [];
    const error = await fail(
      (async () => {
        for await (const delta of router.routeStream('Hi')) seen.push(delta);
      })(),
    );
    expect(error).toMatchObject({ kind: 'timeout' });
    expect(seen.join('')).toBe('Hello ');
    await router.close();
  });

  it('a corrupt frame from the server is an invalid_response; a frame cut by the server a retryable network error', async () => {
    const corrupt = RECORDED.slice();
    corrupt[184 + 170 + 100]! ^= 0x04;
    server.reply(raw([corrupt]));
    await expect(collect(provider().stream(ask()))).rejects.toMatchObject({ kind: 'invalid_response' });
    server.reply(raw([RECORDED.subarray(0, 184 + 170 + 50)]));
    await expect(collect(provider().stream(ask()))).rejects.toMatchObject({
      kind: 'network',
      retryable: true,
    });
  });

  it('a 200 JSON answer on the streaming endpoint: its error is typed, anything else is invalid_response', async () => {
    server.reply(
      {
        type: 'raw',
        response: {
          headers: { 'content-type': 'application/json' },
          body: { __type: 'ThrottlingException', message: 'Rate exceeded' },
        },
      },
      { type: 'raw', response: { headers: { 'content-type': 'application/json' }, body: { output: {} } } },
    );
    await expect(collect(provider().stream(ask()))).rejects.toMatchObject({
      kind: 'rate_limit',
      code: 'ThrottlingException',
    });
    await expect(collect(provider().stream(ask()))).rejects.toMatchObject({ kind: 'invalid_response' });
  });

  it('a reset after one frame is a retryable network error', async () => {
    server.reply({ type: 'reset', text: 'one two three', afterDeltas: 1 });
    await expect(collect(provider().stream(ask()))).rejects.toMatchObject({
      kind: 'network',
      retryable: true,
    });
  });

  it('a malformed 200 JSON body, and one without output or stopReason, are invalid_response', async () => {
    server.reply(
      {
        type: 'raw',
        response: { headers: { 'content-type': 'application/json' }, body: '{"output": {"message":' },
      },
      { type: 'raw', response: { body: { metrics: { latencyMs: 1 } } } },
      {
        type: 'raw',
        response: { body: { output: { message: { content: 'not an array' } }, stopReason: 'end_turn' } },
      },
    );
    for (let i = 0; i < 3; i++)
      await expect(provider().generate(ask())).rejects.toMatchObject({
        kind: 'invalid_response',
        retryable: false,
      });
  });

  it('an abort mid-stream ends it with cancelled and stops reading', async () => {
    server.reply({ type: 'text', text: 'one two three four five six', chunkDelayMs: 30 });
    const controller = new AbortController();
    let deltas = 0;
    const error = await fail(
      (async () => {
        for await (const part of provider().stream(ask({ signal: controller.signal })))
          if (part.type === 'text-delta' && ++deltas === 1) controller.abort();
      })(),
    );
    expect(error).toMatchObject({ kind: 'cancelled' });
    expect(deltas).toBe(1);
  });
});

describe('models and settings', () => {
  it('listModels and healthCheck call ListFoundationModels, signed, on the control plane', async () => {
    const models = await provider().listModels!();
    expect(models.map((m) => m.id)).toEqual([
      'anthropic.claude-3-5-haiku-20241022-v1:0',
      'amazon.nova-lite-v1:0',
      'meta.llama3-3-70b-instruct-v1:0',
      'mistral.mistral-large-2407-v1:0',
    ]);
    expect(models[0]).toMatchObject({
      ownedBy: 'Anthropic',
      displayName: 'Claude 3.5 Haiku',
      streaming: true,
    });
    expect(await provider().healthCheck()).toBe(true);
    expect(await provider({ region: 'eu-west-1' }).healthCheck()).toBe(false);
    expect(server.chatRequests).toHaveLength(0);
    expect(server.requestsTo('/foundation-models')).toHaveLength(3);
  });

  it('the control plane is bedrock.<region> for AWS hosts, baseURL for a proxy, or controlPlaneURL', async () => {
    const seen: string[] = [];
    const fetch = async (input: RequestInfo | URL) => {
      seen.push(String(input));
      return new Response(JSON.stringify({ modelSummaries: [] }), {
        headers: { 'content-type': 'application/json' },
      });
    };
    await createBedrock({
      name: 'a',
      model: MODEL,
      region: 'eu-central-1',
      credentials: BEDROCK_TEST_CREDENTIALS,
      fetch,
    }).listModels!();
    await createBedrock({
      name: 'b',
      model: MODEL,
      credentials: BEDROCK_TEST_CREDENTIALS,
      baseURL: 'https://bedrock-runtime.ap-south-1.amazonaws.com',
      fetch,
    }).listModels!();
    await createBedrock({
      name: 'c',
      model: MODEL,
      region: 'us-east-1',
      credentials: BEDROCK_TEST_CREDENTIALS,
      baseURL: 'https://proxy.example.com/aws',
      controlPlaneURL: 'https://bedrock.example.com',
      fetch,
    }).listModels!();
    expect(seen).toEqual([
      'https://bedrock.eu-central-1.amazonaws.com/foundation-models',
      'https://bedrock.ap-south-1.amazonaws.com/foundation-models',
      'https://bedrock.example.com/foundation-models',
    ]);
    expect(regionFromURL('https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com')).toBe('us-gov-west-1');
  });

  it('settings are strict: region required off AWS hosts, a misspelt key named, credentials never echoed', () => {
    expect(() => createBedrock({ name: 'x', model: MODEL, credentials: BEDROCK_TEST_CREDENTIALS })).toThrow(
      /region is required/,
    );
    expect(() =>
      createBedrock({
        name: 'x',
        model: MODEL,
        region: 'us-east-1',
        regoin: 'x',
      } as unknown as BedrockSettings),
    ).toThrow(/regoin/);
    // A region is a host label: it cannot send the signed request to another host.
    expect(() =>
      createBedrock({
        name: 'x',
        model: MODEL,
        region: 'evil.example.com#',
        credentials: BEDROCK_TEST_CREDENTIALS,
      }),
    ).toThrow(/region must be an AWS region/);
    let message = '';
    try {
      createBedrock({
        name: 'x',
        model: MODEL,
        region: 'us-east-1',
        credentials: {
          accessKeyId: 'AKIDSECRETLOOKING',
          secretAccessKey: 42,
        } as unknown as BedrockSettings['credentials'],
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/credentials/);
    expect(message).not.toContain('AKIDSECRETLOOKING');
  });

  it('a known model has a list price; pricing overrides it', () => {
    expect(provider({ model: 'us.amazon.nova-lite-v1:0' }).pricing).toEqual({
      inputPer1K: 0.00006,
      outputPer1K: 0.00024,
      currency: 'USD',
    });
    expect(provider({ model: 'x.unknown-v1:0' }).pricing).toBeUndefined();
  });
});
