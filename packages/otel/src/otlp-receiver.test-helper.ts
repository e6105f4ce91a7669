import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An OTLP/JSON attribute value, as the OTLP/HTTP JSON encoding writes it. */
type AnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
};
interface KeyValue {
  key: string;
  value: AnyValue;
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
  status: { code?: number; message?: string };
  scope: string;
}

function decodeValue(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(decodeValue);
  return undefined;
}
const decodeAttributes = (list: KeyValue[] | undefined) =>
  Object.fromEntries((list ?? []).map(({ key, value }) => [key, decodeValue(value)]));

/**
 * A minimal OTLP/HTTP trace receiver on 127.0.0.1: accepts `POST /v1/traces` with the JSON encoding (what
 * `@opentelemetry/exporter-trace-otlp-http` sends), answers 200 `{}` as a collector does, and decodes each span.
 */
export class OtlpReceiver {
  readonly spans: OtlpSpan[] = [];
  readonly requests: { contentType: string | undefined }[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<OtlpReceiver> {
    let receiver: OtlpReceiver | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/v1/traces') {
          res.writeHead(404).end();
          return;
        }
        receiver?.requests.push({ contentType: req.headers['content-type'] });
        receiver?.ingest(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver = new OtlpReceiver(server);
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/traces`;
  }

  private ingest(body: {
    resourceSpans?: { scopeSpans?: { scope?: { name?: string }; spans?: Record<string, unknown>[] }[] }[];
  }): void {
    for (const resource of body.resourceSpans ?? [])
      for (const scope of resource.scopeSpans ?? [])
        for (const span of scope.spans ?? [])
          this.spans.push({
            traceId: span.traceId as string,
            spanId: span.spanId as string,
            ...(span.parentSpanId ? { parentSpanId: span.parentSpanId as string } : {}),
            name: span.name as string,
            kind: span.kind as number,
            attributes: decodeAttributes(span.attributes as KeyValue[]),
            events: ((span.events as { name: string; attributes?: KeyValue[] }[]) ?? []).map((e) => ({
              name: e.name,
              attributes: decodeAttributes(e.attributes),
            })),
            status: (span.status as OtlpSpan['status']) ?? {},
            scope: scope.scope?.name ?? '',
          });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
