/** Decides whether a request may see the dashboard. */
export type DashboardAuthorizer = (request: Request) => boolean | Promise<boolean>;

/**
 * An authorizer from a key check (the gateway's, or your own): takes the key from `Authorization: Bearer <key>`
 * (API clients, `curl -H`) or from HTTP Basic auth's password (what a browser sends after its login prompt;
 * the user name is ignored). Browsers cannot add a Bearer header to a page load or an `EventSource`, which is
 * why Basic is accepted too. The key is only passed to `isValid`, never stored or logged.
 *
 * Compare in constant time (`crypto.timingSafeEqual` over digests, or your key store's lookup by hash): a
 * plain `===` tells an attacker, by how long it takes, how much of a guess matched.
 *
 * @example
 * createDashboard({ router, authorize: authorizeKey((key) => timingSafeEqual(digest(key), expectedDigest)) });
 */
export function authorizeKey(isValid: (key: string) => boolean | Promise<boolean>): DashboardAuthorizer {
  return async (request) => {
    const key = keyFrom(request.headers.get('authorization'));
    if (key === undefined || key.length === 0) return false;
    return (await isValid(key)) === true;
  };
}

function keyFrom(header: string | null): string | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!scheme || !value) return undefined;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() !== 'basic') return undefined;
  try {
    const bytes = Uint8Array.from(atob(value), (char) => char.charCodeAt(0));
    const credentials = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    const colon = credentials.indexOf(':');
    if (colon < 0) return undefined;
    const password = credentials.slice(colon + 1);
    return password.length > 0 ? password : credentials.slice(0, colon);
  } catch {
    return undefined; // not base64 or not UTF-8: no key
  }
}
