/**
 * AWS Signature Version 4 (header form) with Web Crypto only: `crypto.subtle` HMAC-SHA256 and SHA-256, no
 * AWS SDK, no Node API. Shared by `@llmo/provider-bedrock` and `@llmo/validators` (which may not import each
 * other). Follows the AWS SigV4 test suite (`post-vanilla`, `post-sts-header-before`) and `aws4fetch`: every
 * header sent is signed except a few a proxy or the runtime may change, the canonical URI is the wire path
 * URI-encoded again (non-S3 services), and a session token is signed as `x-amz-security-token`.
 */

/** AWS credentials: an access key pair, and the session token that temporary (STS) credentials carry. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignAwsRequestOptions {
  method: string;
  /** The full URL the request goes to (its path exactly as sent, already percent-encoded). */
  url: string;
  /** The headers that will be sent (any case); `host` is taken from the URL. */
  headers: Record<string, string | undefined>;
  /** The exact body bytes that will be sent (a string is UTF-8 encoded); none for a GET. */
  body?: string | Uint8Array;
  credentials: AwsCredentials;
  region: string;
  /** The signing name, e.g. `bedrock` (not `bedrock-runtime`, which the hostname suggests). */
  service: string;
  /** The signing time; default now. */
  date?: Date;
  /** Send `x-amz-content-sha256` too (the AWS SDK does; optional for non-S3 services). Default false. */
  contentSha256Header?: boolean;
}

export interface SignedAwsRequest {
  /** The headers to send: the given ones plus `x-amz-date`, the token, and `authorization`. */
  headers: Record<string, string>;
  /**
   * For tests and debugging, safe to log: the secret key never leaves the HMAC, and the session token's value
   * is shown as `[redacted]` (the signature covers the real one).
   */
  canonicalRequest: string;
  stringToSign: string;
  signedHeaders: string;
}

/** Headers never signed: the runtime or a proxy may add, drop or rewrite them (aws4fetch's list). */
const UNSIGNED = new Set([
  'authorization',
  'content-type',
  'content-length',
  'user-agent',
  'presigned-expires',
  'expect',
  'x-amzn-trace-id',
  'range',
  'connection',
  'accept-encoding',
]);

const encoder = new TextEncoder();

function hex(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

async function hmac(key: Uint8Array<ArrayBuffer> | ArrayBuffer, data: string): Promise<ArrayBuffer> {
  const cryptoKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(data));
}

/** Hex SHA-256 of a body (the empty string's hash for none). */
export async function sha256Hex(body: string | Uint8Array | undefined): Promise<string> {
  const bytes =
    body === undefined
      ? new Uint8Array()
      : typeof body === 'string'
        ? encoder.encode(body)
        : Uint8Array.from(body);
  return hex(await crypto.subtle.digest('SHA-256', bytes));
}

/** RFC 3986 encoding: `encodeURIComponent` plus `!'()*`. */
function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The wire path encoded again, segment by segment (`%3A` → `%253A`; non-S3 services, pitfall 2). */
function canonicalUri(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => encodeRfc3986(segment))
    .join('/');
}

function canonicalQuery(search: URLSearchParams): string {
  const pairs: [string, string][] = [];
  for (const [key, value] of search) pairs.push([encodeRfc3986(key), encodeRfc3986(value)]);
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** `YYYYMMDD'T'HHMMSS'Z'`. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[:-]|\.\d{3}/g, '');
}

/**
 * Signs a request with SigV4 and returns the headers to send. The signature covers the method, the path
 * (double-encoded), the sorted query, every header but the unsigned few, and the SHA-256 of the exact body:
 * send exactly these bytes and headers, or AWS answers 403 `InvalidSignatureException`.
 */
export async function signAwsRequest(options: SignAwsRequestOptions): Promise<SignedAwsRequest> {
  const { credentials, region, service } = options;
  const url = new URL(options.url);
  const datetime = amzDate(options.date ?? new Date());
  const day = datetime.slice(0, 8);
  const payloadHash = await sha256Hex(options.body);

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    // Ours win: a caller's stale date, token or signature must not be sent beside the fresh ones.
    if (lower === 'x-amz-date' || lower === 'x-amz-security-token' || lower === 'authorization') continue;
    if (lower === 'host') continue;
    headers[lower] = value;
  }
  headers['x-amz-date'] = datetime;
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  if (options.contentSha256Header) headers['x-amz-content-sha256'] = payloadHash;

  const signed: [string, string][] = [['host', url.host]];
  for (const [name, value] of Object.entries(headers))
    if (!UNSIGNED.has(name)) signed.push([name, value.trim().replace(/\s+/g, ' ')]);
  signed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = signed.map(([name]) => name).join(';');

  const canonicalRequest = [
    options.method.toUpperCase(),
    canonicalUri(url.pathname),
    canonicalQuery(url.searchParams),
    signed.map(([name, value]) => `${name}:${value}\n`).join(''),
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', datetime, scope, await sha256Hex(canonicalRequest)].join('\n');

  let key = await hmac(encoder.encode(`AWS4${credentials.secretAccessKey}`), day);
  key = await hmac(key, region);
  key = await hmac(key, service);
  key = await hmac(key, 'aws4_request');
  const signature = hex(await hmac(key, stringToSign));

  headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  const token = credentials.sessionToken;
  return {
    headers,
    canonicalRequest: token ? canonicalRequest.split(token).join('[redacted]') : canonicalRequest,
    stringToSign,
    signedHeaders,
  };
}
