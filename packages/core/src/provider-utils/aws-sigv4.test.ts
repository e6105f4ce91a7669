import { describe, expect, it } from 'vitest';
import { amzDate, signAwsRequest } from './aws-sigv4.js';

// AWS's SigV4 test suite credentials and the worked example of ../shared/protocols/bedrock.md §2.1.
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

describe('signAwsRequest', () => {
  it('reproduces the AWS test suite post-vanilla signature', async () => {
    const signed = await signAwsRequest({
      method: 'POST',
      url: 'https://example.amazonaws.com/',
      headers: {},
      credentials,
      region: 'us-east-1',
      service: 'service',
      date: new Date('2015-08-30T12:36:00Z'),
    });
    expect(signed.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
    );
  });

  it('reproduces post-sts-header-before: the session token is signed', async () => {
    const signed = await signAwsRequest({
      method: 'POST',
      url: 'https://example.amazonaws.com/',
      headers: {},
      credentials: {
        ...credentials,
        sessionToken:
          'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==',
      },
      region: 'us-east-1',
      service: 'service',
      date: new Date('2015-08-30T12:36:00Z'),
    });
    expect(signed.signedHeaders).toBe('host;x-amz-date;x-amz-security-token');
    // The dump is safe to log: the token is sent, but not shown.
    expect(signed.canonicalRequest).toContain('x-amz-security-token:[redacted]\n');
    expect(signed.canonicalRequest).not.toContain('AQoDYXdzEPT');
    expect(signed.headers.authorization).toMatch(
      /Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead$/,
    );
  });

  it('Bedrock worked example: service bedrock, model id double-encoded in the canonical URI', async () => {
    const body =
      '{"messages":[{"role":"user","content":[{"text":"Hello"}]}],"inferenceConfig":{"maxTokens":256}}';
    const signed = await signAwsRequest({
      method: 'POST',
      url: 'https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse',
      headers: { 'content-type': 'application/json' },
      body,
      credentials,
      region: 'us-east-1',
      service: 'bedrock',
      date: new Date('2025-01-01T00:00:00Z'),
    });
    expect(signed.canonicalRequest).toBe(
      [
        'POST',
        '/model/us.anthropic.claude-3-5-haiku-20241022-v1%253A0/converse',
        '',
        'host:bedrock-runtime.us-east-1.amazonaws.com',
        'x-amz-date:20250101T000000Z',
        '',
        'host;x-amz-date',
        'd8695502972bd4d482308b656a524b7a7efcebba591a06801fadba6b39700dd1',
      ].join('\n'),
    );
    expect(signed.stringToSign.split('\n').at(-1)).toBe(
      '510ea94bd633af6b4ec5bb7bb5ad842e8a427f37a76e9e6d17539c668d79c810',
    );
    expect(signed.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=8ff3250b663023c78f8ab802f205cc7d5fac03125d113a20a8b4dde1e2ac0703',
    );
    expect(signed.headers['content-type']).toBe('application/json');
  });

  it('sorts and encodes the query; signs other headers; the secret is in no output', async () => {
    const signed = await signAwsRequest({
      method: 'GET',
      url: 'https://bedrock.us-west-2.amazonaws.com/foundation-models?byProvider=Anthropic&byOutputModality=TEXT',
      headers: { 'X-Team': '  a   b ', 'x-amz-date': 'stale' },
      credentials,
      region: 'us-west-2',
      service: 'bedrock',
      date: new Date('2025-01-01T00:00:00Z'),
      contentSha256Header: true,
    });
    expect(signed.canonicalRequest.split('\n').slice(0, 3)).toEqual([
      'GET',
      '/foundation-models',
      'byOutputModality=TEXT&byProvider=Anthropic',
    ]);
    expect(signed.signedHeaders).toBe('host;x-amz-content-sha256;x-amz-date;x-team');
    expect(signed.headers['x-amz-date']).toBe('20250101T000000Z');
    expect(JSON.stringify(signed)).not.toContain(credentials.secretAccessKey);
  });

  it('amzDate formats YYYYMMDDTHHMMSSZ', () => {
    expect(amzDate(new Date('2025-03-04T05:06:07.890Z'))).toBe('20250304T050607Z');
  });
});
