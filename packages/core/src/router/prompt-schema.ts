import * as z from 'zod/mini';
import { lazy } from '../provider-utils/lazy.js';

const text = (role: string) =>
  z.string({ error: `must be a string (the ${role} message's text; use "" for none)` });
const toolCall = () =>
  z.strictObject({
    id: z.string({ error: 'must be a string (the id a tool message answers)' }),
    name: z.string({ error: 'must be a string (the tool name)' }),
    arguments: z.string({ error: 'must be a JSON string, e.g. JSON.stringify(args)' }),
  });

const message = () =>
  z.discriminatedUnion(
    'role',
    [
      z.strictObject({ role: z.literal('system'), content: text('system') }),
      z.strictObject({ role: z.literal('user'), content: text('user') }),
      z.strictObject({
        role: z.literal('assistant'),
        content: text('assistant'),
        toolCalls: z.optional(z.array(toolCall())),
      }),
      z.strictObject({
        role: z.literal('tool'),
        toolCallId: z.string({ error: 'must be a string: the id of the tool call this message answers' }),
        name: z.optional(z.string()),
        content: text('tool'),
      }),
    ],
    { error: 'role must be "system", "user", "assistant" or "tool"' },
  );

/** A prompt given as messages; wrapped in an object so errors read `messages.1.role: …`. */
export const messagesSchema = lazy(() =>
  z.strictObject({
    messages: z.array(message(), { error: 'must be an array of { role, content } messages' }),
  }),
);
