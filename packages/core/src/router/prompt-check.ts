import type { ChatMessage } from '../spec/chat-message.js';

const isString = (v: unknown): v is string => typeof v === 'string';
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The keys each role's message may have (`messagesSchema` is strict: any other key is an error). */
const KEYS = new Map<string, ReadonlySet<string>>([
  ['system', new Set(['role', 'content'])],
  ['user', new Set(['role', 'content'])],
  ['assistant', new Set(['role', 'content', 'toolCalls'])],
  ['tool', new Set(['role', 'content', 'toolCallId', 'name'])],
]);
const TOOL_CALL_KEYS = new Set(['id', 'name', 'arguments']);

/** `Array.prototype.every` skips the holes of a sparse array; the schema does not. */
function every(items: readonly unknown[], check: (v: unknown) => boolean): boolean {
  for (let i = 0; i < items.length; i++) if (!check(items[i])) return false;
  return true;
}

function hasOnly(value: Record<string, unknown>, keys: ReadonlySet<string>): boolean {
  for (const key of Object.keys(value)) if (!keys.has(key)) return false;
  return true;
}

function isToolCall(v: unknown): boolean {
  return (
    isObject(v) && hasOnly(v, TOOL_CALL_KEYS) && isString(v.id) && isString(v.name) && isString(v.arguments)
  );
}

function isMessage(m: unknown): m is ChatMessage {
  if (!isObject(m) || !isString(m.role)) return false;
  const keys = KEYS.get(m.role);
  if (!keys || !hasOnly(m, keys) || !isString(m.content)) return false;
  if (m.role === 'assistant')
    return m.toolCalls === undefined || (Array.isArray(m.toolCalls) && every(m.toolCalls, isToolCall));
  if (m.role === 'tool') return isString(m.toolCallId) && (m.name === undefined || isString(m.name));
  return true;
}

/**
 * The prompt's messages checked without zod, copied (a caller that edits its array or its messages while
 * the request is in flight, e.g. appending the answer to its history, must not change what a retry sends);
 * `undefined` when the check fails, and then `messagesSchema` (built only then) names the problem. It accepts
 * only what the schema accepts, which prompt-check.test.ts checks over mutated prompts.
 */
export function checkMessages(prompt: readonly unknown[]): ChatMessage[] | undefined {
  const messages: ChatMessage[] = new Array(prompt.length);
  for (let i = 0; i < prompt.length; i++) {
    const m = prompt[i];
    if (!isMessage(m)) return undefined;
    messages[i] =
      m.role === 'assistant' && m.toolCalls
        ? { ...m, toolCalls: m.toolCalls.map((call) => ({ ...call })) }
        : { ...m };
  }
  return messages;
}
