import { crc32 } from 'node:zlib';
import { signAwsRequest } from '@llmo/core/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../fake-http-server.js';
import { bedrockEvent, encodeEventStreamMessage } from './bedrock-eventstream.js';
import { BedrockFakeServer } from './bedrock-server.js';
import {
  BEDROCK_TEST_CREDENTIALS,
  expectedSignature,
  parseAuthorization,
  verifySigV4,
} from './bedrock-sigv4.js';

// ../shared/protocols/bedrock.md §2.1 and §5.4: the fake's node:crypto SigV4 and encoder against the note's
// worked example and recorded frame, so the fake is right independently of the provider it tests.
const NOTE_BODY =
  '{"messages":[{"role":"user","content":[{"text":"Hello"}]}],"inferenceConfig":{"maxTokens":256}}';
const NOTE_REQUEST: RecordedRequest = {
  method: 'POST',
  path: '/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse',
  query: new URLSearchParams(),
  headers: {
    host: 'bedrock-runtime.us-east-1.amazonaws.com',
    'x-amz-date': '20250101T000000Z',
    'content-type': 'application/json',
    authorization:
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=8ff3250b663023c78f8ab802f205cc7d5fac03125d113a20a8b4dde1e2ac0703',
  },
  bodyText: NOTE_BODY,
  body: JSON.parse(NOTE_BODY),
};
const known = { region: 'us-east-1', service: 'bedrock', known: [BEDROCK_TEST_CREDENTIALS] };

describe('the fake Bedrock SigV4 check', () => {
  it("recomputes the note's worked example and accepts it", () => {
    const auth = parseAuthorization(NOTE_REQUEST.headers.authorization)!;
    expect(expectedSignature(NOTE_REQUEST, auth, BEDROCK_TEST_CREDENTIALS.secretAccessKey).signature).toBe(
      '8ff3250b663023c78f8ab802f205cc7d5fac03125d113a20a8b4dde1e2ac0703',
    );
    expect(verifySigV4(NOTE_REQUEST, known)).toBeUndefined();
  });

  it('agrees with the Web Crypto signer of @llmo/core/provider', async () => {
    const signed = await signAwsRequest({
      method: 'POST',
      url: 'http://127.0.0.1:1234/model/amazon.nova-lite-v1%3A0/converse-stream',
      headers: { accept: 'application/vnd.amazon.eventstream', 'x-amz-client-context': 'x' },
      body: NOTE_BODY,
      credentials: BEDROCK_TEST_CREDENTIALS,
      region: 'us-east-1',
      service: 'bedrock',
    });
    const request: RecordedRequest = {
      ...NOTE_REQUEST,
      path: '/model/amazon.nova-lite-v1%3A0/converse-stream',
      headers: { host: '127.0.0.1:1234', ...signed.headers },
    };
    expect(verifySigV4(request, known)).toBeUndefined();
  });

  it('refuses a changed body, a wrong service, a wrong region, an unsigned x-amz header and a missing header', () => {
    const cases: [Partial<RecordedRequest>, string][] = [
      [{ bodyText: NOTE_BODY.replace('256', '257') }, 'InvalidSignatureException'],
      [
        { headers: { ...NOTE_REQUEST.headers, 'x-amz-security-token': 'abc' } },
        'UnrecognizedClientException',
      ],
      [
        {
          headers: {
            ...NOTE_REQUEST.headers,
            authorization: NOTE_REQUEST.headers.authorization!.replace('/bedrock/', '/bedrock-runtime/'),
          },
        },
        'InvalidSignatureException',
      ],
      [
        {
          headers: {
            ...NOTE_REQUEST.headers,
            authorization: NOTE_REQUEST.headers.authorization!.replace('/us-east-1/', '/eu-west-1/'),
          },
        },
        'InvalidSignatureException',
      ],
      [{ headers: { ...NOTE_REQUEST.headers, 'x-amz-target': 'x' } }, 'InvalidSignatureException'],
      [{ headers: { host: 'x', 'x-amz-date': '20250101T000000Z' } }, 'MissingAuthenticationTokenException'],
    ];
    for (const [change, code] of cases)
      expect(verifySigV4({ ...NOTE_REQUEST, ...change }, known)?.code, JSON.stringify(change)).toBe(code);
  });
});

describe('the fake Bedrock event stream', () => {
  it("encodes the note's frame #1 byte for byte (without the padding run of bedrockEvent)", () => {
    const frame = encodeEventStreamMessage(
      { ':event-type': 'contentBlockDelta', ':content-type': 'application/json', ':message-type': 'event' },
      '{"contentBlockIndex":0,"delta":{"text":"Hello"},"p":"abcdefghijkl"}',
    );
    expect(Buffer.from(frame).toString('hex')).toBe(
      '000000aa00000057aaba9c090b3a6576656e742d74797065070011636f6e74656e74426c6f636b44656c74610d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d747970650700056576656e747b22636f6e74656e74426c6f636b496e646578223a302c2264656c7461223a7b2274657874223a2248656c6c6f227d2c2270223a226162636465666768696a6b6c227de19dc8b1',
    );
  });

  it('bedrockEvent adds a p padding field and valid CRCs', () => {
    const frame = bedrockEvent('messageStop', { stopReason: 'end_turn' });
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    expect(view.getUint32(0)).toBe(frame.length);
    expect(crc32(frame.subarray(0, 8))).toBe(view.getUint32(8));
    expect(crc32(frame.subarray(0, frame.length - 4))).toBe(view.getUint32(frame.length - 4));
    const payload = JSON.parse(
      Buffer.from(frame.subarray(12 + view.getUint32(4), frame.length - 4)).toString(),
    );
    expect(payload).toMatchObject({ stopReason: 'end_turn', p: expect.stringMatching(/^[a-zA-Z0-9]+$/) });
  });
});

describe('BedrockFakeServer', () => {
  let server: BedrockFakeServer;
  beforeAll(async () => {
    server = await BedrockFakeServer.start({ apiKeys: ['k-1234'] });
  });
  afterAll(() => server.close());

  it('listens on 127.0.0.1; an unsigned request is 403 with x-amzn-ErrorType; a Bedrock API key is let in', async () => {
    expect(server.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const denied = await fetch(`${server.baseURL}/foundation-models`);
    expect(denied.status).toBe(403);
    expect(denied.headers.get('x-amzn-errortype')).toMatch(/^MissingAuthenticationTokenException:http:\/\//);
    const listed = await fetch(`${server.baseURL}/foundation-models?byProvider=meta`, {
      headers: { authorization: 'Bearer k-1234' },
    });
    expect(((await listed.json()) as { modelSummaries: { modelId: string }[] }).modelSummaries).toEqual([
      expect.objectContaining({ modelId: 'meta.llama3-3-70b-instruct-v1:0', providerName: 'Meta' }),
    ]);
  });
});
