import type { FakeHttpServer, RecordedRequest, ScriptedResponse } from './fake-http-server.js';
import {
  type ErrorScenario,
  type Scenario,
  splitWords,
  type TextScenario,
  type ToolCallScenario,
  type TransportOptions,
} from './scenario.js';

/**
 * A fake provider server: a `FakeHttpServer` with the provider's routes, whose chat endpoint answers
 * protocol-neutral `Scenario`s in the provider's wire format. Subclasses render each kind of answer.
 */
export abstract class ProviderFakeServer {
  /**
   * The chat endpoint: method and path, or a pattern for protocols whose chat path varies (Gemini puts the
   * model and the method in it: `/v1beta/models/<id>:streamGenerateContent`).
   */
  protected abstract readonly chat: { method: string; path: string | RegExp };

  private readonly queue: Scenario[] = [];
  private fallback: Scenario = { type: 'text', text: 'Hello from a fake provider server.' };
  private installed = false;

  constructor(readonly http: FakeHttpServer) {}

  /** Registers the chat route once (subclasses set `chat` in their field initialisers). */
  private install(): void {
    if (this.installed) return;
    this.installed = true;
    this.http.on(this.chat.method, this.chat.path, (req) => {
      // Auth is checked before a scenario is taken, so a rejected request does not use up the next answer.
      const denied = this.authorize(req);
      if (denied) return denied;
      return this.render(this.queue.shift() ?? this.fallback, req);
    });
  }

  /** A response that rejects the request before any scenario (e.g. a bad token), or undefined to go on. */
  protected authorize(_request: RecordedRequest): ScriptedResponse | undefined {
    return undefined;
  }

  /** The path of the chat endpoint (for a pattern, its source: use `isChatPath` to test a path). */
  get chatPath(): string {
    return typeof this.chat.path === 'string' ? this.chat.path : this.chat.path.source;
  }

  /** Whether a request path (without the query string) is the chat endpoint. */
  isChatPath(path: string): boolean {
    return typeof this.chat.path === 'string' ? path === this.chat.path : this.chat.path.test(path);
  }

  /** The server's origin, `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.http.url;
  }

  /** What to pass as the provider's `baseURL`. */
  abstract get baseURL(): string;

  /** Requests received by the chat endpoint, in order. */
  get chatRequests(): RecordedRequest[] {
    return this.http.requests.filter((r) => this.isChatPath(r.path));
  }

  /** Requests received on one path (e.g. the models or token endpoint). */
  requestsTo(path: string): RecordedRequest[] {
    return this.http.requestsTo(path);
  }

  /** Every request received, any route. */
  get requests(): RecordedRequest[] {
    return this.http.requests;
  }

  /** Queues answers for the next chat requests, one each, in order. */
  reply(...scenarios: Scenario[]): this {
    this.install();
    this.queue.push(...scenarios);
    return this;
  }

  /** Sets the answer used when the queue is empty. */
  setDefault(scenario: Scenario): this {
    this.install();
    this.fallback = scenario;
    return this;
  }

  /** Clears recorded requests and queued answers. */
  reset(): void {
    this.http.reset();
    this.queue.length = 0;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** Whether the request asked for a stream (each protocol says so differently). */
  protected abstract isStreaming(request: RecordedRequest): boolean;
  protected abstract renderText(
    s: TextScenario,
    deltas: string[],
    streaming: boolean,
    request: RecordedRequest,
  ): ScriptedResponse;
  protected abstract renderToolCall(
    s: ToolCallScenario,
    streaming: boolean,
    request: RecordedRequest,
  ): ScriptedResponse;
  protected abstract renderError(s: ErrorScenario): ScriptedResponse;
  /**
   * The stream's chunks for `deltas` (no end marker), and the provider's in-stream error chunk: text for SSE
   * and NDJSON, bytes for binary framings (Bedrock's event stream).
   */
  protected abstract streamChunks(deltas: string[], request: RecordedRequest): (string | Uint8Array)[];
  protected abstract inStreamError(message: string): string | Uint8Array;
  /** The headers of a 200 stream. */
  protected abstract streamHeaders(): Record<string, string>;

  render(scenario: Scenario, request: RecordedRequest): ScriptedResponse {
    const streaming = this.isStreaming(request);
    let response: ScriptedResponse;
    switch (scenario.type) {
      case 'hang':
        response = { hang: true };
        break;
      case 'raw':
        response = scenario.response;
        break;
      case 'text':
        response = this.renderText(
          scenario,
          scenario.deltas ?? splitWords(scenario.text),
          streaming,
          request,
        );
        break;
      case 'tool-call':
        response = this.renderToolCall(scenario, streaming, request);
        break;
      case 'error':
        response = this.renderError(scenario);
        break;
      case 'stream-error': {
        const deltas = splitWords(scenario.text).slice(0, scenario.afterDeltas);
        response = streaming
          ? {
              headers: this.streamHeaders(),
              chunks: [
                ...this.streamChunks(deltas, request),
                this.inStreamError(scenario.message ?? 'fake failure mid-stream'),
              ],
            }
          : this.renderError({ type: 'error', status: 500, message: scenario.message });
        break;
      }
      case 'reset': {
        const chunks = streaming ? this.streamChunks(splitWords(scenario.text), request) : ['{"partial":'];
        const after = streaming
          ? Math.min(chunks.length, this.chunksBeforeDeltas() + scenario.afterDeltas)
          : 1;
        response = {
          headers: streaming ? this.streamHeaders() : { 'content-type': 'application/json' },
          chunks,
          resetAfterChunks: after,
        };
        break;
      }
    }
    return withTransport(response, scenario);
  }

  /** Chunks a stream sends before its first delta (e.g. a role-only chunk). */
  protected chunksBeforeDeltas(): number {
    return 0;
  }
}

function withTransport(response: ScriptedResponse, t: TransportOptions): ScriptedResponse {
  return {
    ...response,
    headers: { ...response.headers, ...t.headers },
    splitBytes: t.splitBytes ?? response.splitBytes,
    chunkDelayMs: t.chunkDelayMs ?? response.chunkDelayMs,
    delayMs: t.delayMs ?? response.delayMs,
  };
}
