import { type ProviderV1, Router, type StreamPart } from '@llmo/core';
import * as ai from 'ai';
import * as aiV5 from 'ai-v5';
import { afterEach, describe, expect, it } from 'vitest';
import { createLlmoModel, createLlmoModelV2 } from './index.js';

(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const cyclic: Record<string, unknown> = { name: 'loop' };
cyclic.self = cyclic;
/** What the provider reports beside its answer: one usable key, and values the AI SDK types cannot carry. */
const metadata = {
  openai: { reasoningTokens: 42, note: undefined },
  broken: cyclic,
  scalar: 7,
  llmo: { spoofed: true },
};

/** A provider that answers with its own `providerMetadata`, in both generate and stream. */
const provider: ProviderV1 = {
  specificationVersion: 'v1',
  name: 'p',
  model: 'm1',
  providerType: 'openai',
  capabilities: { streaming: true },
  async generate() {
    return { text: 'ok', finishReason: 'stop', warnings: [], providerMetadata: metadata };
  },
  async *stream(): AsyncGenerator<StreamPart> {
    yield { type: 'stream-start', warnings: [] };
    yield { type: 'text-start', id: '0' };
    yield { type: 'text-delta', id: '0', delta: 'ok' };
    yield { type: 'text-end', id: '0' };
    yield { type: 'finish', finishReason: 'stop', providerMetadata: metadata };
  },
  healthCheck: async () => true,
};

describe("the answering provider's own providerMetadata reaches the AI SDK beside llmo's", () => {
  let router: Router;
  afterEach(() => router.close());

  for (const [label, create, sdk] of [
    ['V3 (ai@6)', createLlmoModel, ai],
    ['V2 (ai@5)', createLlmoModelV2, aiV5 as unknown as typeof ai],
  ] as const) {
    it(`${label}: generateText and streamText`, async () => {
      router = new Router({ strategy: 'first-available', onWarning: false }).addProvider(provider);
      const model = create(router) as Parameters<typeof ai.generateText>[0]['model'];
      const generated = await sdk.generateText({ model, prompt: 'Hi' });
      const stream = sdk.streamText({ model, prompt: 'Hi' });
      expect(await stream.text).toBe('ok');
      for (const meta of [generated.providerMetadata, await stream.providerMetadata]) {
        // JSON-safe: undefined dropped; a cycle or a non-object left out; `llmo` is the router's.
        expect(Object.keys(meta ?? {}).sort()).toEqual(['llmo', 'openai']);
        expect(meta?.openai).toEqual({ reasoningTokens: 42 });
        expect(meta?.llmo).toMatchObject({ provider: 'p', model: 'm1' });
        expect(meta?.llmo).not.toHaveProperty('spoofed');
      }
    });
  }
});
