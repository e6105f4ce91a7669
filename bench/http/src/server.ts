// The loopback OpenAI-compatible server, run as a CHILD PROCESS of the benchmark (forked by server-process.ts).
// Its own process, not a worker thread: `process.cpuUsage()` counts every thread of a process, so a server in a
// worker would be billed to the client; in a child process the server's CPU is its own, and on 2 cores it
// can run beside the client. Binds 127.0.0.1 only. Answers POST …/chat/completions from precomputed buffers:
// a chat.completion, or, with `"stream": true`, the SSE stream of wire.ts with one `res.write` per event (so
// each event is its own HTTP chunk, as an LLM that streams token by token sends them). The model name gives
// the stream length. Exits when the parent goes away.
import { createServer } from 'node:http';
import { chunksOf, completionBody, streamEvents } from './wire.js';

const completion = Buffer.from(completionBody);
const streams = new Map<number, Buffer[]>();
const eventsFor = (chunks: number): Buffer[] => {
  let events = streams.get(chunks);
  if (!events) {
    events = streamEvents(chunks).map((event) => Buffer.from(event));
    streams.set(chunks, events);
  }
  return events;
};
const models = Buffer.from(
  '{"object":"list","data":[{"id":"bench-100","object":"model","owned_by":"bench"}]}',
);

let requests = 0;
const server = createServer({ keepAlive: true, keepAliveTimeout: 60_000 }, (req, res) => {
  requests++;
  const parts: Buffer[] = [];
  req.on('data', (part: Buffer) => parts.push(part));
  req.on('end', () => {
    if (req.method === 'GET' && req.url?.endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': models.length });
      res.end(models);
      return;
    }
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
      return;
    }
    let body: { model?: unknown; stream?: unknown };
    try {
      body = JSON.parse(Buffer.concat(parts).toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"invalid JSON","type":"invalid_request_error"}}');
      return;
    }
    if (body.stream !== true) {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': completion.length,
        'x-request-id': 'req_bench',
      });
      res.end(completion);
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-request-id': 'req_bench',
    });
    // Backpressure is not waited for: a stream is at most a few hundred KB, buffered by Node if need be.
    for (const event of eventsFor(chunksOf(body.model))) res.write(event);
    res.end();
  });
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.requestTimeout = 0;
server.maxRequestsPerSocket = 0;

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({ type: 'listening', port });
});

process.on('message', (message: { type?: string }) => {
  if (message?.type === 'stats') process.send?.({ type: 'stats', requests, cpu: process.cpuUsage() });
});
// The parent closed the channel (it ended or crashed): stop, so no server outlives the benchmark.
process.on('disconnect', () => process.exit(0));
