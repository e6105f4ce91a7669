import { FakeHttpServer, type RecordedRequest, type ScriptedResponse } from '../fake-http-server.js';
import { ProviderFakeServer } from '../provider-fake-server.js';
import {
  DEFAULT_USAGE,
  type ErrorScenario,
  type TextScenario,
  type ToolCallScenario,
  type Usage,
} from '../scenario.js';
import { bedrockEvent, bedrockException } from './bedrock-eventstream.js';
import {
  BEDROCK_TEST_CREDENTIALS,
  BEDROCK_TEST_SESSION_CREDENTIALS,
  type BedrockTestCredentials,
  verifySigV4,
} from './bedrock-sigv4.js';

export interface BedrockFakeModel {
  modelId: string;
  providerName: string;
  modelName?: string;
}

export interface BedrockServerOptions {
  /** The region the fake serves; a signature scoped to another is refused. Default `us-east-1`. */
  region?: string;
  /** Key pairs it accepts. Default: `BEDROCK_TEST_CREDENTIALS` and `BEDROCK_TEST_SESSION_CREDENTIALS`. */
  credentials?: BedrockTestCredentials[];
  /** Session tokens it answers 403 `ExpiredTokenException` for. */
  expiredTokens?: string[];
  /** Bedrock API keys it accepts as `Authorization: Bearer`. Default `['bedrock-api-key-test']`. */
  apiKeys?: string[];
  /** Verify SigV4 signatures (recomputed with node:crypto). Default true. */
  verifySignatures?: boolean;
  /** Model ids the account has no access to: 403 `AccessDeniedException` on Converse. */
  deniedModels?: string[];
  /** What `GET /foundation-models` lists. */
  models?: BedrockFakeModel[];
}

const DEFAULT_MODELS: BedrockFakeModel[] = [
  {
    modelId: 'anthropic.claude-3-5-haiku-20241022-v1:0',
    providerName: 'Anthropic',
    modelName: 'Claude 3.5 Haiku',
  },
  { modelId: 'amazon.nova-lite-v1:0', providerName: 'Amazon', modelName: 'Nova Lite' },
  { modelId: 'meta.llama3-3-70b-instruct-v1:0', providerName: 'Meta', modelName: 'Llama 3.3 70B Instruct' },
  {
    modelId: 'mistral.mistral-large-2407-v1:0',
    providerName: 'Mistral AI',
    modelName: 'Mistral Large (24.07)',
  },
];

/** The Bedrock error code for a status (Smithy `httpError` traits, protocol note §6). */
const ERROR_CODES: Record<number, string> = {
  400: 'ValidationException',
  401: 'UnrecognizedClientException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'ModelTimeoutException',
  424: 'ModelErrorException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};

export function bedrockErrorCode(status: number): string {
  return ERROR_CODES[status] ?? (status >= 500 ? 'InternalServerException' : 'ValidationException');
}

const CHAT_PATH = /^\/model\/[^/]+\/converse(-stream)?$/;

/**
 * Fake Amazon Bedrock (runtime and control plane on one port, 127.0.0.1): `POST /model/{modelId}/converse`
 * (JSON) and `/converse-stream` (binary `application/vnd.amazon.eventstream`: `messageStart`, text
 * `contentBlockDelta`s without a `contentBlockStart`, `toolUse` blocks with a start and string input
 * fragments, `contentBlockStop`, `messageStop`, then `metadata` with the usage; a `p` padding field in every
 * payload; exception frames after a 200), `GET /foundation-models` (`byProvider`), `POST /model/{modelId}/count-tokens`. Errors
 * are `{"message"}` with `x-amzn-ErrorType: <Code>:http://internal.amazon.com/coral/…` and `x-amzn-RequestId`.
 * Every request must be SigV4-signed with a known key (service `bedrock`, the server's region; the signature
 * recomputed, a mismatch answered with AWS's canonical-request echo) or carry a known Bedrock API key.
 */
export class BedrockFakeServer extends ProviderFakeServer {
  protected readonly chat = { method: 'POST', path: CHAT_PATH };
  private counter = 0;
  readonly region: string;

  private constructor(
    http: FakeHttpServer,
    private readonly options: BedrockServerOptions,
  ) {
    super(http);
    this.region = options.region ?? 'us-east-1';
    const models = options.models ?? DEFAULT_MODELS;
    http.on(
      'GET',
      '/foundation-models',
      (request) => this.authenticate(request) ?? this.listModels(models, request),
    );
    // CountTokens: free, so key checks use it to prove access to a model.
    http.on('POST', /^\/model\/[^/]+\/count-tokens$/, (request) => {
      const denied = this.authenticate(request) ?? this.modelDenied(request);
      if (denied) return denied;
      const text = JSON.stringify((request.body as { input?: unknown } | undefined)?.input ?? {});
      return {
        headers: { 'x-amzn-requestid': this.requestId() },
        body: { inputTokens: Math.max(1, Math.ceil(text.length / 4)) },
      };
    });
    this.setDefault({ type: 'text', text: 'Hello from the fake Bedrock server.' });
  }

  static async start(options: BedrockServerOptions = {}): Promise<BedrockFakeServer> {
    return new BedrockFakeServer(await FakeHttpServer.start(), options);
  }

  get baseURL(): string {
    return this.url;
  }

  /** The model id of a chat request, decoded from its path segment. */
  static modelOf(request: RecordedRequest): string {
    return decodeURIComponent(request.path.split('/')[2] ?? '');
  }

  private requestId(): string {
    return `fake-${String(++this.counter).padStart(8, '0')}-4abc-8def-000000000000`;
  }

  /** An AWS JSON error: `{"message"}` (the auth layer's `{"Message"}`) with the code in `x-amzn-ErrorType`. */
  error(
    status: number,
    code: string,
    message: string,
    extraHeaders: Record<string, string> = {},
  ): ScriptedResponse {
    const authLayer = /Signature|Token|Client/.test(code);
    return {
      status,
      headers: {
        'content-type': 'application/json',
        'x-amzn-requestid': this.requestId(),
        'x-amzn-errortype': `${code}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
        ...extraHeaders,
      },
      body: authLayer ? { Message: message } : { message },
    };
  }

  private authenticate(request: RecordedRequest): ScriptedResponse | undefined {
    const header = request.headers.authorization ?? '';
    if (/^Bearer\s+/i.test(header)) {
      const key = header.replace(/^Bearer\s+/i, '');
      if ((this.options.apiKeys ?? ['bedrock-api-key-test']).includes(key)) return undefined;
      return this.error(
        403,
        'UnrecognizedClientException',
        'Invalid API Key format: Must start with pre-defined prefix',
      );
    }
    if (this.options.verifySignatures === false) return undefined;
    const failure = verifySigV4(request, {
      region: this.region,
      service: 'bedrock',
      known: this.options.credentials ?? [BEDROCK_TEST_CREDENTIALS, BEDROCK_TEST_SESSION_CREDENTIALS],
      expiredTokens: this.options.expiredTokens,
    });
    return failure ? this.error(403, failure.code, failure.message) : undefined;
  }

  protected override authorize(request: RecordedRequest): ScriptedResponse | undefined {
    const denied = this.authenticate(request);
    if (denied) return denied;
    const model = this.modelDenied(request);
    if (model) return model;
    if (!Array.isArray((request.body as { messages?: unknown } | undefined)?.messages))
      return this.error(
        400,
        'ValidationException',
        'Malformed input request: #: required key [messages] not found',
      );
    return undefined;
  }

  private modelDenied(request: RecordedRequest): ScriptedResponse | undefined {
    if (!this.options.deniedModels?.includes(BedrockFakeServer.modelOf(request))) return undefined;
    return this.error(
      403,
      'AccessDeniedException',
      "You don't have access to the model with the specified model ID.",
    );
  }

  private listModels(models: BedrockFakeModel[], request: RecordedRequest): ScriptedResponse {
    const provider = request.query.get('byProvider');
    const listed = provider
      ? models.filter((m) => m.providerName.toLowerCase() === provider.toLowerCase())
      : models;
    return {
      headers: { 'x-amzn-requestid': this.requestId() },
      body: {
        modelSummaries: listed.map((m) => ({
          modelArn: `arn:aws:bedrock:${this.region}::foundation-model/${m.modelId}`,
          modelId: m.modelId,
          modelName: m.modelName ?? m.modelId,
          providerName: m.providerName,
          inputModalities: ['TEXT'],
          outputModalities: ['TEXT'],
          responseStreamingSupported: true,
          customizationsSupported: [],
          inferenceTypesSupported: ['ON_DEMAND'],
          modelLifecycle: { status: 'ACTIVE' },
        })),
      },
    };
  }

  protected isStreaming(request: RecordedRequest): boolean {
    return request.path.endsWith('/converse-stream');
  }

  protected streamHeaders(): Record<string, string> {
    return { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': this.requestId() };
  }

  private usage(u: Usage = DEFAULT_USAGE) {
    return {
      inputTokens: u.promptTokens,
      outputTokens: u.completionTokens,
      totalTokens: u.promptTokens + u.completionTokens,
    };
  }

  /** `messageStart`, then a text delta per piece (no `contentBlockStart` for text: pitfall 7). */
  protected streamChunks(deltas: string[]): Uint8Array[] {
    return [
      bedrockEvent('messageStart', { role: 'assistant' }),
      ...deltas.map((text) => bedrockEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text } })),
    ];
  }

  protected override chunksBeforeDeltas(): number {
    return 1;
  }

  /** `messageStop`, then `metadata` with the usage (it comes after the stop: pitfall 7). */
  private end(stopReason: string, usage: Usage | undefined): Uint8Array[] {
    return [
      bedrockEvent('messageStop', { stopReason }),
      bedrockEvent('metadata', { usage: this.usage(usage), metrics: { latencyMs: 321 } }),
    ];
  }

  protected renderText(s: TextScenario, deltas: string[], streaming: boolean): ScriptedResponse {
    const stopReason = s.finishReason === 'length' ? 'max_tokens' : 'end_turn';
    if (streaming)
      return {
        headers: this.streamHeaders(),
        chunks: [
          ...this.streamChunks(deltas),
          bedrockEvent('contentBlockStop', { contentBlockIndex: 0 }),
          ...this.end(stopReason, s.usage),
        ],
      };
    return {
      headers: { 'x-amzn-requestid': this.requestId() },
      body: {
        metrics: { latencyMs: 321 },
        output: { message: { content: [{ text: s.text }], role: 'assistant' } },
        stopReason,
        usage: this.usage(s.usage),
      },
    };
  }

  protected renderToolCall(s: ToolCallScenario, streaming: boolean): ScriptedResponse {
    const toolUseId = s.id ?? 'tooluse_fake0123456789abcdef';
    if (!streaming)
      return {
        headers: { 'x-amzn-requestid': this.requestId() },
        body: {
          metrics: { latencyMs: 321 },
          output: {
            message: {
              role: 'assistant',
              content: [{ toolUse: { toolUseId, name: s.name, input: s.arguments } }],
            },
          },
          stopReason: 'tool_use',
          usage: this.usage(s.usage),
        },
      };
    // The input streams as string fragments that are not JSON on their own (pitfall 8).
    const input = JSON.stringify(s.arguments);
    const middle = Math.ceil(input.length / 2);
    return {
      headers: this.streamHeaders(),
      chunks: [
        bedrockEvent('messageStart', { role: 'assistant' }),
        bedrockEvent('contentBlockStart', {
          contentBlockIndex: 0,
          start: { toolUse: { toolUseId, name: s.name } },
        }),
        bedrockEvent('contentBlockDelta', {
          contentBlockIndex: 0,
          delta: { toolUse: { input: input.slice(0, middle) } },
        }),
        bedrockEvent('contentBlockDelta', {
          contentBlockIndex: 0,
          delta: { toolUse: { input: input.slice(middle) } },
        }),
        bedrockEvent('contentBlockStop', { contentBlockIndex: 0 }),
        ...this.end('tool_use', s.usage),
      ],
    };
  }

  protected renderError(s: ErrorScenario): ScriptedResponse {
    const code = typeof s.code === 'string' ? s.code : bedrockErrorCode(s.status);
    const headers: Record<string, string> = {};
    if (s.retryAfter !== undefined) headers['retry-after'] = s.retryAfter;
    return this.error(s.status, code, s.message ?? `fake ${code}`, headers);
  }

  /** A `modelStreamErrorException` frame, as Bedrock sends when the model fails mid-answer. */
  protected inStreamError(message: string): Uint8Array {
    return bedrockException('modelStreamErrorException', {
      message,
      originalStatusCode: 500,
      originalMessage: message,
    });
  }
}
