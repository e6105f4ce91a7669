import type { webcrypto } from 'node:crypto';
import { FakeHttpServer, type RecordedRequest, type ScriptedResponse } from '../fake-http-server.js';
import type { ErrorScenario } from '../scenario.js';
import { AnthropicFakeServer, type AnthropicServerOptions } from './anthropic-server.js';
import {
  GeminiFakeServer,
  type GeminiModelMethod,
  type GeminiServerOptions,
  geminiErrorBody,
} from './gemini-server.js';

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

/** `/v1/projects/{p}/locations/{l}/publishers/google/models/{id}:method` (or express mode, without the scope). */
const geminiRoute = (methods: string) =>
  new RegExp(
    `^/v1(?:beta1)?/(?:projects/[^/]+/locations/[^/]+/)?publishers/google/models/[^/:]+:(?:${methods})$`,
  );
const GEMINI_CHAT = geminiRoute('generateContent|streamGenerateContent');
const GEMINI_COUNT = geminiRoute('countTokens');
/** Claude's chat route; `count-tokens` is a model name of its own. */
const CLAUDE_CHAT =
  /^\/v1(?:beta1)?\/projects\/[^/]+\/locations\/[^/]+\/publishers\/anthropic\/models\/(?!count-tokens:)[^/:]+:(?:rawPredict|streamRawPredict)$/;
const CLAUDE_COUNT =
  /^\/v1(?:beta1)?\/projects\/[^/]+\/locations\/[^/]+\/publishers\/anthropic\/models\/count-tokens:rawPredict$/;
const PUBLISHER_MODELS = /^\/v1beta1\/publishers\/(google|anthropic)\/models$/;

/** A service account the fake token endpoint knows: its email and the public half of its key. */
export interface VertexTestServiceAccount {
  /** The key file's fields, as `createVertex({ serviceAccount })` takes them (`token_uri` is the fake's). */
  key: {
    type: 'service_account';
    project_id: string;
    private_key_id: string;
    private_key: string;
    client_email: string;
    token_uri: string;
  };
  publicKey: webcrypto.CryptoKey;
}

export interface VertexServerOptions {
  /** Seconds a minted token lives (`expires_in`). Default 3599. */
  tokenLifetimeSeconds?: number;
  /** Bearer tokens accepted without the token endpoint (tokens the application brings). */
  accessTokens?: string[];
  /** Express-mode API keys accepted in `x-goog-api-key` (Gemini only). Default: none. */
  apiKeys?: string[];
  /** Projects that exist for the caller; any other gets 403 `PERMISSION_DENIED`. Default: any. */
  projects?: string[];
  /** Locations served; any other gets 400 `INVALID_ARGUMENT`. Default: any. */
  locations?: string[];
  /** Model ids the project may not use: 400 `FAILED_PRECONDITION` ("not allowed to use Publisher Model"). */
  deniedModels?: string[];
  /** The fake's clock minus the real one: JWTs dated by the real clock look skewed (pitfall 4). Default 0. */
  clockOffsetMs?: number;
  /** Google-layer errors of the Claude endpoints wrapped in a one-element array (cline #651). Default false. */
  arrayWrappedErrors?: boolean;
  gemini?: GeminiServerOptions;
  anthropic?: AnthropicServerOptions;
}

const b64urlDecode = (text: string) => Buffer.from(text, 'base64url');

/** The token endpoint and the checks every Vertex route shares (bearer token, project, location, model). */
class VertexAuthority {
  /** Minted tokens and when they expire (the fake's clock, ms). */
  private readonly tokens = new Map<string, number>();
  private readonly accounts = new Map<string, webcrypto.CryptoKey>();
  private minted = 0;

  constructor(
    readonly options: VertexServerOptions,
    readonly tokenURL: () => string,
  ) {}

  now(): number {
    return Date.now() + (this.options.clockOffsetMs ?? 0);
  }

  addAccount(email: string, publicKey: webcrypto.CryptoKey): void {
    this.accounts.set(email, publicKey);
  }

  /** Every minted token stops working (as if it expired or was revoked); the next call gets a 401. */
  expireTokens(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0);
  }

  get mintedTokens(): string[] {
    return [...this.tokens.keys()];
  }

  private grantError(description: string): ScriptedResponse {
    return {
      status: 400,
      headers: { date: new Date(this.now()).toUTCString() },
      body: { error: 'invalid_grant', error_description: description },
    };
  }

  /** `POST /token`: verifies the RS256 JWT with the account's public key, then mints a token. */
  async token(request: RecordedRequest): Promise<ScriptedResponse> {
    const form = request.body as Record<string, string> | undefined;
    if (form?.grant_type !== JWT_BEARER)
      return {
        status: 400,
        body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' },
      };
    const parts = (form.assertion ?? '').split('.');
    if (parts.length !== 3) return this.grantError('Invalid JWT Signature.');
    let header: { alg?: string };
    let claims: { iss?: string; scope?: string; aud?: string; iat?: number; exp?: number };
    try {
      header = JSON.parse(b64urlDecode(parts[0]!).toString('utf8'));
      claims = JSON.parse(b64urlDecode(parts[1]!).toString('utf8'));
    } catch {
      return this.grantError('Invalid JWT: the header or claims are not base64url JSON.');
    }
    const key = claims.iss === undefined ? undefined : this.accounts.get(claims.iss);
    if (header.alg !== 'RS256' || !key) return this.grantError('Invalid JWT Signature.');
    const valid = await crypto.subtle.verify(
      'RSASSA-PKCS1-v1_5',
      key,
      b64urlDecode(parts[2]!),
      new TextEncoder().encode(`${parts[0]}.${parts[1]}`),
    );
    if (!valid) return this.grantError('Invalid JWT Signature.');
    if (claims.aud !== this.tokenURL()) return this.grantError('Invalid JWT: Failed audience check.');
    if (!claims.scope?.split(' ').includes(SCOPE))
      return { status: 400, body: { error: 'invalid_scope', error_description: 'Invalid OAuth scope.' } };
    const now = Math.floor(this.now() / 1000);
    const { iat, exp } = claims;
    if (
      typeof iat !== 'number' ||
      typeof exp !== 'number' ||
      exp - iat > 3600 ||
      exp <= iat ||
      Math.abs(iat - now) > 300 ||
      exp < now
    )
      return this.grantError(
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
      );
    const lifetime = this.options.tokenLifetimeSeconds ?? 3599;
    const token = `ya29.c.fake-${++this.minted}-${crypto.randomUUID()}`;
    this.tokens.set(token, this.now() + lifetime * 1000);
    return {
      headers: { date: new Date(this.now()).toUTCString() },
      body: { access_token: token, expires_in: lifetime, token_type: 'Bearer' },
    };
  }

  /** A Google-layer error (google.rpc.Status). */
  error(status: number, message: string, wrap = false): ScriptedResponse {
    const body = geminiErrorBody(status, message);
    return {
      status,
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body: wrap ? [body] : body,
    };
  }

  /** Credentials, then project, location and model access; undefined when the call may go on. */
  check(request: RecordedRequest, options: { allowApiKey: boolean }): ScriptedResponse | undefined {
    const auth = request.headers.authorization;
    const apiKey = request.headers['x-goog-api-key'];
    if (auth?.startsWith('Bearer ')) {
      const token = auth.slice(7).trim();
      const expires = this.tokens.get(token);
      const accepted =
        (expires !== undefined && expires > this.now()) || this.options.accessTokens?.includes(token);
      if (!accepted)
        return this.error(
          401,
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
        );
    } else if (apiKey !== undefined && options.allowApiKey) {
      if (!this.options.apiKeys?.includes(apiKey)) {
        const body = geminiErrorBody(400, 'API key not valid. Please pass a valid API key.', {
          reason: 'API_KEY_INVALID',
        });
        return { status: 400, body };
      }
      if (request.path.includes('/projects/'))
        return this.error(400, 'Express mode calls take no project or location in the path.');
    } else {
      return this.error(
        401,
        'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
    }
    const scope = /\/projects\/([^/]+)\/locations\/([^/]+)\//.exec(request.path);
    const model = /\/models\/([^/:]+):/.exec(request.path)?.[1];
    if (scope) {
      const [, project, location] = scope.map((s) => decodeURIComponent(s));
      if (this.options.projects && !this.options.projects.includes(project!))
        return this.error(403, `Permission denied on resource project ${project}.`);
      if (this.options.locations && !this.options.locations.includes(location!))
        return this.error(400, `Location ${location} is not supported.`);
      // `count-tokens:rawPredict` names the counted model in the body.
      const counted = (request.body as { model?: unknown } | undefined)?.model;
      const id =
        model === 'count-tokens' && typeof counted === 'string'
          ? counted
          : model === undefined
            ? undefined
            : decodeURIComponent(model);
      if (id && this.options.deniedModels?.includes(id)) {
        const name = `projects/${project}/locations/${location}/publishers/${request.path.includes('/anthropic/') ? 'anthropic' : 'google'}/models/${id}`;
        const response = this.error(
          400,
          `Project \`${project}\` is not allowed to use Publisher Model \`${name}\``,
        );
        (response.body as { error: { status: string } }).error.status = 'FAILED_PRECONDITION';
        return response;
      }
    }
    return undefined;
  }
}

/** The Gemini half: the Gemini fake's wire format on the `publishers/google` routes. */
export class VertexGeminiFakeServer extends GeminiFakeServer {
  constructor(
    http: FakeHttpServer,
    private readonly authority: VertexAuthority,
    options: GeminiServerOptions,
  ) {
    super(http, options, GEMINI_CHAT);
    http.on(
      'POST',
      GEMINI_COUNT,
      (request) => this.authority.check(request, { allowApiKey: true }) ?? this.countTokens(request),
    );
  }

  /** Queues one-shot answers for the next calls of a model method (`countTokens` on the Vertex route). */
  override replyTo(method: GeminiModelMethod, ...responses: ScriptedResponse[]): this {
    if (method !== 'countTokens') return super.replyTo(method, ...responses);
    this.http.enqueue('POST', GEMINI_COUNT, ...responses);
    return this;
  }

  /** The origin: the provider builds `/v1/projects/…` below it. */
  override get baseURL(): string {
    return this.url;
  }

  protected override authorize(request: RecordedRequest): ScriptedResponse | undefined {
    const denied = this.authority.check(request, { allowApiKey: true });
    if (denied) return denied;
    // Pitfall 7: Vertex requires a role on every content.
    const contents = (request.body as { contents?: { role?: unknown }[] } | undefined)?.contents;
    if (contents?.some((c) => c.role !== 'user' && c.role !== 'model'))
      return this.authority.error(400, 'Please use a valid role: user, model.');
    return undefined;
  }
}

/** The Claude half: the Anthropic fake's wire format on `rawPredict` / `streamRawPredict`. */
export class VertexClaudeFakeServer extends AnthropicFakeServer {
  constructor(
    http: FakeHttpServer,
    private readonly authority: VertexAuthority,
    options: AnthropicServerOptions,
  ) {
    super(http, { ...options, requireVersion: false }, CLAUDE_CHAT);
    http.on('POST', CLAUDE_COUNT, (request) => {
      const denied = this.authority.check(request, { allowApiKey: false });
      if (denied) return denied;
      const body = request.body as { messages?: unknown; model?: unknown } | undefined;
      if (typeof body?.model !== 'string') return this.anthropicError(400, 'model: Field required');
      const text = JSON.stringify(body.messages ?? []);
      return { body: { input_tokens: Math.max(1, Math.ceil(text.length / 4)) } };
    });
  }

  override get baseURL(): string {
    return this.url;
  }

  protected override isStreaming(request: RecordedRequest): boolean {
    return request.path.endsWith(':streamRawPredict');
  }

  private anthropicError(status: number, message: string): ScriptedResponse {
    const id = `req_vrtx_fake${Date.now().toString(36)}`;
    return {
      status,
      headers: { 'request-id': id },
      body: { type: 'error', error: { type: 'invalid_request_error', message }, request_id: id },
    };
  }

  protected override authorize(request: RecordedRequest): ScriptedResponse | undefined {
    const denied = this.authority.check(request, { allowApiKey: false });
    if (denied) return denied;
    const body = request.body as Record<string, unknown> | undefined;
    // Pitfall 2: the model is in the URL, the version in the body; no first-party headers.
    if (body && 'model' in body) return this.anthropicError(400, 'model: Extra inputs are not permitted');
    if (body?.anthropic_version !== VERTEX_ANTHROPIC_VERSION)
      return this.authority.error(
        404,
        'Publisher Model was not found or your project does not have access to it.',
      );
    if (request.headers['x-api-key'] || request.headers['anthropic-version'])
      return this.anthropicError(400, 'x-api-key and anthropic-version are not accepted on Vertex AI');
    // Pitfall 11: streamRawPredict with a body that does not say `stream: true`.
    if (this.isStreaming(request) !== (body?.stream === true))
      return this.anthropicError(400, 'stream: must be true on streamRawPredict and absent on rawPredict');
    return undefined;
  }

  /** Google-layer statuses (auth, quota, overload) answer google.rpc.Status bodies; validation Anthropic's. */
  protected override renderError(s: ErrorScenario): ScriptedResponse {
    if ([401, 403, 429, 500, 503, 504].includes(s.status) && s.code === undefined) {
      const message = s.message ?? `fake error ${s.status}`;
      const body = geminiErrorBody(s.status, message, {
        retryDelay: s.retryAfter === undefined ? undefined : `${s.retryAfter}s`,
      });
      return {
        status: s.status,
        headers: { 'content-type': 'application/json; charset=UTF-8' },
        body: this.authority.options.arrayWrappedErrors ? [body] : body,
      };
    }
    return super.renderError(s);
  }
}

/**
 * Fake Google Vertex AI on 127.0.0.1, one server for both families: a token endpoint (`POST /token`) that
 * verifies the RS256 JWT of a service account with its public key (`aud` = the endpoint, the cloud-platform
 * scope, `exp - iat` ≤ 3600, `iat` within 5 minutes of its clock) and mints expiring tokens; Gemini
 * (`…/publishers/google/models/{id}:generateContent`, `:streamGenerateContent?alt=sse`, `:countTokens`,
 * express mode with `x-goog-api-key`) through the Gemini fake's wire format; Claude (`:rawPredict`,
 * `:streamRawPredict`, `count-tokens:rawPredict`) through the Anthropic fake's, rejecting a body with `model`
 * or another `anthropic_version`; `GET /v1beta1/publishers/{google|anthropic}/models`. Bearer tokens, projects,
 * locations and model access are checked on every call, with Vertex's error bodies.
 */
export class VertexFakeServer {
  readonly gemini: VertexGeminiFakeServer;
  readonly claude: VertexClaudeFakeServer;
  private readonly authority: VertexAuthority;

  private constructor(
    readonly http: FakeHttpServer,
    options: VertexServerOptions,
  ) {
    this.authority = new VertexAuthority(options, () => this.tokenURL);
    http.on('POST', '/token', (request) => this.authority.token(request));
    http.on('GET', PUBLISHER_MODELS, (request) => {
      const denied = this.authority.check(request, { allowApiKey: true });
      if (denied) return denied;
      const publisher = PUBLISHER_MODELS.exec(request.path)![1];
      const ids =
        publisher === 'google'
          ? ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.0-flash']
          : ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1'];
      return {
        body: {
          publisherModels: ids.map((id) => ({
            name: `publishers/${publisher}/models/${id}`,
            versionId: '001',
            launchStage: 'GA',
          })),
        },
      };
    });
    this.gemini = new VertexGeminiFakeServer(http, this.authority, options.gemini ?? {});
    this.claude = new VertexClaudeFakeServer(http, this.authority, options.anthropic ?? {});
  }

  static async start(options: VertexServerOptions = {}): Promise<VertexFakeServer> {
    return new VertexFakeServer(await FakeHttpServer.start(), options);
  }

  /** `http://127.0.0.1:<port>`: the provider's `baseURL`. */
  get url(): string {
    return this.http.url;
  }

  get tokenURL(): string {
    return `${this.http.url}/token`;
  }

  /** Requests to the token endpoint. */
  get tokenRequests(): RecordedRequest[] {
    return this.http.requestsTo('/token');
  }

  /** Tokens minted so far (for assertions that none leaks). */
  get mintedTokens(): string[] {
    return this.authority.mintedTokens;
  }

  /** Every minted token stops working: the next call with one gets 401 `UNAUTHENTICATED`. */
  expireTokens(): void {
    this.authority.expireTokens();
  }

  /**
   * A new service account the token endpoint trusts: an RSA key pair made with Web Crypto, the private half as
   * a PKCS#8 PEM in a key file whose `token_uri` is this server's.
   */
  async createServiceAccount(
    options: { clientEmail?: string; projectId?: string } = {},
  ): Promise<VertexTestServiceAccount> {
    const pair = (await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    )) as webcrypto.CryptoKeyPair;
    const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', pair.privateKey)).toString('base64');
    const pem = `-----BEGIN PRIVATE KEY-----\n${der.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
    const clientEmail =
      options.clientEmail ??
      `llmo-test-${crypto.randomUUID().slice(0, 8)}@test-project.iam.gserviceaccount.com`;
    this.authority.addAccount(clientEmail, pair.publicKey);
    return {
      key: {
        type: 'service_account',
        project_id: options.projectId ?? 'test-project',
        private_key_id: crypto.randomUUID().replace(/-/g, ''),
        private_key: pem,
        client_email: clientEmail,
        token_uri: this.tokenURL,
      },
      publicKey: pair.publicKey,
    };
  }

  /** Clears recorded requests and queued answers of both halves. */
  reset(): void {
    this.gemini.reset();
    this.claude.reset();
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
