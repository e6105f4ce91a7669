import { createErrorMapper } from '@llmo/core/provider';

/**
 * What an error body from behind an AI SDK model means, beyond its status: the codes and messages of the
 * OpenAI-style bodies most AI SDK providers relay (`{ message, type, code }`, bare or under `error`). Core's
 * mapper reads the body generically, so one table serves an HTTP error (an `APICallError`'s body) and an error
 * inside a 200 stream (the AI SDK's `error` part), which has no status: there only the code says that a
 * `context_length_exceeded` is the caller's to fix and must not be retried. An HTTP error's
 * `x-should-retry: true|false` header decides whether it is retried, as in the OpenAI and Anthropic SDKs.
 */
export const aiSdkErrors = createErrorMapper({
  codes: {
    insufficient_quota: { kind: 'quota', retryable: false },
    context_length_exceeded: 'context_length',
    content_filter: 'content_filter',
    content_policy_violation: 'content_filter',
    invalid_api_key: 'auth',
    model_not_found: 'not_found',
    rate_limit_exceeded: 'rate_limit',
  },
  messages: [[/maximum context length|context window/i, 'context_length']],
  // The AI SDK's own `isRetryable` looks at the status only; the server's explicit word comes first.
  shouldRetryHeader: true,
});
