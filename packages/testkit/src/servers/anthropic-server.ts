import { FakeHttpServer, type RecordedRequest, type ScriptedResponse } from '../fake-http-server.js';
import { ProviderFakeServer } from '../provider-fake-server.js';
import {
  DEFAULT_USAGE,
  type ErrorScenario,
  type TextScenario,
  type ToolCallScenario,
  type Usage,
} from '../scenario.js';

/** Prompt-caching counts the fake reports beside `input_tokens` (see ../shared/protocols/anthropic.md §4). */
export interface AnthropicCacheUsage {
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
}

export interface AnthropicServerOptions {
  /** Send `event: ping` between every event (the API may send pings anywhere). Default: one after the first block start. */
  pingEverywhere?: boolean;
  /** Cache counts reported in every usage object. Default 0 and 0. */
  cacheUsage?: AnthropicCacheUsage;
  /**
   * Repeat `input_tokens` and the cache counts in `message_delta.usage`, as 2025+ responses do. Default true;
   * false gives the older shape with only `output_tokens` there.
   */
  repeatUsageInMessageDelta?: boolean;
  /** Require `anthropic-version` (400 `invalid_request_error` without it). Default true. */
  requireVersion?: boolean;
  /** Models listed by `GET /v1/models`, newest first. */
  models?: string[];
}

const sse = (event: string, data: Record<string, unknown>) =>
  `event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`;

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** The Anthropic error type for a status, as the docs' error table lists them. */
export function anthropicErrorType(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

const DEFAULT_MODELS = [
  'claude-sonnet-4-5-20250929',
  'claude-haiku-4-5-20251001',
  'claude-opus-4-1-20250805',
];

/**
 * Fake Anthropic Messages API: `POST /v1/messages` (JSON, or SSE with `stream: true`: `message_start`,
 * `content_block_start/delta/stop` with `text_delta` / `input_json_delta`, `ping`, `message_delta` with
 * cumulative usage, `message_stop`; `event: error` after a 200), `GET /v1/models` with `limit`, `after_id`,
 * `before_id` and `has_more`, `POST /v1/messages/count_tokens`, error bodies
 * `{type:"error", error:{type, message}, request_id}` (529 `overloaded_error`), `retry-after` and a
 * `request-id` header on every answer. Requests need `x-api-key` (or `Authorization: Bearer`) and
 * `anthropic-version`.
 */
export class AnthropicFakeServer extends ProviderFakeServer {
  protected readonly chat: { method: string; path: string | RegExp };
  private counter = 0;

  /** `chat`: another chat route for the same wire format (the Vertex AI fake's `rawPredict`). */
  protected constructor(
    http: FakeHttpServer,
    private readonly options: AnthropicServerOptions,
    chat: string | RegExp = '/v1/messages',
  ) {
    super(http);
    this.chat = { method: 'POST', path: chat };
    const models = options.models ?? DEFAULT_MODELS;
    http.on('GET', '/v1/models', (request) => this.authorize(request) ?? this.listModels(models, request));
    http.on('POST', '/v1/messages/count_tokens', (request) => {
      const denied = this.authorize(request);
      if (denied) return denied;
      const text = JSON.stringify((request.body as { messages?: unknown } | undefined)?.messages ?? []);
      return { headers: this.idHeader(), body: { input_tokens: Math.max(1, Math.ceil(text.length / 4)) } };
    });
    this.setDefault({ type: 'text', text: 'Hello from the fake Anthropic server.' });
  }

  static async start(options: AnthropicServerOptions = {}): Promise<AnthropicFakeServer> {
    return new AnthropicFakeServer(await FakeHttpServer.start(), options);
  }

  get baseURL(): string {
    return this.url;
  }

  protected override authorize(request: RecordedRequest): ScriptedResponse | undefined {
    const key = request.headers['x-api-key'] ?? request.headers.authorization?.replace(/^Bearer\s+/i, '');
    if (!key) return this.error(401, 'x-api-key header is required');
    if (this.options.requireVersion !== false && !request.headers['anthropic-version'])
      return this.error(400, 'anthropic-version: header is required');
    return undefined;
  }

  protected isStreaming(request: RecordedRequest): boolean {
    return (request.body as { stream?: boolean } | undefined)?.stream === true;
  }

  private idHeader(): Record<string, string> {
    return { 'request-id': `req_fake${++this.counter}` };
  }

  private listModels(models: string[], request: RecordedRequest): ScriptedResponse {
    const limit = Number(request.query.get('limit') ?? 20);
    const after = request.query.get('after_id');
    const before = request.query.get('before_id');
    let start = 0;
    let end = models.length;
    if (after) start = models.indexOf(after) + 1;
    if (before) end = Math.max(0, models.indexOf(before));
    let page: string[];
    let hasMore: boolean;
    if (before && !after) {
      page = models.slice(Math.max(0, end - limit), end);
      hasMore = end - limit > 0;
    } else {
      page = models.slice(start, start + limit);
      hasMore = start + limit < end;
    }
    return {
      headers: this.idHeader(),
      body: {
        data: page.map((id) => ({
          type: 'model',
          id,
          display_name: id,
          created_at: '2025-09-29T00:00:00Z',
        })),
        has_more: hasMore,
        first_id: page[0] ?? null,
        last_id: page.at(-1) ?? null,
      },
    };
  }

  private usage(u: Usage = DEFAULT_USAGE, outputTokens = u.completionTokens) {
    const cache = this.options.cacheUsage ?? { cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
    return {
      input_tokens: u.promptTokens,
      cache_creation_input_tokens: cache.cacheCreationInputTokens,
      cache_read_input_tokens: cache.cacheReadInputTokens,
      cache_creation: {
        ephemeral_5m_input_tokens: cache.cacheCreationInputTokens,
        ephemeral_1h_input_tokens: 0,
      },
      output_tokens: outputTokens,
      service_tier: 'standard',
    };
  }

  private message(request: RecordedRequest) {
    return {
      id: `msg_fake${this.counter}`,
      type: 'message',
      role: 'assistant',
      model: (request.body as { model?: string } | undefined)?.model ?? 'claude-sonnet-4-5-20250929',
    };
  }

  protected streamHeaders(): Record<string, string> {
    return {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      ...this.idHeader(),
    };
  }

  private start(request: RecordedRequest, usage: Usage | undefined): string {
    return sse('message_start', {
      message: {
        ...this.message(request),
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: this.usage(usage, 1),
      },
    });
  }

  private ping(): string[] {
    return this.options.pingEverywhere ? [sse('ping', {})] : [];
  }

  /** `message_start`, then the text block opened and its deltas (not closed). */
  protected streamChunks(deltas: string[], request: RecordedRequest, usage?: Usage): string[] {
    const chunks = [
      this.start(request, usage),
      ...this.ping(),
      sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      sse('ping', {}),
    ];
    for (const text of deltas) {
      chunks.push(sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }));
      chunks.push(...this.ping());
    }
    return chunks;
  }

  protected override chunksBeforeDeltas(): number {
    return 3 + this.ping().length;
  }

  private end(stopReason: string, usage: Usage | undefined): string[] {
    const u = usage ?? DEFAULT_USAGE;
    const full = this.usage(u);
    const deltaUsage =
      this.options.repeatUsageInMessageDelta === false
        ? { output_tokens: u.completionTokens }
        : {
            input_tokens: full.input_tokens,
            cache_creation_input_tokens: full.cache_creation_input_tokens,
            cache_read_input_tokens: full.cache_read_input_tokens,
            output_tokens: full.output_tokens,
          };
    return [
      ...this.ping(),
      sse('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: deltaUsage }),
      ...this.ping(),
      sse('message_stop', {}),
    ];
  }

  protected renderText(
    s: TextScenario,
    deltas: string[],
    streaming: boolean,
    request: RecordedRequest,
  ): ScriptedResponse {
    const stopReason = s.finishReason === 'length' ? 'max_tokens' : 'end_turn';
    if (streaming) {
      return {
        headers: this.streamHeaders(),
        chunks: [
          ...this.streamChunks(deltas, request, s.usage),
          sse('content_block_stop', { index: 0 }),
          ...this.end(stopReason, s.usage),
        ],
      };
    }
    return {
      headers: this.idHeader(),
      body: {
        ...this.message(request),
        content: [{ type: 'text', text: s.text }],
        stop_reason: stopReason,
        stop_sequence: null,
        usage: this.usage(s.usage),
      },
    };
  }

  protected renderToolCall(
    s: ToolCallScenario,
    streaming: boolean,
    request: RecordedRequest,
  ): ScriptedResponse {
    const id = s.id ?? 'toolu_fake1';
    if (!streaming) {
      return {
        headers: this.idHeader(),
        body: {
          ...this.message(request),
          content: [{ type: 'tool_use', id, name: s.name, input: s.arguments }],
          stop_reason: 'tool_use',
          stop_sequence: null,
          usage: this.usage(s.usage),
        },
      };
    }
    // As the API does: the block starts with `input: {}`, the first fragment is "", then the JSON in
    // pieces that are not valid JSON on their own.
    const args = JSON.stringify(s.arguments);
    const middle = Math.ceil(args.length / 2);
    const fragments = ['', args.slice(0, middle), args.slice(middle)].filter(
      (f, i) => i === 0 || f.length > 0,
    );
    const chunks = [
      this.start(request, s.usage),
      ...this.ping(),
      sse('content_block_start', {
        index: 0,
        content_block: { type: 'tool_use', id, name: s.name, input: {} },
      }),
      ...fragments.map((partial_json) =>
        sse('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json } }),
      ),
      sse('content_block_stop', { index: 0 }),
      ...this.end('tool_use', s.usage),
    ];
    return { headers: this.streamHeaders(), chunks };
  }

  private error(
    status: number,
    message: string,
    extraHeaders: Record<string, string> = {},
  ): ScriptedResponse {
    const headers = { ...this.idHeader(), ...extraHeaders };
    return {
      status,
      headers,
      body: {
        type: 'error',
        error: { type: anthropicErrorType(status), message },
        request_id: headers['request-id'],
      },
    };
  }

  protected renderError(s: ErrorScenario): ScriptedResponse {
    const message = s.message ?? (s.status === 529 ? 'Overloaded' : `fake error ${s.status}`);
    const headers: Record<string, string> = {};
    if (s.retryAfter !== undefined) headers['retry-after'] = s.retryAfter;
    const response = this.error(s.status, message, headers);
    if (typeof s.code === 'string') {
      const body = response.body as { error: { type: string } };
      body.error.type = s.code;
    }
    return response;
  }

  protected inStreamError(message: string): string {
    return sse('error', { error: { type: 'overloaded_error', message } });
  }
}
