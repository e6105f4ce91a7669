import { type ChatMessage, LlmoError, type ToolCall } from '@llmo/core';
import type { LanguageModelV2Prompt, LanguageModelV3Prompt } from './ai-sdk-types.js';

type AnyPrompt = LanguageModelV3Prompt | LanguageModelV2Prompt;
type ToolOutput = Extract<LanguageModelV3Prompt[number], { role: 'tool' }>['content'][number] extends infer P
  ? P extends { type: 'tool-result'; output: infer O }
    ? O
    : never
  : never;

/**
 * An AI SDK prompt (V2 or V3: the same message shapes) as llmo chat messages. The llmo contract carries text,
 * tool calls and tool results; a file (image, PDF) cannot be sent through it, so it is refused with an error
 * that says so instead of being dropped, which would silently change the question. Reasoning parts of earlier
 * assistant turns are the model's own scratchpad and are left out, as most providers ask.
 */
export function toLlmoMessages(prompt: AnyPrompt): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const message of prompt as LanguageModelV3Prompt) {
    switch (message.role) {
      case 'system':
        messages.push({ role: 'system', content: message.content });
        break;
      case 'user': {
        // Separate parts are separate paragraphs ("Summarise:" + the document): glued, words would run together.
        const texts: string[] = [];
        for (const part of message.content) {
          if (part.type === 'text') texts.push(part.text);
          else throw unsupportedFile(part.mediaType);
        }
        messages.push({ role: 'user', content: texts.join('\n') });
        break;
      }
      case 'assistant': {
        const texts: string[] = [];
        const toolCalls: ToolCall[] = [];
        const results: ChatMessage[] = [];
        for (const part of message.content) {
          if (part.type === 'text') texts.push(part.text);
          else if (part.type === 'tool-call')
            toolCalls.push({ id: part.toolCallId, name: part.toolName, arguments: toArguments(part.input) });
          else if (part.type === 'tool-result')
            // A provider-executed tool's result rides in the assistant turn; llmo has tool messages for it.
            results.push({
              role: 'tool',
              toolCallId: part.toolCallId,
              name: part.toolName,
              content: toolOutputText(part.output),
            });
          else if (part.type === 'file') throw unsupportedFile(part.mediaType);
          // 'reasoning': left out (see above).
        }
        const text = texts.join('\n');
        messages.push(
          toolCalls.length > 0
            ? { role: 'assistant', content: text, toolCalls }
            : { role: 'assistant', content: text },
        );
        messages.push(...results);
        break;
      }
      case 'tool':
        for (const part of message.content) {
          // 'tool-approval-response' parts are the AI SDK's own bookkeeping, answered before the model is called.
          if (part.type !== 'tool-result') continue;
          messages.push({
            role: 'tool',
            toolCallId: part.toolCallId,
            name: part.toolName,
            content: toolOutputText(part.output),
          });
        }
        break;
    }
  }
  return messages;
}

/** Tool-call input arrives parsed (an object); llmo carries the JSON text the model produced. */
function toArguments(input: unknown): string {
  if (typeof input === 'string') return input;
  return JSON.stringify(input ?? {});
}

/** Every AI SDK tool-output shape as the text a tool message carries. */
function toolOutputText(output: ToolOutput): string {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return output.value;
    case 'json':
    case 'error-json':
      return JSON.stringify(output.value);
    case 'execution-denied':
      return `Tool execution denied${output.reason ? `: ${output.reason}` : '.'}`;
    case 'content':
      return output.value
        .map((part) => {
          if (part.type === 'text') return part.text;
          throw unsupportedFile('mediaType' in part ? (part.mediaType ?? part.type) : part.type);
        })
        .join('');
    default:
      return JSON.stringify(output);
  }
}

function unsupportedFile(mediaType: string): LlmoError {
  return new LlmoError({
    name: 'UnsupportedContentError',
    message: `@llmo/ai-sdk: the prompt has a file part (${mediaType}); llmo providers take text, tool calls and tool results only. Send the file's text instead, or call that model directly.`,
  });
}
