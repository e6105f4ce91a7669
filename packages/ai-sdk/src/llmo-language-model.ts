import type { BaseRouter, RouteOptions } from '@llmo/core';
import { LlmoError } from '@llmo/core';
import type {
  LanguageModelV3,
  LanguageModelV3Content,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
} from './ai-sdk-types.js';
import type { LlmoModelOptions } from './llmo-model-options.js';
import { toProviderMetadata } from './route-result-metadata.js';
import type { SpecDialect } from './spec-dialect.js';
import { toAbortError } from './to-abort-error.js';
import { routeStreamToParts } from './to-ai-sdk-stream.js';
import { toLlmoMessages } from './to-llmo-messages.js';
import { type RouteCall, toRouteCall } from './to-route-options.js';

type CallOptions = Parameters<LanguageModelV3['doGenerate']>[0];
// biome-ignore lint/suspicious/noExplicitAny: the dialect's shapes are checked where each public factory casts
type AnyDialect = SpecDialect<any, any, any>;

/**
 * One implementation of the AI SDK language model over a router, for both specification versions: V2 and V3
 * carry the same content, prompt and stream parts, and differ only in the shapes the dialect builds.
 * The public factories (`createLlmoModel`, `createLlmoModelV2`) give it its exact type.
 */
export class LlmoLanguageModel {
  readonly specificationVersion: 'v2' | 'v3';
  readonly provider: string;
  readonly modelId: string;
  /** The llmo contract carries no files, so the AI SDK should never pass a URL through: it downloads them. */
  readonly supportedUrls: Record<string, RegExp[]> = {};
  readonly #router: BaseRouter;
  readonly #defaults: RouteOptions;
  readonly #dialect: AnyDialect;

  constructor(router: BaseRouter, options: LlmoModelOptions, dialect: AnyDialect) {
    this.#router = router;
    this.#defaults = options.routeOptions ?? {};
    this.#dialect = dialect;
    this.specificationVersion = dialect.specificationVersion;
    this.provider = options.provider ?? 'llmo';
    this.modelId = options.modelId ?? 'router';
  }

  async doGenerate(options: CallOptions): Promise<LanguageModelV3GenerateResult> {
    const call = this.#prepare(options);
    const messages = toLlmoMessages(options.prompt);
    const signal = options.abortSignal;
    const result = await this.#router.route(messages, call.options).catch((error: unknown) => {
      throw signal?.aborted ? toAbortError(signal, error) : error;
    });
    const content: LanguageModelV3Content[] = [];
    if (result.text.length > 0) content.push({ type: 'text', text: result.text });
    for (const toolCall of result.toolCalls) {
      content.push({
        type: 'tool-call',
        toolCallId: toolCall.id,
        toolName: toolCall.name,
        input: toolCall.arguments,
      });
    }
    return {
      content,
      finishReason: this.#dialect.finishReason(result.finishReason),
      usage: this.#dialect.usage(result.usage),
      providerMetadata: toProviderMetadata(result),
      request: { body: { messages } },
      response: {
        id: result.response?.id ?? result.requestId,
        modelId: result.response?.model ?? result.model,
        timestamp: new Date(),
      },
      warnings: [...this.#warnings(call), ...result.warnings.map((w) => this.#dialect.warning(w))],
    };
  }

  async doStream(options: CallOptions): Promise<{ stream: ReadableStream<LanguageModelV3StreamPart> }> {
    const call = this.#prepare(options);
    const signal = options.abortSignal;
    // Cancelling the returned stream aborts this: the router's iterator.return() waits behind a pending read,
    // which on a silent upstream would hold the connection until the idle timeout and blame the provider.
    const cancel = new AbortController();
    const routed = this.#router.routeStream(toLlmoMessages(options.prompt), {
      ...call.options,
      signal: signal ? AbortSignal.any([signal, cancel.signal]) : cancel.signal,
    });
    const stream = await routeStreamToParts(routed, {
      dialect: this.#dialect,
      warnings: this.#warnings(call),
      signal,
      cancel,
    }).catch((error: unknown) => {
      throw signal?.aborted ? toAbortError(signal, error) : error;
    });
    return { stream };
  }

  #prepare(options: CallOptions): RouteCall {
    if (!options || !Array.isArray(options.prompt)) {
      throw new LlmoError({
        name: 'InvalidPromptError',
        message:
          '@llmo/ai-sdk: the call has no prompt array; call the model through the AI SDK (generateText, streamText…)',
      });
    }
    return toRouteCall(options, this.#defaults);
  }

  #warnings(call: RouteCall): unknown[] {
    return [
      ...call.warnings.map((w) => this.#dialect.warning(w)),
      ...call.unsupportedTools.map((t) => this.#dialect.unsupportedTool(t)),
    ];
  }
}
