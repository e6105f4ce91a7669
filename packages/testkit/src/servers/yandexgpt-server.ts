import { randomUUID } from 'node:crypto';
import { FakeHttpServer, type RecordedRequest, type ScriptedResponse } from '../fake-http-server.js';
import { ProviderFakeServer } from '../provider-fake-server.js';
import {
  DEFAULT_USAGE,
  type ErrorScenario,
  type TextScenario,
  type ToolCallScenario,
  type Usage,
} from '../scenario.js';

export interface YandexGPTServerOptions {
  /** Answer without the `{"result": …}` envelope, as the API reference (not the examples) shows. */
  omitResultWrapper?: boolean;
  /**
   * Error body format: `envelope` `{"error":{grpcCode,httpCode,message,httpStatus,details}}` (default),
   * or `status`: google.rpc.Status `{code, message, details:[{requestId}]}`.
   */
  errorFormat?: 'envelope' | 'status';
}

const HTTP_TO_GRPC: Record<number, number> = {
  400: 3,
  401: 16,
  403: 7,
  404: 5,
  409: 10,
  429: 8,
  500: 13,
  503: 14,
  504: 4,
};
const line = (value: unknown) => `${JSON.stringify(value)}\n`;

/**
 * Fake Yandex Foundation Models API: `POST /foundationModels/v1/completion` (JSON, or with
 * `completionOptions.stream: true` newline-separated JSON objects whose text is cumulative, not deltas),
 * `POST /foundationModels/v1/tokenize` (free; the provider's health check) and the OpenAI-compatible
 * `GET /v1/models` (the provider's model listing). Token counts are strings;
 * every response carries `x-request-id`.
 */
export class YandexGPTFakeServer extends ProviderFakeServer {
  protected readonly chat = { method: 'POST', path: '/foundationModels/v1/completion' };

  private constructor(
    http: FakeHttpServer,
    private readonly options: YandexGPTServerOptions,
  ) {
    super(http);
    http.on('POST', '/foundationModels/v1/tokenize', (req) => ({
      headers: { 'x-request-id': randomUUID() },
      body: {
        tokens: String((req.body as { text?: string } | undefined)?.text ?? '')
          .split(/\s+/)
          .filter(Boolean)
          .map((text, i) => ({ id: String(1000 + i), text, special: false })),
        modelVersion: '07.03.2024',
      },
    }));
    // The OpenAI-compatible model list (same host); a model id is the URI with the caller's folder.
    http.on('GET', '/v1/models', (req) => {
      const folder = req.headers['openai-project'] ?? req.headers['x-folder-id'] ?? 'b1gfolder';
      return {
        headers: { 'x-request-id': randomUUID() },
        body: {
          object: 'list',
          data: ['yandexgpt/latest', 'yandexgpt-lite/latest', 'yandexgpt/rc'].map((path) => ({
            id: `gpt://${folder}/${path}`,
            object: 'model',
            created: 1_700_000_000,
            owned_by: 'yandex',
          })),
        },
      };
    });
    this.setDefault({ type: 'text', text: 'Привет от фейкового YandexGPT.' });
  }

  static async start(options: YandexGPTServerOptions = {}): Promise<YandexGPTFakeServer> {
    return new YandexGPTFakeServer(await FakeHttpServer.start(), options);
  }

  get baseURL(): string {
    return this.url;
  }

  protected isStreaming(request: RecordedRequest): boolean {
    return (
      (request.body as { completionOptions?: { stream?: boolean } } | undefined)?.completionOptions
        ?.stream === true
    );
  }

  /** One result object as the API sends it (wrapped in `result` unless configured otherwise). */
  result(
    message: Record<string, unknown>,
    status: string,
    usage: Usage = DEFAULT_USAGE,
  ): Record<string, unknown> {
    const result = {
      alternatives: [{ message: { role: 'assistant', ...message }, status }],
      usage: {
        inputTextTokens: String(usage.promptTokens),
        completionTokens: String(usage.completionTokens),
        totalTokens: String(usage.promptTokens + usage.completionTokens),
      },
      modelVersion: '07.03.2024',
    };
    return this.options.omitResultWrapper ? result : { result };
  }

  protected streamHeaders(): Record<string, string> {
    return { 'content-type': 'application/json', 'x-request-id': randomUUID() };
  }

  /** Cumulative partial results: each line repeats the whole text so far. */
  protected streamChunks(deltas: string[], _request: RecordedRequest): string[] {
    let sofar = '';
    return deltas.map((delta, i) => {
      sofar += delta;
      return line(
        this.result({ text: sofar }, 'ALTERNATIVE_STATUS_PARTIAL', {
          promptTokens: DEFAULT_USAGE.promptTokens,
          completionTokens: i + 1,
        }),
      );
    });
  }

  protected renderText(s: TextScenario, deltas: string[], streaming: boolean): ScriptedResponse {
    const status =
      s.finishReason === 'length' ? 'ALTERNATIVE_STATUS_TRUNCATED_FINAL' : 'ALTERNATIVE_STATUS_FINAL';
    if (!streaming)
      return {
        headers: { 'x-request-id': randomUUID() },
        body: this.result({ text: s.text }, status, s.usage),
      };
    return {
      headers: this.streamHeaders(),
      chunks: [
        ...this.streamChunks(deltas, undefined as never),
        line(this.result({ text: s.text }, status, s.usage)),
      ],
    };
  }

  protected renderToolCall(s: ToolCallScenario, streaming: boolean): ScriptedResponse {
    const body = this.result(
      { toolCallList: { toolCalls: [{ functionCall: { name: s.name, arguments: s.arguments } }] } },
      'ALTERNATIVE_STATUS_TOOL_CALLS',
      s.usage,
    );
    return streaming
      ? { headers: this.streamHeaders(), chunks: [line(body)] }
      : { headers: { 'x-request-id': randomUUID() }, body };
  }

  private errorBody(status: number, message: string): Record<string, unknown> {
    const grpcCode = HTTP_TO_GRPC[status] ?? 2;
    if (this.options.errorFormat === 'status') {
      return {
        code: grpcCode,
        message,
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.RequestInfo',
            requestId: 'e38e71c3-adc6-4584-98a4-b0f103d55f61',
          },
        ],
      };
    }
    return { error: { grpcCode, httpCode: status, message, httpStatus: `HTTP ${status}`, details: [] } };
  }

  protected renderError(s: ErrorScenario): ScriptedResponse {
    const headers: Record<string, string> = { 'x-request-id': 'yandex-fake-request-id' };
    if (s.retryAfter !== undefined) headers['retry-after'] = s.retryAfter;
    const message =
      s.message ??
      (s.status === 403
        ? 'Permission to [resource-manager.folder b1gfakefolder, ai.languageModels.user] denied'
        : `fake error ${s.status}`);
    return { status: s.status, headers, body: this.errorBody(s.status, message) };
  }

  protected inStreamError(message: string): string {
    return line(this.errorBody(500, message));
  }
}
