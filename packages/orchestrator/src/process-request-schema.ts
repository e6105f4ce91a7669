import { z } from '@llmo/core/provider';

const positiveMs = (what: string) =>
  z.number({ error: `must be a number (milliseconds: ${what})` }).check(z.positive({ error: 'must be > 0' }));
const strings = () => z.array(z.string({ error: 'must be strings' }), { error: 'must be a list of strings' });

// Built on first use: a top-level call would stay in every bundle that imports anything from this package.
let built: ReturnType<typeof buildProcessRequestSchema> | undefined;

/**
 * What `process()` accepts, strictly: a misspelt key (`templateVersoin`, `bypasCache`) or a route option
 * outside the documented ones (`temperature` comes from the task, where it is part of the cache key) is an
 * error naming the closest valid key, never silently ignored. Context items and history messages are
 * checked for the fields the orchestrator reads; other fields on them are the caller's and are kept.
 */
export const processRequestSchema = () => (built ??= buildProcessRequestSchema());

function buildProcessRequestSchema() {
  const message = z.object(
    {
      role: z.enum(['system', 'user', 'assistant', 'tool'], {
        error: 'must be "system", "user", "assistant" or "tool"',
      }),
      content: z.string({ error: 'must be a string (the message text)' }),
    },
    { error: 'must be a chat message { role, content }' },
  );
  const contextItem = z.object(
    {
      content: z.string({ error: 'must be a string (the passage text)' }),
      relevance: z.optional(z.number({ error: 'must be a number, 0..1' })),
      timestamp: z.optional(
        z.custom<number | Date>((v) => typeof v === 'number' || v instanceof Date, {
          error: 'must be ms since the epoch or a Date',
        }),
      ),
    },
    { error: 'must be a context item { content, relevance?, timestamp? }' },
  );
  return z.strictObject(
    {
      taskType: z.string({ error: 'must be a string (a task type of the orchestrator)' }),
      templateId: z.optional(z.string({ error: 'must be a string' })),
      templateVersion: z.optional(z.string({ error: 'must be a string' })),
      variables: z.optional(z.record(z.string(), z.unknown(), { error: 'must be an object' })),
      outputFormat: z.optional(
        z.enum(['text', 'json', 'code', 'markdown'], {
          error: 'must be "text", "json", "code" or "markdown"',
        }),
      ),
      schema: z.optional(
        z.custom<object>((v) => typeof v === 'object' && v !== null, {
          error: 'must be a Standard Schema (zod 4…) or a JSON Schema object',
        }),
      ),
      context: z.optional(z.array(contextItem, { error: 'must be a list of context items' })),
      history: z.optional(z.array(message, { error: 'must be a list of chat messages' })),
      signal: z.optional(
        z.custom<AbortSignal>((v) => typeof v === 'object' && v !== null && 'aborted' in v, {
          error: 'must be an AbortSignal',
        }),
      ),
      bypassCache: z.optional(z.boolean({ error: 'must be true or false' })),
      routeOptions: z.optional(
        z.strictObject(
          {
            headers: z.optional(
              z.record(z.string(), z.string({ error: 'header values must be strings' }), {
                error: 'must be an object of header names to strings',
              }),
            ),
            timeoutMs: z.optional(positiveMs('per-attempt timeout')),
            deadlineMs: z.optional(positiveMs('overall deadline')),
            tenantId: z.optional(z.string({ error: 'must be a string' })),
            platformKeyId: z.optional(z.string({ error: 'must be a string' })),
            seed: z.optional(z.int({ error: 'must be an integer' })),
            topP: z.optional(
              z
                .number({ error: 'must be a number, 0..1' })
                .check(z.gte(0, { error: 'must be ≥ 0' }), z.lte(1, { error: 'must be ≤ 1' })),
            ),
            stop: z.optional(strings()),
          },
          { error: 'must be an object' },
        ),
      ),
    },
    { error: 'must be an object with a taskType' },
  );
}
