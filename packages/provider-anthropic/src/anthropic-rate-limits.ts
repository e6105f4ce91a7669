const PREFIX = 'anthropic-ratelimit-';

/**
 * The `anthropic-ratelimit-*` response headers (protocol note §8), without the prefix: limits and remaining
 * counts as numbers, `*-reset` as the RFC 3339 timestamps the API sends. Undefined when there are none
 * (a proxy or a compatible server may not send them).
 *
 * @example { 'requests-limit': 1000, 'requests-remaining': 999, 'requests-reset': '2025-02-24T22:25:30Z' }
 */
export function readRateLimits(headers: Headers): Record<string, number | string> | undefined {
  const limits: Record<string, number | string> = {};
  headers.forEach((value, name) => {
    const key = name.toLowerCase();
    if (!key.startsWith(PREFIX)) return;
    const field = key.slice(PREFIX.length);
    const number = Number(value);
    limits[field] = field.endsWith('-reset') || value.trim() === '' || Number.isNaN(number) ? value : number;
  });
  return Object.keys(limits).length > 0 ? limits : undefined;
}

/** `usageMetadata` with the rate limits added under `anthropic.rateLimits`. */
export function withRateLimits(
  metadata: { anthropic: object } | undefined,
  rateLimits: Record<string, number | string> | undefined,
): { anthropic: object } | undefined {
  if (!rateLimits) return metadata;
  return { anthropic: { ...metadata?.anthropic, rateLimits } };
}
