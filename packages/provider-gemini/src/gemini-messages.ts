import { type ChatMessage, ProviderError, parseToolArguments } from '@llmo/core/provider';

export type GeminiWirePart =
  | { text: string }
  | {
      functionCall: { name: string; args: unknown; id?: string };
      thoughtSignature?: string;
    }
  | { functionResponse: { name: string; response: Record<string, unknown>; id?: string } };

export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiWirePart[];
}

export interface GeminiPrompt {
  systemInstruction?: { parts: { text: string }[] };
  contents: GeminiContent[];
}

/**
 * The documented placeholder for a function call whose `thoughtSignature` is unknown (a turn written by
 * another provider, or by the application): Gemini 3 rejects a replayed `functionCall` without a signature
 * with HTTP 400 (pitfall 9).
 */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

const MAX_REMEMBERED_CALLS = 1000;

/**
 * What a provider remembers of the tool calls it received, by the id it gave them: the `thoughtSignature`
 * to echo on the same part in later turns (pitfall 9), and whether the id came from the wire (then it is
 * sent back in `functionCall.id` / `functionResponse.id`) or was made up here (ids may be absent). The
 * contract's `ToolCall` has no room for either, so they live here, per provider, bounded.
 */
export class GeminiToolCallMemory {
  private readonly calls = new Map<string, { signature?: string; wireId: boolean }>();

  remember(id: string, entry: { signature?: string; wireId: boolean }): void {
    this.calls.delete(id);
    this.calls.set(id, entry);
    if (this.calls.size > MAX_REMEMBERED_CALLS) this.calls.delete(this.calls.keys().next().value!);
  }

  get(id: string): { signature?: string; wireId: boolean } | undefined {
    return this.calls.get(id);
  }
}

export interface GeminiPromptOptions {
  provider: string;
  model: string;
  memory?: GeminiToolCallMemory;
}

/** Gemini 3 models validate thought signatures on replayed function calls. */
const needsSignatures = (model: string) => /(^|\/)gemini-3/.test(model);
/** Gemma models on the Gemini API take no `systemInstruction` (the AI SDK prepends it to the first user turn). */
const takesNoSystemInstruction = (model: string) => /(^|\/)gemma-/.test(model);

/** A tool result as the JSON object `functionResponse.response` must be. */
function toolResponse(content: string): Record<string, unknown> {
  let value: unknown = content;
  try {
    value = JSON.parse(content);
  } catch {
    // Plain text stays text.
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : { result: value };
}

/**
 * Contract messages → `systemInstruction` + `contents` (pitfall 3):
 * - system messages, wherever they are, become `systemInstruction` parts (for Gemma: text before the first
 *   user turn);
 * - `assistant` is role `model`; its tool calls are `functionCall` parts with `args` as an object, the
 *   remembered `thoughtSignature` echoed on the same part (on Gemini 3 the documented placeholder when
 *   none is known);
 * - a tool result is a `functionResponse` part in a `user` turn, named after the call it answers;
 * - adjacent turns of one role are merged, so the results of parallel calls go back together;
 * - empty text is left out (a part must have data).
 */
export function toGeminiPrompt(messages: readonly ChatMessage[], options: GeminiPromptOptions): GeminiPrompt {
  const { provider, model, memory } = options;
  const system: string[] = [];
  const contents: GeminiContent[] = [];
  const callNames = new Map<string, string>();
  const push = (role: 'user' | 'model', parts: GeminiWirePart[]) => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  const text = (value: string): GeminiWirePart[] => (value === '' ? [] : [{ text: value }]);

  for (const message of messages) {
    switch (message.role) {
      case 'system':
        if (message.content !== '') system.push(message.content);
        break;
      case 'user':
        push('user', text(message.content));
        break;
      case 'assistant': {
        const calls = (message.toolCalls ?? []).map((call, i): GeminiWirePart => {
          callNames.set(call.id, call.name);
          const known = memory?.get(call.id);
          const signature =
            known?.signature ?? (i === 0 && needsSignatures(model) ? SKIP_THOUGHT_SIGNATURE : undefined);
          return {
            functionCall: {
              name: call.name,
              args: parseToolArguments(call, {
                provider,
                message: `the arguments of the assistant's tool call "${call.name}" are not JSON; functionCall.args must be an object`,
              }),
              ...(known?.wireId ? { id: call.id } : {}),
            },
            ...(signature ? { thoughtSignature: signature } : {}),
          };
        });
        push('model', [...text(message.content), ...calls]);
        break;
      }
      case 'tool': {
        const name = message.name ?? callNames.get(message.toolCallId);
        if (!name) {
          throw new ProviderError({
            kind: 'bad_request',
            provider,
            message: `${provider}: the tool message for call "${message.toolCallId}" has no name, and no earlier assistant message made that call; functionResponse needs the function name (set name on the tool message)`,
          });
        }
        push('user', [
          {
            functionResponse: {
              name,
              response: toolResponse(message.content),
              ...(memory?.get(message.toolCallId)?.wireId ? { id: message.toolCallId } : {}),
            },
          },
        ]);
        break;
      }
      default: {
        const unknown: never = message;
        throw new Error(`Unknown message role: ${JSON.stringify((unknown as { role?: unknown }).role)}`);
      }
    }
  }

  if (system.length > 0 && takesNoSystemInstruction(model)) {
    const first = contents.find((c) => c.role === 'user');
    const prefix = { text: system.join('\n\n') };
    if (first) first.parts.unshift(prefix);
    else contents.unshift({ role: 'user', parts: [prefix] });
    return { contents };
  }
  return {
    systemInstruction: system.length ? { parts: system.map((t) => ({ text: t })) } : undefined,
    contents,
  };
}
