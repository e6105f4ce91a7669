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

function hasOnly(value: Record<string, unknown>, keys: ReadonlySet<string>): boolean {
  for (const key of Object.keys(value)) if (!keys.has(key)) return false;
  return true;
}

/**
 * The message rebuilt from the values checked, field by field, as the schema outputs it: never a spread of the
 * input, which would drop a `role` read through a getter or the prototype and could differ from what a getter
 * returned to the check. `undefined` when a field is wrong (the schema then decides and names it).
 */
function copyMessage(m: unknown): ChatMessage | undefined {
  if (!isObject(m)) return undefined;
  const role = m.role;
  const content = m.content;
  if (!isString(role) || !isString(content)) return undefined;
  const keys = KEYS.get(role);
  if (!keys || !hasOnly(m, keys)) return undefined;
  if (role === 'system' || role === 'user') return { role, content };
  if (role === 'assistant') {
    const toolCalls = m.toolCalls;
    if (toolCalls === undefined) return { role, content };
    if (!Array.isArray(toolCalls)) return undefined;
    const calls: { id: string; name: string; arguments: string }[] = new Array(toolCalls.length);
    for (let i = 0; i < toolCalls.length; i++) {
      const call = copyToolCall(toolCalls[i]);
      if (!call) return undefined;
      calls[i] = call;
    }
    return { role, content, toolCalls: calls };
  }
  const toolCallId = m.toolCallId;
  const name = m.name;
  if (!isString(toolCallId) || (name !== undefined && !isString(name))) return undefined;
  return name === undefined
    ? { role: 'tool', content, toolCallId }
    : { role: 'tool', content, toolCallId, name };
}

function copyToolCall(v: unknown): { id: string; name: string; arguments: string } | undefined {
  if (!isObject(v) || !hasOnly(v, TOOL_CALL_KEYS)) return undefined;
  const { id, name } = v;
  const args = v.arguments;
  return isString(id) && isString(name) && isString(args) ? { id, name, arguments: args } : undefined;
}

/**
 * The prompt's messages checked without zod and copied from the values checked (a caller that edits its array
 * or its messages while the request is in flight, e.g. appending the answer to its history, must not change
 * what a retry sends); `undefined` when the check fails, and then `messagesSchema` (built only then) names the
 * problem. It accepts only what the schema accepts, which fast-checks.test.ts checks over mutated prompts.
 */
export function checkMessages(prompt: readonly unknown[]): ChatMessage[] | undefined {
  const messages: ChatMessage[] = new Array(prompt.length);
  for (let i = 0; i < prompt.length; i++) {
    const message = copyMessage(prompt[i]);
    if (!message) return undefined;
    messages[i] = message;
  }
  return messages;
}
