import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import { BaseLLM, type BaseLLMCallOptions, type BaseLLMParams } from '@langchain/core/language_models/llms';
import { GenerationChunk, type LLMResult } from '@langchain/core/outputs';
import type { BaseRouter, RouteOptions } from '@llmo/core';
import { assertRouter } from './assert-router.js';
import { mergeRouteOptions } from './merge-route-options.js';
import { toResponseMetadata } from './route-result-metadata.js';
import { StreamRevisedError, TEXT_REVISED_EVENT } from './stream-revised-error.js';
import { goesToCaller, markToCaller } from './stream-to-caller.js';
import { type RoutedPart, StreamedText, TAKEN_BACK, type TextRevisionPart } from './streamed-text.js';

export interface LlmoLLMCallOptions extends BaseLLMCallOptions {
  /** Routing hints and generation settings for this call. */
  route?: RouteOptions;
}

export interface LlmoLLMFields extends BaseLLMParams {
  router: BaseRouter;
  routeOptions?: RouteOptions;
}

/**
 * A LangChain text LLM (string in, string out) over an llmo router, for chains that want strings. Each prompt
 * is one user message. `generationInfo` carries the provider, cost and attempts.
 */
export class LlmoLLM extends BaseLLM<LlmoLLMCallOptions> {
  static override lc_name(): string {
    return 'LlmoLLM';
  }

  readonly router: BaseRouter;
  readonly routeOptions: RouteOptions;

  constructor(fields: LlmoLLMFields) {
    super(fields ?? {});
    this.router = assertRouter(fields?.router, 'LlmoLLM');
    this.routeOptions = fields.routeOptions ?? {};
  }

  _llmType(): string {
    return 'llmo';
  }

  override get callKeys(): string[] {
    return [...super.callKeys, 'route'];
  }

  private routeOptionsFor(options: this['ParsedCallOptions']): RouteOptions {
    return mergeRouteOptions(this.routeOptions, options);
  }

  /** The prompts of one `generate()` call are routed concurrently (LangChain's `batch` bounds them with maxConcurrency). */
  async _generate(
    prompts: string[],
    options: this['ParsedCallOptions'],
    _runManager?: CallbackManagerForLLMRun,
  ): Promise<LLMResult> {
    const results = await Promise.all(
      prompts.map((prompt) => this.router.route(prompt, this.routeOptionsFor(options))),
    );
    return {
      generations: results.map((result) => [
        { text: result.text, generationInfo: toResponseMetadata(result) },
      ]),
      llmOutput: {
        tokenUsage: results.reduce(
          (sum, r) => ({
            promptTokens: sum.promptTokens + r.usage.promptTokens,
            completionTokens: sum.completionTokens + r.usage.completionTokens,
            totalTokens: sum.totalTokens + r.usage.totalTokens,
          }),
          { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
        ),
      },
    };
  }

  /** `stream()` hands chunks to the caller as they come: mark those calls (see ChatLlmo). */
  override async *_streamIterator(
    input: BaseLanguageModelInput,
    options?: Partial<LlmoLLMCallOptions>,
  ): AsyncGenerator<string> {
    yield* super._streamIterator(input, markToCaller(options));
  }

  /**
   * Token by token. A text revision that changes streamed text ends `stream()` with `StreamRevisedError`
   * (carrying the final text) once the provider has finished; when LangChain streams only to build
   * `invoke()`'s result, that result is the provider's final text. See ChatLlmo.
   */
  override async *_streamResponseChunks(
    prompt: string,
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<GenerationChunk> {
    const toCaller = goesToCaller(options);
    const stream = this.router.routeStream(prompt, this.routeOptionsFor(options));
    const given = new StreamedText();
    for await (const part of stream.parts as AsyncIterable<RoutedPart>) {
      const delta = given.read(part);
      if (delta === TAKEN_BACK) {
        const { id, text } = part as TextRevisionPart;
        await runManager?.handleCustomEvent?.(TEXT_REVISED_EVENT, { id, text });
      } else if (delta && !(toCaller && given.takenBack)) {
        const chunk = new GenerationChunk({ text: delta });
        if (toCaller) yield chunk;
        await runManager?.handleLLMNewToken(delta, undefined, undefined, undefined, undefined, { chunk });
      }
    }
    const result = await stream.result;
    if (toCaller && given.takenBack) throw new StreamRevisedError({ ...given.takenBack, result });
    // Aggregated by LangChain into invoke()'s result: the final text in one chunk.
    yield new GenerationChunk({
      text: toCaller ? '' : result.text,
      generationInfo: toResponseMetadata(result),
    });
  }
}
