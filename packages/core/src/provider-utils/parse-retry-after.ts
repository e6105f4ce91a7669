/** Headers as fetch gives them, or a plain record (lower-case keys). */
export type HeadersLike = Headers | Record<string, string | undefined>;

function getHeader(headers: HeadersLike, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : record[key];
}

/**
 * How long the server asked the client to wait, in milliseconds, or undefined when it did not say.
 * Reads `retry-after-ms` (OpenAI, fractional milliseconds) first, then `Retry-After` as delta-seconds
 * (fractions accepted) or an HTTP date. A date in the past gives 0.
 */
export function parseRetryAfterMs(headers: HeadersLike, now: number = Date.now()): number | undefined {
  const ms = getHeader(headers, 'retry-after-ms')?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));

  const value = getHeader(headers, 'retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  // Only an HTTP date is left (it has a weekday and month name); Date.parse would read "-3" as a year.
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export { getHeader };
