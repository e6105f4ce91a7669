import { FakeHttpServer, type RecordedRequest, type ScriptedResponse } from '../fake-http-server.js';
import { ProviderFakeServer } from '../provider-fake-server.js';
import {
  DEFAULT_USAGE,
  type ErrorScenario,
  type TextScenario,
  type ToolCallScenario,
  type Usage,
} from '../scenario.js';

/** A model the fake lists (`GET /v1beta/models`). */
export interface GeminiFakeModel {
  /** Without `models/`. */
  id: string;
  inputTokenLimit?: number;
  outputTokenLimit?: number;
  supportedGenerationMethods?: string[];
}

export interface GeminiServerOptions {
  /**
   * What ends each SSE event. Default `'\r\n\r\n'`, as on the wire (protocol note §5.2); `'\n\n'` for the
   * variant some proxies send.
   */
  eventEnd?: '\r\n\r\n' | '\n\n';
  /**
   * How an error inside a 200 stream is sent: `'bare'` (default) a pretty-printed `{"error": {…}}` object with
   * no `data:` prefix (pitfall 12), `'data'` as an ordinary `data:` event.
   */
  inStreamError?: 'bare' | 'data';
  /** API keys accepted; any other gets 400 `API_KEY_INVALID`. Default: any non-empty key. */
  validKeys?: string[];
  /** Thinking tokens reported (`thoughtsTokenCount`, beside `candidatesTokenCount`). Default 0 (not sent). */
  thoughtsTokens?: number;
  /** A `thoughtSignature` on function-call parts (Gemini 2.5+/3 send one). Default `'fake-signature'`; `false` for none. */
  thoughtSignature?: string | false;
  /** Models listed by `GET /v1beta/models`. */
  models?: GeminiFakeModel[];
  /** Embedding size when the request sets no `outputDimensionality`. Default 8. */
  embeddingDimensions?: number;
}

/** google.rpc.Code names by HTTP status (ai.google.dev troubleshooting table; 401/408 by the gRPC mapping). */
const RPC_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  408: 'DEADLINE_EXCEEDED',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** The google.rpc.Code name Gemini sends with an HTTP status. */
export function geminiRpcStatus(status: number): string {
  return RPC_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT');
}

/** Details of a google.rpc.Status error body. */
export interface GeminiErrorDetails {
  /** `google.rpc.ErrorInfo.reason`, e.g. `API_KEY_INVALID`. */
  reason?: string;
  /** `google.rpc.RetryInfo.retryDelay`, a Duration string such as `"1.5s"`. */
  retryDelay?: string;
  /** A `google.rpc.QuotaFailure` violation's `quotaId`. */
  quotaId?: string;
}

/** A google.rpc.Status error body, as Gemini sends it (protocol note §8). */
export function geminiErrorBody(
  status: number,
  message: string,
  details: GeminiErrorDetails = {},
): { error: Record<string, unknown> } {
  const list: Record<string, unknown>[] = [];
  if (details.reason)
    list.push({
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: details.reason,
      domain: 'googleapis.com',
      metadata: { service: 'generativelanguage.googleapis.com' },
    });
  if (details.quotaId)
    list.push({
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: 'generativelanguage.googleapis.com/generate_content_requests',
          quotaId: details.quotaId,
        },
      ],
    });
  if (details.retryDelay)
    list.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: details.retryDelay });
  return {
    error: {
      code: status,
      message,
      status: geminiRpcStatus(status),
      ...(list.length ? { details: list } : {}),
    },
  };
}

/** One SSE event carrying a `GenerateContentResponse`, as Gemini frames it. */
export function geminiSseEvent(chunk: unknown, eventEnd: '\r\n\r\n' | '\n\n' = '\r\n\r\n'): string {
  return `data: ${JSON.stringify(chunk)}${eventEnd}`;
}

const DEFAULT_MODELS: GeminiFakeModel[] = [
  { id: 'gemini-2.5-pro', inputTokenLimit: 1_048_576, outputTokenLimit: 65_536 },
  { id: 'gemini-2.5-flash', inputTokenLimit: 1_048_576, outputTokenLimit: 65_536 },
  { id: 'gemini-2.5-flash-lite', inputTokenLimit: 1_048_576, outputTokenLimit: 65_536 },
  { id: 'gemini-2.0-flash', inputTokenLimit: 1_048_576, outputTokenLimit: 8_192 },
  {
    id: 'gemini-embedding-001',
    inputTokenLimit: 2_048,
    outputTokenLimit: 1,
    supportedGenerationMethods: ['embedContent', 'countTextTokens', 'countTokens'],
  },
];

const CHAT = /^\/v1beta\/(models|tunedModels)\/[^/:]+:(generateContent|streamGenerateContent)$/;

/** The model methods besides the chat ones, each a route on any model. */
export type GeminiModelMethod = 'countTokens' | 'embedContent' | 'batchEmbedContents';
const MODEL_METHODS: Record<GeminiModelMethod, RegExp> = {
  countTokens: /^\/v1beta\/(models|tunedModels)\/[^/:]+:countTokens$/,
  embedContent: /^\/v1beta\/(models|tunedModels)\/[^/:]+:embedContent$/,
  batchEmbedContents: /^\/v1beta\/(models|tunedModels)\/[^/:]+:batchEmbedContents$/,
};

/** The model resource named in a path: `models/gemini-2.5-flash`. */
const modelOf = (path: string) =>
  decodeURIComponent(
    path
      .replace(/^\/v1beta\//, '')
      // Vertex AI paths (`/v1/projects/p/locations/l/publishers/google/models/id`) name the same resource.
      .replace(/^\/v1(beta1)?\/(projects\/[^/]+\/locations\/[^/]+\/)?publishers\/google\//, '')
      .replace(/:[^:]*$/, ''),
  );

/** A deterministic unit-length vector for a text. */
function vectorFor(text: string, dimensions: number): number[] {
  let seed = 2166136261;
  for (let i = 0; i < text.length; i++) seed = Math.imul(seed ^ text.charCodeAt(i), 16777619) >>> 0;
  const values: number[] = [];
  for (let i = 0; i < dimensions; i++) {
    seed = Math.imul(seed ^ (seed >>> 15), 2246822507) >>> 0;
    values.push((seed / 0xffffffff) * 2 - 1);
  }
  const norm = Math.hypot(...values) || 1;
  return values.map((v) => Math.round((v / norm) * 1e6) / 1e6);
}

/**
 * Fake Gemini API (generativelanguage.googleapis.com, v1beta) on 127.0.0.1:
 * `POST /v1beta/models/{id}:generateContent` (JSON) and `:streamGenerateContent?alt=sse` (SSE, each event
 * `data: {GenerateContentResponse}\r\n\r\n`, text as deltas, `usageMetadata` running totals on every chunk,
 * `finishReason` on the last; without `alt=sse` the JSON-array stream), function calls as whole
 * `functionCall` parts without ids (with a `thoughtSignature`, finishing with `STOP`), errors as
 * google.rpc.Status bodies (`RetryInfo` instead of `Retry-After`; a bare `{"error"}` object inside a 200
 * stream), the key checked in `x-goog-api-key` (missing → 403 `PERMISSION_DENIED`, not accepted → 400
 * `API_KEY_INVALID`), `GET /v1beta/models` paging (`pageSize`, `pageToken`, `nextPageToken`),
 * `GET /v1beta/models/{id}`, `:countTokens`, `:embedContent` and `:batchEmbedContents`.
 */
export class GeminiFakeServer extends ProviderFakeServer {
  protected readonly chat: { method: string; path: string | RegExp };
  private counter = 0;

  /** `chat`: another chat route for the same wire format (the Vertex AI fake's). */
  protected constructor(
    http: FakeHttpServer,
    private readonly options: GeminiServerOptions,
    chat: RegExp = CHAT,
  ) {
    super(http);
    this.chat = { method: 'POST', path: chat };
    const models = options.models ?? DEFAULT_MODELS;
    http.on(
      'GET',
      '/v1beta/models',
      (request) => this.authorize(request) ?? this.listModels(models, request),
    );
    http.on('GET', /^\/v1beta\/models\/[^/:]+$/, (request) => {
      const denied = this.authorize(request);
      if (denied) return denied;
      const id = modelOf(request.path).replace(/^models\//, '');
      const model = models.find((m) => m.id === id);
      return model
        ? { body: this.model(model) }
        : this.error(404, `models/${id} is not found for API version v1beta, or is not supported.`);
    });
    http.on(
      'POST',
      MODEL_METHODS.countTokens,
      (request) => this.authorize(request) ?? this.countTokens(request),
    );
    http.on('POST', MODEL_METHODS.embedContent, (request) => this.authorize(request) ?? this.embed(request));
    http.on(
      'POST',
      MODEL_METHODS.batchEmbedContents,
      (request) => this.authorize(request) ?? this.batchEmbed(request),
    );
    this.setDefault({ type: 'text', text: 'Hello from the fake Gemini server.' });
  }

  static async start(options: GeminiServerOptions = {}): Promise<GeminiFakeServer> {
    return new GeminiFakeServer(await FakeHttpServer.start(), options);
  }

  /** `http://127.0.0.1:<port>/v1beta`: the provider's `baseURL`. */
  get baseURL(): string {
    return `${this.url}/v1beta`;
  }

  /** Queues one-shot answers (e.g. an error) for the next calls of a model method, before its default. */
  replyTo(method: GeminiModelMethod, ...responses: ScriptedResponse[]): this {
    this.http.enqueue('POST', MODEL_METHODS[method], ...responses);
    return this;
  }

  /** Requests to one of the model methods (`countTokens`, `embedContent`, `batchEmbedContents`…). */
  methodRequests(method: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith(`:${method}`));
  }

  protected override authorize(request: RecordedRequest): ScriptedResponse | undefined {
    const key = request.headers['x-goog-api-key'] ?? request.query.get('key') ?? undefined;
    if (!key) {
      return this.error(
        403,
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      );
    }
    if (this.options.validKeys && !this.options.validKeys.includes(key))
      return this.error(400, 'API key not valid. Please pass a valid API key.', {
        reason: 'API_KEY_INVALID',
      });
    return undefined;
  }

  protected isStreaming(request: RecordedRequest): boolean {
    return request.path.endsWith(':streamGenerateContent');
  }

  private isSse(request: RecordedRequest): boolean {
    return request.query.get('alt') === 'sse';
  }

  private end(): '\r\n\r\n' | '\n\n' {
    return this.options.eventEnd ?? '\r\n\r\n';
  }

  private error(status: number, message: string, details?: GeminiErrorDetails): ScriptedResponse {
    return {
      status,
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body: geminiErrorBody(status, message, details),
    };
  }

  private model(m: GeminiFakeModel) {
    return {
      name: `models/${m.id}`,
      version: '001',
      displayName: m.id,
      description: `Fake ${m.id}`,
      inputTokenLimit: m.inputTokenLimit ?? 1_048_576,
      outputTokenLimit: m.outputTokenLimit ?? 65_536,
      supportedGenerationMethods: m.supportedGenerationMethods ?? ['generateContent', 'countTokens'],
      temperature: 1,
      maxTemperature: 2,
      topP: 0.95,
      topK: 64,
      thinking: m.id.startsWith('gemini-2.5') || m.id.startsWith('gemini-3'),
    };
  }

  private listModels(models: GeminiFakeModel[], request: RecordedRequest): ScriptedResponse {
    const pageSize = Math.min(1000, Math.max(1, Number(request.query.get('pageSize') ?? 50) || 50));
    const token = request.query.get('pageToken');
    const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0;
    if (!Number.isInteger(start) || start < 0 || start > models.length)
      return this.error(400, 'Invalid page token.');
    const page = models.slice(start, start + pageSize);
    const next = start + pageSize;
    return {
      body: {
        models: page.map((m) => this.model(m)),
        ...(next < models.length ? { nextPageToken: Buffer.from(String(next)).toString('base64url') } : {}),
      },
    };
  }

  protected countTokens(request: RecordedRequest): ScriptedResponse {
    const body = request.body as
      | { contents?: unknown; generateContentRequest?: Record<string, unknown> }
      | undefined;
    const counted = body?.generateContentRequest ?? body?.contents;
    if (counted === undefined) return this.error(400, 'contents or generateContentRequest is required.');
    const text = JSON.stringify(counted);
    return { body: { totalTokens: Math.max(1, Math.ceil(text.length / 4)), promptTokensDetails: [] } };
  }

  private embedding(request: { content?: { parts?: { text?: string }[] }; outputDimensionality?: number }) {
    const text = (request.content?.parts ?? []).map((p) => p.text ?? '').join('');
    return { values: vectorFor(text, request.outputDimensionality ?? this.options.embeddingDimensions ?? 8) };
  }

  private embed(request: RecordedRequest): ScriptedResponse {
    const body = request.body as Parameters<GeminiFakeServer['embedding']>[0] | undefined;
    if (!body?.content?.parts?.length)
      return this.error(400, '* EmbedContentRequest.content: contents must not be empty');
    return { body: { embedding: this.embedding(body) } };
  }

  private batchEmbed(request: RecordedRequest): ScriptedResponse {
    const model = modelOf(request.path);
    const requests = (
      request.body as
        | { requests?: (Parameters<GeminiFakeServer['embedding']>[0] & { model?: string })[] }
        | undefined
    )?.requests;
    if (!requests?.length) return this.error(400, '* BatchEmbedContentsRequest.requests: must not be empty');
    const wrong = requests.findIndex((r) => r.model !== model);
    if (wrong >= 0)
      return this.error(
        400,
        `* BatchEmbedContentsRequest.requests[${wrong}].model: model must match the model in the URL (${model})`,
      );
    if (requests.length > 100)
      return this.error(
        400,
        '* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch',
      );
    return { body: { embeddings: requests.map((r) => this.embedding(r)) } };
  }

  private usage(u: Usage = DEFAULT_USAGE, candidates = u.completionTokens) {
    const thoughts = this.options.thoughtsTokens ?? 0;
    return {
      promptTokenCount: u.promptTokens,
      candidatesTokenCount: candidates,
      totalTokenCount: u.promptTokens + candidates + thoughts,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: u.promptTokens }],
      ...(thoughts ? { thoughtsTokenCount: thoughts } : {}),
    };
  }

  private envelope(request: RecordedRequest) {
    return {
      modelVersion: modelOf(request.path).replace(/^(models|tunedModels)\//, ''),
      responseId: `fakeResp${this.counter}`,
    };
  }

  private chunk(request: RecordedRequest, parts: unknown[], extra: Record<string, unknown>, usage: unknown) {
    return {
      candidates: [{ content: { parts, role: 'model' }, index: 0, ...extra }],
      usageMetadata: usage,
      ...this.envelope(request),
    };
  }

  protected streamHeaders(): Record<string, string> {
    return { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
  }

  /** Stream events, one per delta, without a `finishReason`; running usage totals on each. */
  protected streamChunks(deltas: string[], request: RecordedRequest, usage?: Usage): string[] {
    this.counter++;
    const u = usage ?? DEFAULT_USAGE;
    return deltas.map((text, i) =>
      this.frame(
        request,
        this.chunk(
          request,
          [{ text }],
          {},
          this.usage(u, Math.max(1, Math.floor((u.completionTokens * (i + 1)) / (deltas.length + 1)))),
        ),
      ),
    );
  }

  /** One streamed value: an SSE event, or an element of the JSON-array stream (no `alt=sse`). */
  private frame(request: RecordedRequest, value: unknown): string {
    return this.isSse(request) ? geminiSseEvent(value, this.end()) : JSON.stringify(value, null, 2);
  }

  /** The JSON-array stream: `[` + values separated by `,` + `]`. */
  private asArray(request: RecordedRequest, chunks: string[]): string[] {
    if (this.isSse(request)) return chunks;
    return chunks.map((v, i) => `${i === 0 ? '[' : ',\r\n'}${v}${i === chunks.length - 1 ? ']' : ''}`);
  }

  protected renderText(
    s: TextScenario,
    deltas: string[],
    streaming: boolean,
    request: RecordedRequest,
  ): ScriptedResponse {
    const finishReason = s.finishReason === 'length' ? 'MAX_TOKENS' : 'STOP';
    if (!streaming) {
      this.counter++;
      return {
        headers: { 'content-type': 'application/json; charset=UTF-8' },
        body: this.chunk(request, [{ text: s.text }], { finishReason }, this.usage(s.usage)),
      };
    }
    const u = s.usage ?? DEFAULT_USAGE;
    const chunks = this.streamChunks(deltas.slice(0, -1), request, u);
    const last = deltas.at(-1) ?? '';
    chunks.push(this.frame(request, this.chunk(request, [{ text: last }], { finishReason }, this.usage(u))));
    return { headers: this.streamHeaders(), chunks: this.asArray(request, chunks) };
  }

  protected renderToolCall(
    s: ToolCallScenario,
    streaming: boolean,
    request: RecordedRequest,
  ): ScriptedResponse {
    this.counter++;
    const signature = this.options.thoughtSignature ?? 'fake-signature';
    // A call arrives whole, usually without an id; it finishes with STOP (pitfall 8).
    const part = {
      functionCall: { name: s.name, args: s.arguments, ...(s.id ? { id: s.id } : {}) },
      ...(signature ? { thoughtSignature: signature } : {}),
    };
    const chunk = this.chunk(
      request,
      [part],
      { finishReason: 'STOP', finishMessage: 'Model generated function call(s).' },
      this.usage(s.usage),
    );
    if (!streaming) return { headers: { 'content-type': 'application/json; charset=UTF-8' }, body: chunk };
    return { headers: this.streamHeaders(), chunks: this.asArray(request, [this.frame(request, chunk)]) };
  }

  protected renderError(s: ErrorScenario): ScriptedResponse {
    const message = s.message ?? `fake error ${s.status}`;
    // Gemini sends no Retry-After; the delay is in the body's RetryInfo (protocol note §9).
    const retryDelay = s.retryAfter === undefined ? undefined : `${s.retryAfter}s`;
    return this.error(s.status, message, {
      reason: typeof s.code === 'string' ? s.code : undefined,
      retryDelay,
    });
  }

  protected inStreamError(message: string): string {
    const body = geminiErrorBody(500, message);
    return this.options.inStreamError === 'data'
      ? geminiSseEvent(body, this.end())
      : `${JSON.stringify(body, null, 2)}\n`;
  }
}
