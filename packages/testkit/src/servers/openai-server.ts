import { FakeHttpServer, type RecordedRequest, type ScriptedResponse } from '../fake-http-server.js';
import { ProviderFakeServer } from '../provider-fake-server.js';
import {
  DEFAULT_USAGE,
  type ErrorScenario,
  type TextScenario,
  type ToolCallScenario,
  type Usage,
} from '../scenario.js';

/** Deviations of OpenAI-compatible servers (see ../shared/protocols/openai.md §8), to test tolerance. */
export interface OpenAIServerOptions {
  /** End streams without `data: [DONE]` (some compatible servers just close). */
  omitDone?: boolean;
  /** Send the usage chunk even when the request did not ask for it (Yandex/Qwen). */
  alwaysSendUsage?: boolean;
  /** Never send a usage chunk. */
  neverSendUsage?: boolean;
  /** Use the flat error body of older vLLM: `{object:"error", message, type, param, code}` with an integer code. */
  flatErrors?: boolean;
  /** Interleave `: keep-alive` SSE comments (DeepSeek, OpenRouter). */
  keepAliveComments?: boolean;
  /** Models listed by GET /v1/models. */
  models?: string[];
}

const sse = (data: unknown) => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

/**
 * Fake OpenAI Chat Completions API: `POST /v1/chat/completions` (JSON, or SSE with `stream: true`, with
 * `stream_options.include_usage` honoured: the usage chunk has empty `choices`), `GET /v1/models`, and the
 * `{error:{message,type,param,code}}` error body. Tool calls stream as argument fragments keyed by `index`.
 */
export class OpenAIFakeServer extends ProviderFakeServer {
  protected readonly chat = { method: 'POST', path: '/v1/chat/completions' };
  private counter = 0;

  private constructor(
    http: FakeHttpServer,
    private readonly options: OpenAIServerOptions,
  ) {
    super(http);
    http.on('GET', '/v1/models', {
      body: {
        object: 'list',
        data: (options.models ?? ['gpt-4o-mini', 'gpt-4o']).map((id) => ({
          id,
          object: 'model',
          created: 1686935002,
          owned_by: 'openai',
        })),
      },
    });
    this.setDefault({ type: 'text', text: 'Hello from the fake OpenAI server.' });
  }

  static async start(options: OpenAIServerOptions = {}): Promise<OpenAIFakeServer> {
    return new OpenAIFakeServer(await FakeHttpServer.start(), options);
  }

  get baseURL(): string {
    return `${this.url}/v1`;
  }

  protected isStreaming(request: RecordedRequest): boolean {
    return (request.body as { stream?: boolean } | undefined)?.stream === true;
  }

  private base(request: RecordedRequest) {
    return {
      id: `chatcmpl-fake${++this.counter}`,
      created: 1694268190,
      model: (request.body as { model?: string } | undefined)?.model ?? 'gpt-4o-mini',
      system_fingerprint: 'fp_fake',
    };
  }

  private usage(u: Usage = DEFAULT_USAGE) {
    return {
      prompt_tokens: u.promptTokens,
      completion_tokens: u.completionTokens,
      total_tokens: u.promptTokens + u.completionTokens,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    };
  }

  private wantsUsage(request: RecordedRequest): boolean {
    if (this.options.neverSendUsage) return false;
    const body = request.body as { stream_options?: { include_usage?: boolean } } | undefined;
    return this.options.alwaysSendUsage === true || body?.stream_options?.include_usage === true;
  }

  protected streamHeaders(): Record<string, string> {
    return {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-request-id': `req_fake${this.counter}`,
    };
  }

  protected streamChunks(deltas: string[], request: RecordedRequest): string[] {
    const base = { ...this.base(request), object: 'chat.completion.chunk' };
    const chunks = [
      sse({
        ...base,
        choices: [
          { index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null },
        ],
      }),
    ];
    for (const delta of deltas) {
      if (this.options.keepAliveComments) chunks.push(': keep-alive\n\n');
      chunks.push(
        sse({
          ...base,
          choices: [{ index: 0, delta: { content: delta }, logprobs: null, finish_reason: null }],
          obfuscation: 'x',
        }),
      );
    }
    return chunks;
  }

  protected override chunksBeforeDeltas(): number {
    return 1;
  }

  private end(request: RecordedRequest, finishReason: string, usage: Usage | undefined): string[] {
    const base = { ...this.base(request), object: 'chat.completion.chunk' };
    const chunks = [
      sse({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }] }),
    ];
    if (this.wantsUsage(request)) chunks.push(sse({ ...base, choices: [], usage: this.usage(usage) }));
    if (!this.options.omitDone) chunks.push(sse('[DONE]'));
    return chunks;
  }

  protected renderText(
    s: TextScenario,
    deltas: string[],
    streaming: boolean,
    request: RecordedRequest,
  ): ScriptedResponse {
    const finish = s.finishReason ?? 'stop';
    if (streaming) {
      return {
        headers: this.streamHeaders(),
        chunks: [...this.streamChunks(deltas, request), ...this.end(request, finish, s.usage)],
      };
    }
    return {
      headers: { 'x-request-id': `req_fake${this.counter + 1}` },
      body: {
        ...this.base(request),
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: s.text, refusal: null, annotations: [] },
            logprobs: null,
            finish_reason: finish,
          },
        ],
        usage: this.usage(s.usage),
        service_tier: 'default',
      },
    };
  }

  protected renderToolCall(
    s: ToolCallScenario,
    streaming: boolean,
    request: RecordedRequest,
  ): ScriptedResponse {
    const id = s.id ?? 'call_fake1';
    const args = JSON.stringify(s.arguments);
    if (!streaming) {
      return {
        body: {
          ...this.base(request),
          object: 'chat.completion',
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content: null,
                tool_calls: [{ id, type: 'function', function: { name: s.name, arguments: args } }],
              },
              logprobs: null,
              finish_reason: 'tool_calls',
            },
          ],
          usage: this.usage(s.usage),
        },
      };
    }
    const base = { ...this.base(request), object: 'chat.completion.chunk' };
    const middle = Math.ceil(args.length / 2);
    const chunks = [
      sse({
        ...base,
        choices: [
          {
            index: 0,
            delta: {
              role: 'assistant',
              content: null,
              tool_calls: [{ index: 0, id, type: 'function', function: { name: s.name, arguments: '' } }],
            },
            finish_reason: null,
          },
        ],
      }),
      ...[args.slice(0, middle), args.slice(middle)].map((fragment) =>
        sse({
          ...base,
          choices: [
            {
              index: 0,
              delta: { tool_calls: [{ index: 0, function: { arguments: fragment } }] },
              finish_reason: null,
            },
          ],
        }),
      ),
      ...this.end(request, 'tool_calls', s.usage),
    ];
    return { headers: this.streamHeaders(), chunks };
  }

  protected renderError(s: ErrorScenario): ScriptedResponse {
    const message = s.message ?? `fake error ${s.status}`;
    const type = s.status === 429 ? 'requests' : s.status >= 500 ? 'server_error' : 'invalid_request_error';
    const headers: Record<string, string> = { 'x-request-id': 'req_fake_error' };
    if (s.retryAfter !== undefined) headers['retry-after'] = s.retryAfter;
    const body = this.options.flatErrors
      ? { object: 'error', message, type: 'BadRequestError', param: null, code: s.status }
      : { error: { message, type, param: null, code: s.code ?? null } };
    return { status: s.status, headers, body };
  }

  protected inStreamError(message: string): string {
    return sse({ error: { message, type: 'server_error', param: null, code: null } });
  }
}
