import { createHash, createHmac } from 'node:crypto';
import type { RecordedRequest } from '../fake-http-server.js';

// SigV4 verification for the fake Bedrock server, with node:crypto (apart from the provider's Web Crypto
// signer, so one checks the other): the signature is recomputed from the request as received, with the
// secret of the access key it names.

/** A key pair the fake server knows (and the session token it was issued with, for temporary credentials). */
export interface BedrockTestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** AWS's documentation example keys (the SigV4 test suite's): what tests pass to `createBedrock`. */
export const BEDROCK_TEST_CREDENTIALS: BedrockTestCredentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

/** Temporary credentials the fake knows: the token must come with this key id. */
export const BEDROCK_TEST_SESSION_CREDENTIALS: BedrockTestCredentials = {
  accessKeyId: 'ASIAEXAMPLESESSION01',
  secretAccessKey: 'sessionSecretKeyEXAMPLE/0123456789abcdefgh',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE-session-token-0123456789',
};

export type SigV4Failure = { code: string; message: string };

const sha256 = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  const match = header ? AUTH.exec(header) : null;
  if (!match) return undefined;
  return {
    accessKeyId: match[1]!,
    date: match[2]!,
    region: match[3]!,
    service: match[4]!,
    signedHeaders: match[5]!.split(';'),
    signature: match[6]!,
  };
}

/** The canonical request and string to sign as AWS would compute them for a received request. */
export function expectedSignature(
  request: RecordedRequest,
  auth: ParsedAuthorization,
  secretAccessKey: string,
): { canonicalRequest: string; stringToSign: string; signature: string } {
  const pairs: [string, string][] = [];
  for (const [key, value] of request.query) pairs.push([rfc3986(key), rfc3986(value)]);
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const canonicalRequest = [
    request.method,
    request.path
      .split('/')
      .map((segment) => rfc3986(segment))
      .join('/'),
    pairs.map(([k, v]) => `${k}=${v}`).join('&'),
    auth.signedHeaders
      .map((name) => `${name}:${(request.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
      .join(''),
    auth.signedHeaders.join(';'),
    sha256(request.bodyText),
  ].join('\n');
  const datetime = request.headers['x-amz-date'] ?? '';
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', datetime, scope, sha256(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${secretAccessKey}`, auth.date);
  key = hmac(key, auth.region);
  key = hmac(key, auth.service);
  key = hmac(key, 'aws4_request');
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return { canonicalRequest, stringToSign, signature };
}

/**
 * Checks a request's SigV4 signature as Bedrock does: the header's shape, a known key id, its session token,
 * the scope (`bedrock`, the server's region), `host`, `x-amz-date` and every `x-amz-*` header signed, and the
 * signature itself. Returns the AWS error it would answer, or undefined.
 */
export function verifySigV4(
  request: RecordedRequest,
  options: {
    region: string;
    service: string;
    known: readonly BedrockTestCredentials[];
    expiredTokens?: readonly string[];
  },
): SigV4Failure | undefined {
  const header = request.headers.authorization;
  if (!header)
    return { code: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  const auth = parseAuthorization(header);
  if (!auth)
    return {
      code: 'IncompleteSignatureException',
      message: `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=${header}`,
    };
  const token = request.headers['x-amz-security-token'];
  const known = options.known.find((c) => c.accessKeyId === auth.accessKeyId);
  if (token && options.expiredTokens?.includes(token))
    return {
      code: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
    };
  if (!known || (known.sessionToken ?? undefined) !== (token ?? undefined))
    return {
      code: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    };
  if (auth.service !== options.service)
    return {
      code: 'InvalidSignatureException',
      message: `Credential should be scoped to correct service: '${options.service}'. `,
    };
  if (auth.region !== options.region)
    return {
      code: 'InvalidSignatureException',
      message: `Credential should be scoped to a valid region. `,
    };
  const mustSign = [
    'host',
    'x-amz-date',
    ...Object.keys(request.headers).filter((h) => h.startsWith('x-amz-')),
  ];
  for (const name of mustSign)
    if (!auth.signedHeaders.includes(name))
      return { code: 'InvalidSignatureException', message: `'${name}' must be a signed header.` };
  const expected = expectedSignature(request, auth, known.secretAccessKey);
  if (expected.signature !== auth.signature)
    return {
      code: 'InvalidSignatureException',
      // As AWS answers: the canonical request it computed, signed header values (the session token) included.
      message: `The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'${expected.canonicalRequest}'\n\nThe String-to-Sign should have been\n'${expected.stringToSign}'\n`,
    };
  return undefined;
}
