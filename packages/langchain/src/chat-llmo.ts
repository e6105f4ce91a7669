import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type {
  BaseLanguageModelInput,
  StructuredOutputMethodOptions,
} from '@langchain/core/language_models/base';
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
  type BindToolsInput,
  type LangSmithParams,
} from '@langchain/core/language_models/chat_models';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import type { SerializableSchema } from '@langchain/core/utils/standard_schema';
import type { ZodV3Like, ZodV4Like } from '@langchain/core/utils/types';
import type { BaseRouter, Capability, ResponseFormat, RouteOptions, ToolDefinition } from '@llmo/core';
import { assertRouter } from './assert-router.js';
import { mergeRouteOptions } from './merge-route-options.js';
import { toMessage } from './route-result-message.js';
import { toResponseMetadata, toUsageMetadata } from './route-result-metadata.js';
import { StreamRevisedError, TEXT_REVISED_EVENT } from './stream-revised-error.js';
import { goesToCaller, markToCaller } from './stream-to-caller.js';
import { type RoutedPart, StreamedText, TAKEN_BACK, type TextRevisionPart } from './streamed-text.js';
import { toLlmoMessages } from './to-llmo-messages.js';
import { toLlmoToolChoice, toLlmoTools } from './to-llmo-tools.js';
import { withStructuredOutput } from './with-structured-output.js';

// biome-ignore lint/suspicious/noExplicitAny: BaseChatModel's withStructuredOutput overloads are declared with it.
type AnyRecord = Record<string, any>;

/** Per-call options: LangChain's (signal, stop, tools, tool_choice, callbacks…) plus the router's hints. */
export interface ChatLlmoCallOptions extends BaseChatModelCallOptions {
  /** Tools in LangChain's forms; usually set by `bindTools`. */
  tools?: BindToolsInput[];
  /** Routing hints and generation settings for this call (preferredProvider, excludeProviders, maxCost…). */
  route?: RouteOptions;
  /**
   * The answer's format, in the router's shape: `{ type: 'json' }` or `{ type: 'json-schema', schema, name?,
   * strict? }`; usually set by `withStructuredOutput`. Wins over `route.responseFormat`, so a call's routing
   * hints cannot drop it.
   */
  responseFormat?: ResponseFormat;
}

export interface ChatLlmoFields extends BaseChatModelParams {
  /** A `Router` (or `BaseRouter`) with at least one provider. */
  router: BaseRouter;
  /** Defaults for every call: temperature, maxTokens, routing hints… (a call's `route` overrides them). */
  routeOptions?: RouteOptions;
}

/**
 * A LangChain chat model whose every call goes through an llmo router: strategy, retries, fallback and the
 * circuit breaker happen inside one model call, so bound tools, callbacks and structured output survive a
 * fallback. `response_metadata` says which provider answered, what it cost and every attempt.
 */
export class ChatLlmo extends BaseChatModel<ChatLlmoCallOptions, AIMessageChunk> {
  static override lc_name(): string {
    return 'ChatLlmo';
  }

  readonly router: BaseRouter;
  readonly routeOptions: RouteOptions;

  constructor(fields: ChatLlmoFields) {
    super(fields ?? {});
    this.router = assertRouter(fields?.router, 'ChatLlmo');
    this.routeOptions = fields.routeOptions ?? {};
  }

  _llmType(): string {
    return 'llmo';
  }

  override get callKeys(): string[] {
    return [...super.callKeys, 'tools', 'tool_choice', 'route', 'responseFormat'];
  }

  override getLsParams(options: this['ParsedCallOptions']): LangSmithParams {
    const route = { ...this.routeOptions, ...options.route };
    return {
      ls_provider: 'llmo',
      ls_model_name: route.preferredProvider ?? 'router',
      ls_model_type: 'chat',
      ls_temperature: route.temperature,
      ls_max_tokens: route.maxTokens,
      ls_stop: options.stop,
    };
  }

  /**
   * Binds tools for every call of the returned runnable. The router only picks providers that declare tool
   * support, so a fallback lands on a provider that can call them.
   */
  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<ChatLlmoCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, ChatLlmoCallOptions> {
    return this.withConfig({ tools, ...kwargs } as Partial<ChatLlmoCallOptions>);
  }

  /**
   * Structured output as LangChain's own chat models do it: `method: 'functionCalling'` (default) binds one
   * tool and forces it with `tool_choice`; `'jsonMode'` asks for `responseFormat: { type: 'json' }`;
   * `'jsonSchema'` sends the schema as `responseFormat: { type: 'json-schema', … }` and routes only to
   * providers that declare JSON-schema support. `includeRaw: true` returns `{ raw, parsed }`, with
   * `parsed: null` and `parsing_error` when the answer does not parse. Zod v3/v4, Standard Schema or JSON schema.
   */
  override withStructuredOutput<RunOutput extends AnyRecord = AnyRecord>(
    outputSchema: SerializableSchema<RunOutput>,
    config?: StructuredOutputMethodOptions<false>,
  ): Runnable<BaseLanguageModelInput, RunOutput>;
  override withStructuredOutput<RunOutput extends AnyRecord = AnyRecord>(
    outputSchema: SerializableSchema<RunOutput>,
    config?: StructuredOutputMethodOptions<true>,
  ): Runnable<BaseLanguageModelInput, { raw: BaseMessage; parsed: RunOutput }>;
  override withStructuredOutput<RunOutput extends AnyRecord = AnyRecord>(
    outputSchema: ZodV4Like<RunOutput> | AnyRecord,
    config?: StructuredOutputMethodOptions<false>,
  ): Runnable<BaseLanguageModelInput, RunOutput>;
  override withStructuredOutput<RunOutput extends AnyRecord = AnyRecord>(
    outputSchema: ZodV4Like<RunOutput> | AnyRecord,
    config?: StructuredOutputMethodOptions<true>,
  ): Runnable<BaseLanguageModelInput, { raw: BaseMessage; parsed: RunOutput }>;
  override withStructuredOutput<RunOutput extends AnyRecord = AnyRecord>(
    outputSchema: ZodV3Like<RunOutput> | AnyRecord,
    config?: StructuredOutputMethodOptions<false>,
  ): Runnable<BaseLanguageModelInput, RunOutput>;
  override withStructuredOutput<RunOutput extends AnyRecord = AnyRecord>(
    outputSchema: ZodV3Like<RunOutput> | AnyRecord,
    config?: StructuredOutputMethodOptions<true>,
  ): Runnable<BaseLanguageModelInput, { raw: BaseMessage; parsed: RunOutput }>;
  override withStructuredOutput(
    outputSchema: unknown,
    config?: StructuredOutputMethodOptions<boolean>,
  ): Runnable<BaseLanguageModelInput, unknown> {
    return withStructuredOutput(this, outputSchema, config);
  }

  /**
   * The router's options for one call, with bound tools and the response format added, and the capabilities
   * they require (`tools`, `jsonSchema`), so a fallback lands only on a provider that honours them.
   */
  private routeOptionsFor(options: this['ParsedCallOptions']): RouteOptions {
    const route = mergeRouteOptions(this.routeOptions, options);
    const required = new Set<Capability>(route.requiredCapabilities ?? []);
    if (options.tools?.length) {
      const tools: ToolDefinition[] = toLlmoTools(options.tools);
      required.add('tools');
      route.tools = tools;
      const toolChoice = toLlmoToolChoice(options.tool_choice);
      if (toolChoice) route.toolChoice = toolChoice;
    }
    if (options.responseFormat) route.responseFormat = options.responseFormat;
    if (route.responseFormat?.type === 'json-schema') required.add('jsonSchema');
    if (required.size > 0) route.requiredCapabilities = [...required];
    return route;
  }

  async _generate(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    _runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const result = await this.router.route(toLlmoMessages(messages), this.routeOptionsFor(options));
    return {
      generations: [
        {
          text: result.text,
          message: toMessage(result),
          generationInfo: { finish_reason: result.finishReason },
        },
      ],
      llmOutput: { tokenUsage: result.usage, provider: result.provider, cost: result.cost },
    };
  }

  /** `stream()`, `transform()` and `streamEvents()` hand chunks to the caller as they come: mark those calls. */
  override async *_streamIterator(
    input: BaseLanguageModelInput,
    options?: Partial<ChatLlmoCallOptions>,
  ): AsyncGenerator<AIMessageChunk> {
    yield* super._streamIterator(input, markToCaller(options));
  }

  override _streamChatModelEvents(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): ReturnType<BaseChatModel['_streamChatModelEvents']> {
    return super._streamChatModelEvents(messages, markToCaller(options), runManager);
  }

  /**
   * Token by token. Retries and fallback happen before the first chunk (the router's rule); once text has
   * flowed, a failure ends the stream with an error rather than replaying text from another provider.
   *
   * A `text-revision` (the provider rewrote text it had streamed) that only extends the text is one more
   * chunk. One that changes it cannot be expressed in chunks LangChain concatenates: `stream()` then yields
   * nothing more, lets the provider finish, and throws `StreamRevisedError` carrying the final text; when
   * LangChain streams only to aggregate the chunks (`invoke()` with a streaming callback handler), the
   * tokens go to the handlers as they come and the message is the provider's final answer, as `_generate`'s.
   */
  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const toCaller = goesToCaller(options);
    const stream = this.router.routeStream(toLlmoMessages(messages), this.routeOptionsFor(options));
    const given = new StreamedText();
    let toolIndex = 0;
    for await (const part of stream.parts as AsyncIterable<RoutedPart>) {
      const delta = given.read(part);
      if (delta === TAKEN_BACK) {
        const { id, text } = part as TextRevisionPart;
        await runManager?.handleCustomEvent?.(TEXT_REVISED_EVENT, { id, text });
      } else if (toCaller && given.takenBack) {
        // stream() yields nothing after a revision it cannot express; the error at the end says why.
      } else if (delta) {
        const chunk = new ChatGenerationChunk({
          text: delta,
          message: new AIMessageChunk({ content: delta }),
        });
        if (toCaller) yield chunk;
        await runManager?.handleLLMNewToken(delta, undefined, undefined, undefined, undefined, { chunk });
      } else if (part.type === 'tool-call' && toCaller) {
        // Whole calls, not argument fragments: chunk merging then yields exactly the provider's calls.
        yield new ChatGenerationChunk({
          text: '',
          message: new AIMessageChunk({
            content: '',
            tool_call_chunks: [
              {
                type: 'tool_call_chunk',
                id: part.id,
                name: part.name,
                args: part.arguments,
                index: toolIndex++,
              },
            ],
          }),
        });
      }
    }
    const result = await stream.result;
    if (!toCaller) {
      // LangChain concatenates these chunks into invoke()'s message: one chunk, the final answer.
      yield new ChatGenerationChunk({
        text: result.text,
        message: toMessage(result),
        generationInfo: { finish_reason: result.finishReason },
      });
      return;
    }
    if (given.takenBack) throw new StreamRevisedError({ ...given.takenBack, result });
    yield new ChatGenerationChunk({
      text: '',
      message: new AIMessageChunk({
        content: '',
        usage_metadata: toUsageMetadata(result),
        response_metadata: toResponseMetadata(result),
      }),
      generationInfo: { finish_reason: result.finishReason },
    });
  }
}
