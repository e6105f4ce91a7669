import { BatchReader, type BodySource, ProviderError } from '@llmo/core/provider';

// The binary `application/vnd.amazon.eventstream` framing (protocol note §5.3), decoded by hand: ~150 lines
// with Web APIs only, where `@smithy/eventstream-codec` would bring its CRC and header packages along.
//
//   total_length u32 · headers_length u32 · prelude_crc u32 · headers · payload · message_crc u32
//
// All integers big-endian; the prelude CRC covers bytes [0, 8), the message CRC everything before it.

/** A header value: what each wire type decodes to (int64 and timestamps as numbers, UUIDs as hex). */
export type EventStreamHeaderValue = boolean | number | string | Uint8Array | Date;

export interface EventStreamMessage {
  headers: Record<string, EventStreamHeaderValue>;
  payload: Uint8Array;
}

/** The smallest message: prelude (12) and message CRC (4), no headers, no payload. */
const MIN_MESSAGE = 16;
/**
 * The largest message accepted (the AWS event-stream limit is 16 MiB of payload plus 128 KiB of headers): a
 * corrupt length must not make the decoder buffer without bound.
 */
export const MAX_MESSAGE = 16 * 1024 * 1024 + 128 * 1024 + MIN_MESSAGE;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3 / zlib): `crc32("123456789") === 0xcbf43926`. Web Crypto has none. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = (c >>> 8) ^ CRC_TABLE[(c ^ bytes[i]!) & 0xff]!;
  return (c ^ 0xffffffff) >>> 0;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

function frameError(provider: string, message: string, requestId?: string): ProviderError {
  return new ProviderError({
    kind: 'invalid_response',
    provider,
    requestId,
    message: `${provider}: the event stream is corrupt: ${message}`,
  });
}

function parseHeaders(
  view: DataView,
  bytes: Uint8Array,
  start: number,
  end: number,
  fail: (m: string) => ProviderError,
) {
  const headers: Record<string, EventStreamHeaderValue> = {};
  let at = start;
  const need = (n: number) => {
    if (at + n > end) throw fail('a header runs past the headers section');
  };
  while (at < end) {
    need(1);
    const nameLength = bytes[at]!;
    at += 1;
    need(nameLength + 1);
    const name = utf8.decode(bytes.subarray(at, at + nameLength));
    at += nameLength;
    const type = bytes[at]!;
    at += 1;
    let value: EventStreamHeaderValue;
    switch (type) {
      case 0:
        value = true;
        break;
      case 1:
        value = false;
        break;
      case 2:
        need(1);
        value = view.getInt8(at);
        at += 1;
        break;
      case 3:
        need(2);
        value = view.getInt16(at);
        at += 2;
        break;
      case 4:
        need(4);
        value = view.getInt32(at);
        at += 4;
        break;
      case 5:
      case 8: {
        need(8);
        const n = Number(view.getBigInt64(at));
        value = type === 8 ? new Date(n) : n;
        at += 8;
        break;
      }
      case 6:
      case 7: {
        need(2);
        const length = view.getUint16(at);
        at += 2;
        need(length);
        const raw = bytes.subarray(at, at + length);
        value = type === 7 ? utf8.decode(raw) : raw.slice();
        at += length;
        break;
      }
      case 9: {
        need(16);
        let hex = '';
        for (const b of bytes.subarray(at, at + 16)) hex += b.toString(16).padStart(2, '0');
        value = hex;
        at += 16;
        break;
      }
      default:
        throw fail(`unknown header value type ${type}`);
    }
    headers[name] = value;
  }
  return headers;
}

/**
 * Incremental decoder: feed it network chunks as they come (a frame may be split anywhere, several may share
 * a chunk); it returns the complete messages, both CRCs checked. `end()` at EOF throws when bytes of an
 * unfinished frame are left (a truncated stream).
 */
export class EventStreamDecoder {
  private buffer = new Uint8Array(0);
  private length = 0;

  constructor(private readonly context: { provider: string; requestId?: string }) {}

  /** Bytes buffered that do not make a whole message yet. */
  get pending(): number {
    return this.length;
  }

  /**
   * Appends a chunk and pushes the messages it completes onto `messages` (returned). On a corrupt frame it
   * throws, with the messages before that frame already pushed, so a caller can deliver them first.
   */
  push(chunk: Uint8Array, messages: EventStreamMessage[] = []): EventStreamMessage[] {
    this.append(chunk);
    let offset = 0;
    const fail = (m: string) => frameError(this.context.provider, m, this.context.requestId);
    while (this.length - offset >= 12) {
      const view = new DataView(this.buffer.buffer, this.buffer.byteOffset + offset, this.length - offset);
      const total = view.getUint32(0);
      const headersLength = view.getUint32(4);
      // The prelude is checked as soon as it is here: a corrupt length is never waited for.
      if (crc32(this.buffer, offset, offset + 8) !== view.getUint32(8)) throw fail('prelude CRC mismatch');
      if (total < MIN_MESSAGE || total > MAX_MESSAGE) throw fail(`message length ${total}`);
      if (headersLength > total - MIN_MESSAGE) throw fail(`headers length ${headersLength} of ${total}`);
      if (this.length - offset < total) break;
      if (crc32(this.buffer, offset, offset + total - 4) !== view.getUint32(total - 4))
        throw fail('message CRC mismatch');
      const bytes = this.buffer.subarray(offset, offset + total);
      const headers = parseHeaders(view, bytes, 12, 12 + headersLength, fail);
      messages.push({ headers, payload: bytes.slice(12 + headersLength, total - 4) });
      offset += total;
    }
    if (offset > 0) {
      this.buffer.copyWithin(0, offset, this.length);
      this.length -= offset;
    }
    return messages;
  }

  /** At EOF: bytes of an unfinished frame left over mean the stream was cut (retryable, `network`). */
  end(): void {
    if (this.length === 0) return;
    throw new ProviderError({
      kind: 'network',
      provider: this.context.provider,
      requestId: this.context.requestId,
      message: `${this.context.provider}: the event stream ended inside a frame (${this.length} bytes left)`,
    });
  }

  private append(chunk: Uint8Array): void {
    if (this.length + chunk.length > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.length + chunk.length, this.buffer.length * 2, 4096));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.length);
    this.length += chunk.length;
  }
}

/**
 * The response's event-stream messages, one array per network read (a provider's loop awaits once per read),
 * framed by a `BatchReader` over the bytes as read. The messages before a corrupt frame still go out first.
 * Stopping early or failing cancels the body (the request is aborted, the upstream stops generating).
 */
export function readEventStreamBatches(
  source: BodySource,
  context: { provider: string; requestId?: string },
): AsyncIterableIterator<EventStreamMessage[]> {
  return new BatchReader<EventStreamMessage>(
    source,
    (push) => {
      const decoder = new EventStreamDecoder(context);
      const messages: EventStreamMessage[] = [];
      return {
        feed: (bytes) => {
          messages.length = 0;
          try {
            decoder.push(bytes, messages);
          } finally {
            for (const message of messages) push(message);
          }
        },
        end: () => decoder.end(),
      };
    },
    undefined,
    { bytes: true },
  );
}
