/** Why a provider call failed, independent of the provider. The router decides from this, never from text. */
export type ErrorKind =
  | 'auth'
  | 'permission'
  | 'rate_limit'
  | 'quota'
  | 'timeout'
  | 'network'
  | 'server'
  | 'overloaded'
  | 'bad_request'
  | 'not_found'
  | 'content_filter'
  | 'context_length'
  | 'invalid_response'
  | 'cancelled';

/** Kinds that are transient: the same request may succeed on the same provider after a pause. */
export const RETRYABLE_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'rate_limit',
  'timeout',
  'network',
  'server',
  'overloaded',
]);

/** Kinds caused by the request itself: sending it elsewhere will not help. */
export const CALLER_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'bad_request',
  'cancelled',
  'context_length',
]);
