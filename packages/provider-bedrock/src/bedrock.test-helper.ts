import { readFileSync } from 'node:fs';

/** A hex wire fixture from `__fixtures__/bedrock-<name>.hex`, as bytes. */
export function hexFixture(name: string): Uint8Array {
  const text = readFileSync(new URL(`./__fixtures__/bedrock-${name}.hex`, import.meta.url), 'utf8');
  return Uint8Array.from(Buffer.from(text.trim(), 'hex'));
}

/**
 * The recorded 16-frame ConverseStream (openinference recording
 * `should-handle-basic-converse-stream-responses.json`, 2,985 bytes, every CRC as captured): frame 0 is
 * `messageStart` (184 bytes), frame 1 the note's 170-byte `contentBlockDelta` "Hello".
 */
export const RECORDED_STREAM = hexFixture('converse-stream.1');
export const RECORDED_TEXT =
  "Hello! As an AI language model, I don't have feelings, but I'm functioning well and ready to assist you. How can I help you today?";

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
