import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal OpenAI-compatible upstream on 127.0.0.1 that records how each chat request ended: answered, or
 * closed by the client before the answer was complete (what an aborted upstream request looks like from the
 * server's side). The model name picks the behaviour: `fast` answers at once; `slow-stream` streams one word
 * then waits until `release()`; `hang` never answers. Used to prove that cancellations reach the upstream.
 */
export class TrackingUpstream {
  readonly started: string[] = [];
  readonly closedEarly: string[] = [];
  readonly completed: string[] = [];
  private readonly waiting = new Set<() => void>();

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly baseURL: string,
  ) {}

  static async start(): Promise<TrackingUpstream> {
    let instance: TrackingUpstream | undefined;
    const server = createServer((req, res) => void instance?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    instance = new TrackingUpstream(server, `http://127.0.0.1:${port}/v1`);
    return instance;
  }

  /** Lets every held `slow-stream` answer finish. */
  release(): void {
    for (const wake of this.waiting) wake();
    this.waiting.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += chunk;
    const body = JSON.parse(text || '{}') as { model?: string; stream?: boolean };
    const model = body.model ?? 'fast';
    this.started.push(model);
    let done = false;
    res.on('close', () => {
      if (!done) this.closedEarly.push(model);
    });
    const finish = () => {
      done = true;
      this.completed.push(model);
    };
    if (model === 'hang') return;
    const id = `chatcmpl-${this.started.length}`;
    if (!body.stream) {
      if (model !== 'fast') await this.hold(res);
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created: 1,
          model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: `answer from ${model}` },
              finish_reason: 'stop',
            },
          ],
          usage: { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 },
        }),
      );
      finish();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
    res.write(chunk({ role: 'assistant', content: 'first ' }));
    if (model !== 'fast') await this.hold(res);
    if (res.destroyed) return;
    res.write(chunk({ content: 'second' }));
    res.write(chunk({}, 'stop'));
    res.write(
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model, choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } })}\n\n`,
    );
    res.end('data: [DONE]\n\n');
    finish();
  }

  /** Waits for release() or for the client to go away, bounded by 30 s. */
  private hold(res: ServerResponse): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 30_000);
      const wake = () => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        resolve();
      };
      this.waiting.add(wake);
      res.on('close', wake);
    });
  }

  close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
