import { crc32 } from 'node:zlib';

// An `application/vnd.amazon.eventstream` encoder for the fake Bedrock server (protocol note §5.3), written
// apart from the provider's decoder (and with Node's own CRC-32) so the two check each other.

/** A header value to encode: strings (type 7) and booleans (types 0/1) are all Bedrock sends. */
export type EventStreamHeaders = Record<string, string | boolean>;

const encoder = new TextEncoder();

/** One encoded message: prelude, prelude CRC, headers, payload, message CRC. */
export function encodeEventStreamMessage(
  headers: EventStreamHeaders,
  payload: Uint8Array | string,
): Uint8Array {
  const body = typeof payload === 'string' ? encoder.encode(payload) : payload;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const nameBytes = Buffer.from(name, 'utf8');
    if (typeof value === 'boolean') {
      parts.push(Buffer.from([nameBytes.length]), nameBytes, Buffer.from([value ? 0 : 1]));
    } else {
      const valueBytes = Buffer.from(value, 'utf8');
      const length = Buffer.alloc(2);
      length.writeUInt16BE(valueBytes.length);
      parts.push(Buffer.from([nameBytes.length]), nameBytes, Buffer.from([7]), length, valueBytes);
    }
  }
  const headerBytes = Buffer.concat(parts);
  const total = 12 + headerBytes.length + body.length + 4;
  const out = Buffer.alloc(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(headerBytes.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  headerBytes.copy(out, 12);
  Buffer.from(body).copy(out, 12 + headerBytes.length);
  out.writeUInt32BE(crc32(out.subarray(0, total - 4)), total - 4);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

const PADDING = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
let paddingTurn = 0;

/**
 * A ConverseStream event frame (`:message-type: event`), its JSON payload with the `p` padding field the
 * service adds to every payload (a varying run of `abc…`; pitfall 6).
 */
export function bedrockEvent(eventType: string, payload: Record<string, unknown>): Uint8Array {
  const p = PADDING.slice(0, 1 + ((paddingTurn++ * 7) % PADDING.length));
  return encodeEventStreamMessage(
    { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' },
    JSON.stringify({ ...payload, p }),
  );
}

/** A modeled exception frame after a 200 (`:message-type: exception`, `:exception-type: throttlingException`…). */
export function bedrockException(exceptionType: string, payload: Record<string, unknown>): Uint8Array {
  return encodeEventStreamMessage(
    { ':exception-type': exceptionType, ':content-type': 'application/json', ':message-type': 'exception' },
    JSON.stringify(payload),
  );
}
