import type { FinishReason, RouteResult, StreamPart, TokenUsage } from '@llmo/core';

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export function toOpenAIFinishReason(reason: FinishReason): OpenAIFinishReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'tool-calls':
      return 'tool_calls';
    case 'content-filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}

export function toOpenAIUsage(usage: TokenUsage) {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
  };
}

/** A `RouteResult` as an OpenAI `chat.completion` object. */
export function toChatCompletion(result: RouteResult, id: string, created: number) {
  const toolCalls = result.toolCalls.map((c) => ({
    id: c.id,
    type: 'function' as const,
    function: { name: c.name, arguments: c.arguments },
  }));
  return {
    id,
    object: 'chat.completion' as const,
    created,
    model: result.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant' as const,
          content: toolCalls.length > 0 && result.text === '' ? null : result.text,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: toOpenAIFinishReason(result.finishReason),
      },
    ],
    usage: toOpenAIUsage(result.usage),
    system_fingerprint: null,
  };
}

/**
 * Turns the router's stream parts into OpenAI `chat.completion.chunk` deltas. Tool calls stream as OpenAI
 * does: the first fragment of a call carries its index, id and name, later ones only argument text; a call
 * that arrives whole (no fragments before it) is sent in one delta.
 */
export class OpenAIChunkMapper {
  private readonly toolIndex = new Map<string, number>();
  private readonly streamedTools = new Set<string>();
  private model: string;

  constructor(
    private readonly id: string,
    private readonly created: number,
    model: string,
  ) {
    this.model = model;
  }

  setModel(model: string): void {
    this.model = model;
  }

  chunk(delta: Record<string, unknown>, finishReason: OpenAIFinishReason | null = null): string {
    return JSON.stringify({
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      system_fingerprint: null,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    });
  }

  usageChunk(usage: TokenUsage): string {
    return JSON.stringify({
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      system_fingerprint: null,
      choices: [],
      usage: toOpenAIUsage(usage),
    });
  }

  private index(toolCallId: string): number {
    let index = this.toolIndex.get(toolCallId);
    if (index === undefined) {
      index = this.toolIndex.size;
      this.toolIndex.set(toolCallId, index);
    }
    return index;
  }

  /** The chunk for one part, or undefined for parts with nothing to send (`finish` is sent by the caller). */
  map(part: StreamPart): string | undefined {
    switch (part.type) {
      case 'text-delta':
        return this.chunk({ content: part.delta });
      case 'tool-call-delta': {
        const first = !this.streamedTools.has(part.toolCallId);
        this.streamedTools.add(part.toolCallId);
        const index = this.index(part.toolCallId);
        return this.chunk({
          tool_calls: [
            first
              ? {
                  index,
                  id: part.toolCallId,
                  type: 'function',
                  function: { name: part.toolName, arguments: part.argumentsDelta },
                }
              : { index, function: { arguments: part.argumentsDelta } },
          ],
        });
      }
      case 'tool-call': {
        if (this.streamedTools.has(part.id)) return undefined;
        this.streamedTools.add(part.id);
        return this.chunk({
          tool_calls: [
            {
              index: this.index(part.id),
              id: part.id,
              type: 'function',
              function: { name: part.name, arguments: part.arguments },
            },
          ],
        });
      }
      default:
        return undefined;
    }
  }
}
