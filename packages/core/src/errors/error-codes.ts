/**
 * `ProviderError.code` of a request a provider rejected before sending it, because a value is outside the
 * range that provider documents (`checkCallSettings`). The router treats it as the caller's fault for that
 * provider only, and tries the next one.
 */
export const INVALID_CALL_SETTINGS = 'invalid-call-settings';
