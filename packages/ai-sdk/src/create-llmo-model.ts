import type { BaseRouter } from '@llmo/core';
import { LlmoError } from '@llmo/core';
import type { LanguageModelV2, LanguageModelV3 } from './ai-sdk-types.js';
import { LlmoLanguageModel } from './llmo-language-model.js';
import { type LlmoModelOptions, validateLlmoModelOptions } from './llmo-model-options.js';
import { v2Dialect, v3Dialect } from './spec-dialect.js';

/**
 * The router as an AI SDK 6 language model (specification V3): `generateText`, `streamText`,
 * `generateObject` and tool loops run through the router's strategy, retries, fallback, metrics and usage
 * records. Who answered, and every attempt, are in `providerMetadata.llmo`.
 *
 * @example
 * const model = createLlmoModel(router);
 * const { text, providerMetadata } = await generateText({ model, prompt: 'Hello' });
 */
export function createLlmoModel(router: BaseRouter, options: LlmoModelOptions = {}): LanguageModelV3 {
  assertRouter(router, 'createLlmoModel');
  validateLlmoModelOptions(options, 'createLlmoModel');
  return new LlmoLanguageModel(router, options, v3Dialect) as unknown as LanguageModelV3;
}

/**
 * The router as an AI SDK 5 language model (specification V2). Same behaviour as `createLlmoModel`, shaped
 * for `ai@5` (AI SDK 6 also accepts it, through its V2 adapter).
 *
 * @example
 * const model = createLlmoModelV2(router);
 * const { text } = await generateText({ model, prompt: 'Hello' }); // ai@5
 */
export function createLlmoModelV2(router: BaseRouter, options: LlmoModelOptions = {}): LanguageModelV2 {
  assertRouter(router, 'createLlmoModelV2');
  validateLlmoModelOptions(options, 'createLlmoModelV2');
  return new LlmoLanguageModel(router, options, v2Dialect) as unknown as LanguageModelV2;
}

function assertRouter(router: BaseRouter | undefined, factory: string): void {
  if (!router || typeof router.route !== 'function' || typeof router.routeStream !== 'function') {
    throw new LlmoError({
      name: 'InvalidRouterError',
      message: `${factory}: the first argument must be a @llmo/core Router, e.g. ${factory}(new Router({ strategy: 'first-available' }))`,
    });
  }
}
