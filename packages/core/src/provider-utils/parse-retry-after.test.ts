import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs } from './parse-retry-after.js';

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-11-21T10:00:00Z');

  it('reads delta-seconds, including fractions', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '7' }), now)).toBe(7000);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '0.5' }), now)).toBe(500);
  });

  it('reads an HTTP date, and a past date as 0', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'Sat, 21 Nov 2026 10:00:30 GMT' }), now)).toBe(
      30_000,
    );
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'Sat, 21 Nov 2026 09:00:00 GMT' }), now)).toBe(0);
  });

  it('prefers retry-after-ms (OpenAI) over retry-after', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after-ms': '1234.5', 'retry-after': '9' }), now)).toBe(
      1235,
    );
  });

  it('returns undefined for absent or malformed values', () => {
    expect(parseRetryAfterMs(new Headers(), now)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '-3' }), now)).toBeUndefined();
  });

  it('accepts a plain record with any header case', () => {
    expect(parseRetryAfterMs({ 'Retry-After': '2' }, now)).toBe(2000);
  });
});
