import type { ErrorKind } from '../errors/error-kind.js';

/**
 * The default error kind for an HTTP status. Providers refine it from the body where their API says more
 * (OpenAI `insufficient_quota` → `quota`, `context_length_exceeded` → `context_length`).
 */
export function statusToErrorKind(status: number): ErrorKind {
  switch (status) {
    case 409: // a conflicting concurrent request: transient
      return 'server';
    case 401:
      return 'auth';
    case 402:
      return 'quota';
    case 403:
      return 'permission';
    case 404:
      return 'not_found';
    case 408:
    case 504:
      return 'timeout';
    case 413:
      return 'context_length';
    case 429:
      return 'rate_limit';
    case 503:
    case 529:
      return 'overloaded';
    default:
      if (status >= 500) return 'server';
      return 'bad_request';
  }
}
