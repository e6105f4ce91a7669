import type { ChatMessage } from './chat-message.js';

/** A JSON Schema object (draft 2020-12 subset, as providers accept it). */
export type JsonSchema = Record<string, unknown>;

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: JsonSchema;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'tool'; name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json' }
  | { type: 'json-schema'; schema: JsonSchema; name?: string; description?: string; strict?: boolean };

/**
 * Options a provider may honour that are specific to it, namespaced by provider type:
 * `{ openai: { logprobs: true }, ollama: { keep_alive: '5m' } }`. A provider reads only its own key.
 */
export type ProviderOptions = Record<string, Record<string, unknown>>;

/** What a provider is asked to do. Every field but `messages` is optional. */
export interface ChatRequest {
  messages: ChatMessage[];
  temperature?: number;
  topP?: number;
  /** Upper bound on generated tokens. */
  maxTokens?: number;
  stop?: string[];
  responseFormat?: ResponseFormat;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  seed?: number;
  /** Aborts the call, including a stream in progress. */
  signal?: AbortSignal;
  /** Extra HTTP headers for this request. */
  headers?: Record<string, string>;
  providerOptions?: ProviderOptions;
}

/** The generation settings of a request, i.e. everything but messages, signal and headers. */
export type CallSettings = Omit<ChatRequest, 'messages' | 'signal' | 'headers'>;
