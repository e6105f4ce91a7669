/** A tool call requested by the model. `arguments` is the JSON text the model produced. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface SystemMessage {
  role: 'system';
  content: string;
}

export interface UserMessage {
  role: 'user';
  content: string;
}

export interface AssistantMessage {
  role: 'assistant';
  content: string;
  /** Tool calls the assistant made in this turn; answered by `tool` messages with the same ids. */
  toolCalls?: ToolCall[];
}

export interface ToolMessage {
  role: 'tool';
  /** The `ToolCall.id` this message answers. */
  toolCallId: string;
  /** Tool name; some wire formats (GigaChat, Gemini) need it. */
  name?: string;
  content: string;
}

/** One chat message. A plain string prompt is accepted wherever messages are and means one user message. */
export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

/** A prompt as callers give it: a string (one user message) or a list of messages. */
export type Prompt = string | readonly ChatMessage[];

/** Normalises a prompt to a fresh array of messages. */
export function toMessages(prompt: Prompt): ChatMessage[] {
  return typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : [...prompt];
}
