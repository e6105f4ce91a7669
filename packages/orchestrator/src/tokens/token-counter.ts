import type { ChatMessage } from '@llmo/core';
import { estimateTokens } from '@llmo/core';
import { type EncodingName, encodingForModel } from './encoding-for-model.js';

/** A count, and whether it came from the model's real tokenizer (`estimated: false`) or an estimate. */
export interface TokenCount {
  tokens: number;
  estimated: boolean;
  /** The encoding used, when the count is exact. */
  encoding?: EncodingName;
}

/** Counts synchronously once loaded: what pruning calls for every item. */
export interface TextTokenizer {
  readonly estimated: boolean;
  readonly encoding?: EncodingName;
  count(text: string): number;
}

/** Token counting for a model: exact where its encoding is known, estimated (and marked) otherwise. */
export interface TokenCounter {
  /** The tokenizer for `model`, loading its encoding on first use. */
  forModel(model: string | undefined): Promise<TextTokenizer>;
  count(text: string, model?: string): Promise<TokenCount>;
  /** A chat prompt: each message's content plus the framing chat formats add per message. */
  countMessages(messages: readonly ChatMessage[], model?: string): Promise<TokenCount>;
}

/** OpenAI's documented chat framing: ~3 tokens per message, plus 3 priming the reply. */
export const PER_MESSAGE = 3;
export const PER_REPLY = 3;

/**
 * One message's tokens: its framing, its content, and what else goes on the wire with it (an assistant's
 * tool calls, their names and JSON arguments, which can dwarf the content; a tool message's name).
 */
export function messageTokens(message: ChatMessage, count: (text: string) => number): number {
  let tokens = PER_MESSAGE + count(message.content);
  if (message.role === 'assistant' && message.toolCalls)
    for (const call of message.toolCalls) tokens += PER_MESSAGE + count(call.name) + count(call.arguments);
  if (message.role === 'tool' && message.name) tokens += count(message.name);
  return tokens;
}

/** A chat prompt's tokens: every message, plus the reply's priming. */
export function promptTokens(messages: readonly ChatMessage[], count: (text: string) => number): number {
  let tokens = messages.length > 0 ? PER_REPLY : 0;
  for (const message of messages) tokens += messageTokens(message, count);
  return tokens;
}

/** The estimate core uses for usage without counts (~4 ASCII or 2 other characters per token). */
export const estimateTokenizer: TextTokenizer = { estimated: true, count: estimateTokens };

export interface TokenCounterOptions {
  /**
   * Loads an encoding. The default imports gpt-tokenizer's module for it with a dynamic `import()`, so the
   * ranks (1–2 MB each) load only when a model with that encoding is counted, and a bundler that splits
   * code puts them in their own chunk.
   */
  loadEncoding?: (encoding: EncodingName) => Promise<(text: string) => number>;
  /** Map more models to an encoding (a fine-tune, a proxy's alias): checked before the built-in prefixes. */
  models?: Record<string, EncodingName>;
}

async function loadGptTokenizer(encoding: EncodingName): Promise<(text: string) => number> {
  const module =
    encoding === 'o200k_base'
      ? await import('gpt-tokenizer/encoding/o200k_base')
      : await import('gpt-tokenizer/encoding/cl100k_base');
  return (text) => module.countTokens(text);
}

/**
 * A token counter: exact counts with gpt-tokenizer for OpenAI models, an estimate marked `estimated: true`
 * for the rest. Each encoding is loaded once (concurrent first uses share the load); a load that fails is
 * not cached (that count is an estimate, marked so) and the next call tries again.
 *
 * @example
 * const counter = createTokenCounter();
 * const { tokens, estimated } = await counter.count('Hello, world', 'gpt-4o-mini'); // 4, false
 */
export function createTokenCounter(options: TokenCounterOptions = {}): TokenCounter {
  const load = options.loadEncoding ?? loadGptTokenizer;
  const loading = new Map<EncodingName, Promise<TextTokenizer>>();
  const forModel = (model: string | undefined): Promise<TextTokenizer> => {
    const encoding = (model && options.models?.[model]) || encodingForModel(model);
    if (!encoding) return Promise.resolve(estimateTokenizer);
    let pending = loading.get(encoding);
    if (!pending) {
      pending = load(encoding).then(
        (count): TextTokenizer => ({ estimated: false, encoding, count }),
        // A tokenizer that cannot load (a bundle without it, a CSP) must not fail the request: estimate,
        // marked as such, and try again on the next call.
        () => {
          loading.delete(encoding);
          return estimateTokenizer;
        },
      );
      loading.set(encoding, pending);
    }
    return pending;
  };
  const describe = (tokenizer: TextTokenizer, tokens: number): TokenCount => ({
    tokens,
    estimated: tokenizer.estimated,
    ...(tokenizer.encoding ? { encoding: tokenizer.encoding } : {}),
  });
  return {
    forModel,
    async count(text, model) {
      const tokenizer = await forModel(model);
      return describe(tokenizer, tokenizer.count(text));
    },
    async countMessages(messages, model) {
      const tokenizer = await forModel(model);
      return describe(tokenizer, promptTokens(messages, tokenizer.count));
    },
  };
}

/** A counter that never loads a tokenizer: every count is an estimate, marked so. The smallest bundle. */
export const estimateTokenCounter: TokenCounter = {
  forModel: () => Promise.resolve(estimateTokenizer),
  count: (text) => Promise.resolve({ tokens: estimateTokens(text), estimated: true }),
  countMessages: (messages) =>
    Promise.resolve({ tokens: promptTokens(messages, estimateTokens), estimated: true }),
};
