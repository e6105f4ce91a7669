import { LlmoError, type RouteResult } from '@llmo/core';

/**
 * The LangChain custom event (`on_custom_event` in `streamEvents`) ChatLlmo and LlmoLLM dispatch when the
 * provider revises text they have streamed: `{ id, text }`, the text block and its whole text now.
 */
export const TEXT_REVISED_EVENT = 'llmo:text-revised';

const name = 'StreamRevisedError';
const marker = `llmo.error.${name}`;
const symbol = Symbol.for(marker);

/**
 * The provider revised text it had already streamed (YandexGPT's cumulative stream may rewrite earlier
 * text), but LangChain's `stream()` concatenates chunks and cannot take one back. Thrown once the provider's
 * stream has ended, so it carries the final answer: `text` is what `invoke()` would have returned, and
 * `result` the router's whole result (provider, usage, cost, attempts).
 */
export class StreamRevisedError extends LlmoError {
  protected readonly [symbol] = true;
  readonly code = 'text-revised';
  /** The provider that revised its text. */
  readonly provider: string;
  /** The text block that was revised. */
  readonly textId: string;
  /** The text the stream had yielded when the revision came (the chunks concatenated). */
  readonly streamedText: string;
  /** The provider's final text: the answer `invoke()` returns. */
  readonly text: string;
  readonly result: RouteResult;

  constructor(options: { textId: string; streamedText: string; result: RouteResult }) {
    const { result } = options;
    super({
      name,
      message:
        `The provider "${result.provider}" revised text it had already streamed (text block "${options.textId}"); ` +
        `LangChain's stream() cannot take back chunks it has yielded. invoke() returns the provider's final text; ` +
        `this error carries it too (error.text).`,
    });
    this.provider = result.provider;
    this.textId = options.textId;
    this.streamedText = options.streamedText;
    this.text = result.text;
    this.result = result;
  }

  static override isInstance(error: unknown): error is StreamRevisedError {
    return LlmoError.hasMarker(error, marker);
  }
}
