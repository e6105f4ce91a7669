import { createErrorMapper, lazySchema } from '@llmo/core/provider';
import * as z from '@llmo/core/zod';

/**
 * Ollama's errors (protocol note 7): `{"error": "<message>"}`, with the real status before a stream starts,
 * and as one more NDJSON line of a 200 stream once it has (pitfall 4), where only the message tells what
 * happened: a model that is not there is `not_found`, a full queue (`server busy`) is `overloaded`, anything
 * else a retryable `server` error.
 */
export const ollamaErrors = createErrorMapper({
  schema: lazySchema(() => z.looseObject({ error: z.string() })),
  read: (body) => ({ message: body.error }),
  messages: [
    [/model ['"].*['"] not found/i, 'not_found'],
    [/server busy/i, 'overloaded'],
  ],
});
