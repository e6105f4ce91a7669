import { FakeHttpServer, type RecordedRequest, type ScriptedResponse } from '../fake-http-server.js';
import { ProviderFakeServer } from '../provider-fake-server.js';
import {
  DEFAULT_USAGE,
  type ErrorScenario,
  type TextScenario,
  type ToolCallScenario,
  type Usage,
} from '../scenario.js';

const line = (value: unknown) => `${JSON.stringify(value)}\n`;

/**
 * Fake Ollama native API: `POST /api/chat` (NDJSON stream unless `stream: false`, since the server streams by
 * default), `GET /api/tags`, `GET /` ("Ollama is running"). The final `done: true` object carries
 * `prompt_eval_count`, `eval_count` and durations in nanoseconds; errors are `{"error": "..."}`, and an error
 * after the stream started is one more NDJSON line on the 200 response.
 */
export class OllamaFakeServer extends ProviderFakeServer {
  protected readonly chat = { method: 'POST', path: '/api/chat' };

  private constructor(http: FakeHttpServer, models: string[]) {
    super(http);
    http.on('GET', '/api/tags', {
      body: {
        models: models.map((name) => ({
          name,
          model: name,
          modified_at: '2025-05-04T17:37:44.706015396-07:00',
          size: 2019393189,
          digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
          details: { format: 'gguf', family: 'llama', parameter_size: '3.2B', quantization_level: 'Q4_K_M' },
        })),
      },
    });
    http.on('GET', '/', {
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'Ollama is running',
    });
    this.setDefault({ type: 'text', text: 'Hello from the fake Ollama server.' });
  }

  static async start(options: { models?: string[] } = {}): Promise<OllamaFakeServer> {
    return new OllamaFakeServer(await FakeHttpServer.start(), options.models ?? ['llama3.2:latest']);
  }

  get baseURL(): string {
    return this.url;
  }

  protected isStreaming(request: RecordedRequest): boolean {
    return (request.body as { stream?: boolean } | undefined)?.stream !== false;
  }

  private model(request: RecordedRequest): string {
    return (request.body as { model?: string } | undefined)?.model ?? 'llama3.2';
  }

  private done(
    request: RecordedRequest,
    content: string,
    usage: Usage = DEFAULT_USAGE,
    reason = 'stop',
    extra = {},
  ) {
    return {
      model: this.model(request),
      created_at: '2025-10-26T17:15:24.166576Z',
      message: { role: 'assistant', content, ...extra },
      done: true,
      done_reason: reason,
      total_duration: 174560334,
      load_duration: 101397084,
      prompt_eval_count: usage.promptTokens,
      prompt_eval_duration: 13074791,
      eval_count: usage.completionTokens,
      eval_duration: 52479709,
    };
  }

  protected streamHeaders(): Record<string, string> {
    return { 'content-type': 'application/x-ndjson' };
  }

  protected streamChunks(deltas: string[], request: RecordedRequest): string[] {
    return deltas.map((content) =>
      line({
        model: this.model(request),
        created_at: '2025-10-26T17:15:24.097767Z',
        message: { role: 'assistant', content },
        done: false,
      }),
    );
  }

  protected renderText(
    s: TextScenario,
    deltas: string[],
    streaming: boolean,
    request: RecordedRequest,
  ): ScriptedResponse {
    const reason = s.finishReason ?? 'stop';
    if (!streaming) return { body: this.done(request, s.text, s.usage, reason) };
    return {
      headers: this.streamHeaders(),
      chunks: [...this.streamChunks(deltas, request), line(this.done(request, '', s.usage, reason))],
    };
  }

  protected renderToolCall(
    s: ToolCallScenario,
    streaming: boolean,
    request: RecordedRequest,
  ): ScriptedResponse {
    const toolCalls = [{ function: { name: s.name, arguments: s.arguments } }];
    if (!streaming) return { body: this.done(request, '', s.usage, 'stop', { tool_calls: toolCalls }) };
    return {
      headers: this.streamHeaders(),
      chunks: [
        line({
          model: this.model(request),
          created_at: '2025-07-07T20:32:53.844124Z',
          message: { role: 'assistant', content: '', tool_calls: toolCalls },
          done: false,
        }),
        line(this.done(request, '', s.usage)),
      ],
    };
  }

  protected renderError(s: ErrorScenario): ScriptedResponse {
    const headers: Record<string, string> = {};
    if (s.retryAfter !== undefined) headers['retry-after'] = s.retryAfter;
    const message =
      s.message ??
      (s.status === 404
        ? "model 'missing' not found"
        : s.status === 503
          ? 'server busy, please try again.  maximum pending requests exceeded'
          : `fake error ${s.status}`);
    return { status: s.status, headers, body: { error: message } };
  }

  protected inStreamError(message: string): string {
    return line({ error: message });
  }
}
