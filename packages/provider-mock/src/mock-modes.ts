import { ProviderError } from '@llmo/core/provider';

/** Failure modes chosen by model name, as in the seed (case-insensitive). Any other model behaves normally. */
export type MockMode =
  | 'normal'
  | 'timeout'
  | 'ratelimit'
  | 'auth-error'
  | 'invalid-request'
  | 'server-error'
  | 'flaky'
  | 'stream-break';

export function modeOf(model: string): MockMode {
  const m = model.toLowerCase();
  const known: Record<string, MockMode> = {
    'mock-timeout': 'timeout',
    'mock-ratelimit': 'ratelimit',
    'mock-auth-error': 'auth-error',
    'mock-invalid-request': 'invalid-request',
    'mock-server-error': 'server-error',
    'mock-flaky': 'flaky',
    'mock-stream-break': 'stream-break',
  };
  return known[m] ?? 'normal';
}

/** The error a failing mode raises, shaped as a real provider would report it. */
export function errorFor(mode: MockMode, provider: string, retryAfterMs: number): ProviderError | undefined {
  switch (mode) {
    case 'timeout':
      return new ProviderError({
        kind: 'timeout',
        status: 408,
        provider,
        message: `${provider}: mock timeout simulation`,
      });
    case 'ratelimit':
      return new ProviderError({
        kind: 'rate_limit',
        status: 429,
        provider,
        retryAfterMs,
        message: `${provider}: mock rate limit simulation`,
      });
    case 'auth-error':
      return new ProviderError({
        kind: 'auth',
        status: 401,
        provider,
        message: `${provider}: mock authentication failure`,
      });
    case 'invalid-request':
      return new ProviderError({
        kind: 'bad_request',
        status: 400,
        provider,
        message: `${provider}: mock invalid request`,
      });
    case 'server-error':
    case 'flaky':
      return new ProviderError({
        kind: 'server',
        status: 500,
        provider,
        message: `${provider}: mock server error`,
      });
    default:
      return undefined;
  }
}
