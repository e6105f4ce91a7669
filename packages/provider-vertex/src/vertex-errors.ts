import type { ErrorMapper } from '@llmo/core/provider';
import { anthropicErrors } from '@llmo/provider-anthropic/protocol';
import { geminiErrors } from '@llmo/provider-gemini/protocol';

/** An Anthropic-layer body: `{"type": "error", "error": {"type", "message"}, "request_id"}`. */
function isAnthropicShaped(body: unknown): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const b = body as { type?: unknown; error?: { type?: unknown } };
  return b.type === 'error' || typeof b.error?.type === 'string';
}

/**
 * Errors of Gemini on Vertex: google.rpc.Status bodies, bare or wrapped in an array (pitfall 8), read by the
 * Gemini package's mapping (`UNAUTHENTICATED` → `auth`, `PERMISSION_DENIED` → `permission`,
 * `FAILED_PRECONDITION` — a model the project may not use — → `permission`, `RESOURCE_EXHAUSTED` with a
 * `RetryInfo` → `rate_limit` with its delay, an input over the window → `context_length`).
 */
export const vertexGeminiErrors: ErrorMapper = geminiErrors;

/**
 * Errors of Claude on Vertex come from two layers (pitfall 8): Google's (auth, quota, routing: google.rpc.Status,
 * sometimes array-wrapped) and Anthropic's (request validation: `{"type":"error", …, "request_id":"req_vrtx_…"}`).
 * Each body goes to the mapping of the package that owns its shape.
 */
export const vertexClaudeErrors: ErrorMapper = {
  classify: (info) =>
    isAnthropicShaped(info.body) ? anthropicErrors.classify(info) : geminiErrors.classify(info),
  details: (body) => (isAnthropicShaped(body) ? anthropicErrors.details(body) : geminiErrors.details(body)),
  inBody: (body, context) =>
    isAnthropicShaped(body) ? anthropicErrors.inBody(body, context) : geminiErrors.inBody(body, context),
};
