// A provider-shaped wrapper around the main entry, for `runWithoutProcess` (testkit): the orchestrator's whole
// flow (strict Jinja template, real tokenizer loaded by dynamic import, JSON extraction, JSON Schema
// validation with @cfworker/json-schema, the exact cache with Web Crypto hashing) inside a worker with no
// `process`, bundled for the edge (`worker`/`browser` conditions).

import type { ProviderV1 } from '@llmo/core';
import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { createOrchestrator, createTokenCounter } from './index.js';

export function createOrchestratedProvider(settings: { answer: string }): ProviderV1 {
  const router = new Router({ onWarning: false });
  router.addProvider(
    createMockProvider({
      name: 'mock',
      model: 'gpt-4o',
      latencyMs: 0,
      chunkDelayMs: 0,
      response: settings.answer,
    }),
  );
  const orchestrator = createOrchestrator({
    router,
    tasks: { extract: { outputFormat: 'json', cacheTtlMs: 60_000, tokenBudget: 1000 } },
    tokenCounter: createTokenCounter(),
    templates: [
      { id: 'extract', version: '1', user: 'Extract from: {{ text }}', requiredVariables: ['text'] },
    ],
  });
  const ask = async (prompt: string) => {
    const request = {
      taskType: 'extract',
      templateId: 'extract',
      variables: { text: prompt },
      schema: { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } },
    };
    const first = await orchestrator.process(request);
    const second = await orchestrator.process(request);
    return `${JSON.stringify(first.value)} ${first.promptTokens.encoding ?? 'estimated'} ${second.cache}`;
  };
  return {
    specificationVersion: 'v1',
    name: 'orchestrated',
    model: 'orchestrator',
    providerType: 'orchestrator',
    async generate(request) {
      return { text: await ask(String(request.messages.at(-1)?.content)), finishReason: 'stop' };
    },
    async *stream(request) {
      const text = await ask(String(request.messages.at(-1)?.content));
      yield { type: 'stream-start', warnings: [] };
      yield { type: 'text-start', id: '0' };
      yield { type: 'text-delta', id: '0', delta: text };
      yield { type: 'text-end', id: '0' };
      yield { type: 'finish', finishReason: 'stop', usage: {} };
    },
    healthCheck: async () => true,
  };
}
