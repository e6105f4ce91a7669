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

export type GigaChatScope = 'GIGACHAT_API_PERS' | 'GIGACHAT_API_B2B' | 'GIGACHAT_API_CORP';

export interface GigaChatServerOptions {
  /** The only authorization key the token endpoint accepts; others get 401 code 6. Default: any. */
  authorizationKey?: string;
  /** Scopes the key is allowed; others get 400 code 7 (scope mismatch). Default: all three. */
  scopes?: GigaChatScope[];
  /** Lifetime of issued tokens. Default 30 minutes, as the real service. */
  tokenTtlMs?: number;
  /** Send `expires_at` in seconds (10 digits), as one misleading official sample does. */
  expiresAtInSeconds?: boolean;
  /** Delay of the token endpoint, to test that concurrent requests share one refresh. */
  tokenDelayMs?: number;
  /** Serve HTTPS with this certificate (e.g. `TEST_TLS`), as the real hosts do with a non-public CA. */
  tls?: { key: string; cert: string };
  models?: string[];
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const sse = (data: unknown) => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

/**
 * Fake GigaChat: the OAuth endpoint (`POST /api/v2/oauth`: Basic key + RqUID UUID v4 + form `scope`,
 * answering `{access_token, expires_at}` in milliseconds, 400 code 7 on a scope mismatch), and the API
 * (`POST /api/v1/chat/completions`, `GET /api/v1/models`) that demands a live Bearer token (401
 * `{status, message}` otherwise). Streams are `data:` deltas whose last JSON chunk carries `finish_reason`
 * and `usage`, then `[DONE]`; function-call arguments are objects.
 */
export class GigaChatFakeServer extends ProviderFakeServer {
  protected readonly chat = { method: 'POST', path: '/api/v1/chat/completions' };
  /** Tokens issued and when they expire (ms). */
  private readonly tokens = new Map<string, number>();
  private issued = 0;

  private constructor(
    http: FakeHttpServer,
    private readonly options: GigaChatServerOptions,
  ) {
    super(http);
    http.on('POST', '/api/v2/oauth', (req) => this.oauth(req));
    http.on(
      'GET',
      '/api/v1/models',
      (req) =>
        this.authorize(req) ?? {
          body: {
            object: 'list',
            data: (
              options.models ?? ['GigaChat', 'GigaChat-2', 'GigaChat-2-Pro', 'GigaChat-2-Max', 'Embeddings']
            ).map((id) => ({
              id,
              object: 'model',
              owned_by: 'salutedevices',
              type: id.startsWith('Embeddings') ? 'embedder' : 'chat',
            })),
          },
        },
    );
    this.setDefault({ type: 'text', text: 'Привет от фейкового GigaChat.' });
  }

  static async start(options: GigaChatServerOptions = {}): Promise<GigaChatFakeServer> {
    return new GigaChatFakeServer(await FakeHttpServer.start({ tls: options.tls }), options);
  }

  get baseURL(): string {
    return `${this.url}/api/v1`;
  }

  /** The OAuth endpoint URL, for the provider's `authURL`. */
  get authURL(): string {
    return `${this.url}/api/v2/oauth`;
  }

  /** Requests received by the token endpoint. */
  get tokenRequests(): RecordedRequest[] {
    return this.http.requestsTo('/api/v2/oauth');
  }

  /** Invalidates every issued token, as if they expired early: the next API call gets 401. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  private oauth(req: RecordedRequest): ScriptedResponse {
    const rqUid = req.headers.rquid;
    if (!rqUid || !UUID_V4.test(rqUid))
      return { status: 400, body: { code: 4, message: 'RqUID is not a valid UUID v4' } };
    const authorization = req.headers.authorization ?? '';
    if (!authorization.startsWith('Basic '))
      return { status: 400, body: { code: 4, message: "Can't decode 'Authorization' header" } };
    if (this.options.authorizationKey && authorization.slice(6) !== this.options.authorizationKey) {
      return { status: 401, body: { code: 6, message: "credentials doesn't match db data" } };
    }
    const scope = (req.body as { scope?: string } | undefined)?.scope;
    if (!scope) return { status: 400, body: { code: 5, message: 'scope is empty' } };
    const allowed = this.options.scopes ?? ['GIGACHAT_API_PERS', 'GIGACHAT_API_B2B', 'GIGACHAT_API_CORP'];
    if (!allowed.includes(scope as GigaChatScope)) {
      return { status: 400, body: { code: 7, message: 'scope from db not fully includes consumed scope' } };
    }
    const token = `fake-token-${++this.issued}-${randomUUID()}`;
    const expiresAt = Date.now() + (this.options.tokenTtlMs ?? 30 * 60_000);
    this.tokens.set(token, expiresAt);
    return {
      delayMs: this.options.tokenDelayMs,
      body: {
        access_token: token,
        expires_at: this.options.expiresAtInSeconds ? Math.floor(expiresAt / 1000) : expiresAt,
      },
    };
  }

  protected override authorize(req: RecordedRequest): ScriptedResponse | undefined {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const expiresAt = this.tokens.get(token);
    if (expiresAt === undefined || expiresAt <= Date.now()) {
      return {
        status: 401,
        headers: { 'x-request-id': randomUUID() },
        body: { status: 401, message: 'Unauthorized' },
      };
    }
    return undefined;
  }

  protected isStreaming(request: RecordedRequest): boolean {
    return (request.body as { stream?: boolean } | undefined)?.stream === true;
  }

  private base(request: RecordedRequest) {
    return {
      created: 1768996176,
      model: `${(request.body as { model?: string } | undefined)?.model ?? 'GigaChat'}:2.0.28.2`,
      object: 'chat.completion',
    };
  }

  private usage(u: Usage = DEFAULT_USAGE) {
    return {
      prompt_tokens: u.promptTokens,
      completion_tokens: u.completionTokens,
      total_tokens: u.promptTokens + u.completionTokens,
      precached_prompt_tokens: 0,
    };
  }

  protected streamHeaders(): Record<string, string> {
    return {
      'content-type': 'text/event-stream',
      'x-request-id': randomUUID(),
      'x-session-id': randomUUID(),
    };
  }

  protected streamChunks(deltas: string[], request: RecordedRequest): string[] {
    // The first chunk carries the role together with the first text; there is no role-only chunk.
    return deltas.map((content, i) =>
      sse({
        choices: [{ delta: i === 0 ? { content, role: 'assistant' } : { content }, index: 0 }],
        ...this.base(request),
      }),
    );
  }

  private end(request: RecordedRequest, finishReason: string, usage: Usage | undefined): string[] {
    return [
      sse({
        choices: [{ delta: { content: '' }, index: 0, finish_reason: finishReason }],
        ...this.base(request),
        usage: this.usage(usage),
      }),
      sse('[DONE]'),
    ];
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
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': randomUUID() },
      body: {
        choices: [{ message: { content: s.text, role: 'assistant' }, index: 0, finish_reason: finish }],
        ...this.base(request),
        usage: this.usage(s.usage),
      },
    };
  }

  protected renderToolCall(
    s: ToolCallScenario,
    streaming: boolean,
    request: RecordedRequest,
  ): ScriptedResponse {
    const message = {
      content: '',
      role: 'assistant',
      function_call: { name: s.name, arguments: s.arguments },
      functions_state_id: '0199e210-2f13-744c-8fe5-c9a19fe27db7',
    };
    if (!streaming) {
      return {
        body: {
          choices: [{ message, index: 0, finish_reason: 'function_call' }],
          ...this.base(request),
          usage: this.usage(s.usage),
        },
      };
    }
    return {
      headers: this.streamHeaders(),
      chunks: [
        sse({
          choices: [{ delta: message, index: 0, finish_reason: 'function_call' }],
          ...this.base(request),
          usage: this.usage(s.usage),
        }),
        sse('[DONE]'),
      ],
    };
  }

  protected renderError(s: ErrorScenario): ScriptedResponse {
    const headers: Record<string, string> = { 'x-request-id': randomUUID() };
    if (s.retryAfter !== undefined) headers['retry-after'] = s.retryAfter;
    return {
      status: s.status,
      headers,
      body: { status: s.status, message: s.message ?? `fake error ${s.status}` },
    };
  }

  // GigaChat's in-stream error shape is not documented; this fake sends its API error body as an event.
  protected inStreamError(message: string): string {
    return sse({ status: 500, message });
  }
}
