import { INVALID_CALL_SETTINGS } from '../errors/error-codes.js';
import { CALLER_KINDS } from '../errors/error-kind.js';
import { ProviderError } from '../errors/provider-error.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import type { RequestContext } from './router-runtime.js';

/** Whose fault an attempt's failure was. Only provider faults touch a provider's health and circuit. */
export type Fault = 'provider' | 'caller';

export interface JudgedError {
  error: ProviderError;
  fault: Fault;
  /**
   * The provider could not build this request, so nothing was sent: it threw something other than a
   * `ProviderError`, or rejected a value outside its own documented range (`invalid-call-settings`, e.g.
   * `temperature: 1.5` for YandexGPT's 0–1). Another provider may accept it: the router tries the next.
   */
  providerSpecific?: boolean;
}

/**
 * The one place that turns whatever an attempt threw into a `ProviderError` and decides whose fault it was:
 * the caller's (its signal, its deadline, a request the provider rejected as bad, or anything the provider
 * threw that is not a `ProviderError`, which is what building a request from bad input looks like) or the
 * provider's. `timedOut` says the attempt's own timer (attempt, first-chunk or idle timeout) fired.
 */
export function judgeError(
  raw: unknown,
  provider: ProviderV1,
  context: RequestContext,
  timedOut: boolean,
): JudgedError {
  if (context.isCallerAborted()) {
    const error =
      ProviderError.isInstance(raw) && raw.kind === 'cancelled'
        ? raw
        : new ProviderError({
            kind: 'cancelled',
            provider: provider.name,
            message: 'Cancelled by the caller',
            cause: raw,
          });
    return { error, fault: 'caller' };
  }
  if (context.isDeadlineExceeded()) {
    const error = new ProviderError({
      kind: 'timeout',
      code: 'deadline-exceeded',
      provider: provider.name,
      retryable: false,
      message: 'The request deadline passed during this attempt',
      cause: raw,
    });
    return { error, fault: 'caller' };
  }
  if (timedOut && ProviderError.isInstance(raw)) return { error: raw, fault: 'provider' };
  if (ProviderError.isInstance(raw)) {
    if (raw.code === INVALID_CALL_SETTINGS) return { error: raw, fault: 'caller', providerSpecific: true };
    return { error: raw, fault: CALLER_KINDS.has(raw.kind) ? 'caller' : 'provider' };
  }
  const message = raw instanceof Error ? raw.message : String(raw);
  const error = new ProviderError({
    kind: 'bad_request',
    code: 'invalid-request',
    retryable: false,
    provider: provider.name,
    message: `${provider.name} could not handle this request: ${message}`,
    cause: raw,
  });
  return { error, fault: 'caller', providerSpecific: true };
}
