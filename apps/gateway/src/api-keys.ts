import type { GatewayKeyConfig } from '@llmo/config';

/** A configured key as the gateway holds it: its SHA-256 digest, never the key itself. */
export interface ApiKeyEntry {
  /**
   * Stable, unique id for limits, logs and usage records (`platformKeyId`): the key's `name` (names are unique,
   * checked by the config), else the first 16 hex digits of the key's SHA-256 digest. Never the position in
   * the list, which shifts when keys are reordered and would hand one key's window to another.
   */
  id: string;
  tenant: string;
  rpm: number | undefined;
  tpm: number | undefined;
  /** Provider names or model ids this key may use; undefined: all. */
  models: readonly string[] | undefined;
  /** May read every tenant's data (`/stats`, the dashboard). */
  admin: boolean;
  digest: Uint8Array;
}

const encoder = new TextEncoder();

async function sha256(text: string): Promise<Uint8Array> {
  // Web Crypto: available on Node ≥ 20 and every edge runtime, so the app stays mountable there.
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Compares two 32-byte digests in time that does not depend on where they differ. */
function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * The key table. Keys are compared as SHA-256 digests (a configured `keyHash` is one already), every
 * configured digest is compared on every lookup, and each comparison is constant-time: how long a lookup
 * takes says nothing about how close a guess was or which key matched.
 */
export class ApiKeys {
  private constructor(readonly entries: readonly ApiKeyEntry[]) {}

  /**
   * `onTrimmed(index)` is told about each configured key that had surrounding whitespace (a trailing newline
   * from a secrets file or `echo`): such a key could never match what a client sends, so it is trimmed.
   */
  static async create(
    keys: readonly GatewayKeyConfig[],
    onTrimmed?: (index: number) => void,
  ): Promise<ApiKeys> {
    const entries = await Promise.all(
      keys.map(async (k, i): Promise<ApiKeyEntry> => {
        let secret = k.key ?? '';
        if (k.key !== undefined && k.key.trim() !== k.key) {
          secret = k.key.trim();
          onTrimmed?.(i);
        }
        const digest = k.keyHash ? fromHex(k.keyHash.slice('sha256:'.length)) : await sha256(secret);
        return {
          id: k.name ?? toHex(digest).slice(0, 16),
          tenant: k.tenant,
          rpm: k.rpm,
          tpm: k.tpm,
          models: k.models,
          admin: k.admin === true,
          digest,
        };
      }),
    );
    return new ApiKeys(entries);
  }

  /** No keys configured: the gateway is open (the Node entry warns about it at start-up). */
  get open(): boolean {
    return this.entries.length === 0;
  }

  async find(presented: string): Promise<ApiKeyEntry | undefined> {
    const digest = await sha256(presented);
    let found: ApiKeyEntry | undefined;
    for (const entry of this.entries) {
      if (digestsEqual(entry.digest, digest)) found ??= entry;
    }
    return found;
  }
}

/**
 * The key a request presents: `Authorization: Bearer <key>` (OpenAI SDKs) or `x-api-key` (Anthropic-style
 * clients). An `Authorization` header of another scheme (a proxy's Basic auth) does not hide `x-api-key`.
 */
export function presentedKey(headers: Headers): string | undefined {
  const auth = headers.get('authorization');
  if (auth) {
    const match = /^Bearer\s+(.+)$/i.exec(auth.trim());
    const bearer = match?.[1]?.trim();
    if (bearer) return bearer;
  }
  return headers.get('x-api-key')?.trim() || undefined;
}
