import { StringOutputParser } from '@langchain/core/output_parsers';
import { PromptTemplate } from '@langchain/core/prompts';
import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { describe, expect, it } from 'vitest';
import { LlmoLLM } from './llmo-llm.js';

function router(...models: string[]) {
  const r = new Router({ strategy: 'first-available', retry: { maxRetries: 0 }, circuitBreaker: false });
  for (const [i, model] of models.entries()) {
    r.addProvider(createMockProvider({ name: `mock-${i}`, model, latencyMs: 1, chunkDelayMs: 1 }));
  }
  return r;
}

describe('LlmoLLM: a text LLM over the router', () => {
  it('rejects a router with no providers', () => {
    expect(() => new LlmoLLM({ router: new Router() })).toThrow(/no providers/);
  });

  it('prompt | llm | parser: invoke and stream', async () => {
    const chain = PromptTemplate.fromTemplate('Explain {topic}')
      .pipe(new LlmoLLM({ router: router('mock-normal') }))
      .pipe(new StringOutputParser());
    expect(await chain.invoke({ topic: 'MMR' })).toBe('Mock response to: Explain MMR');
    const chunks: string[] = [];
    for await (const chunk of await chain.stream({ topic: 'MMR' })) chunks.push(chunk);
    expect(chunks.filter(Boolean).length).toBeGreaterThan(2);
    expect(chunks.join('')).toBe('Mock response to: Explain MMR');
  });

  it('generate: one result per prompt with the provider, cost and attempts; fallback inside', async () => {
    const llm = new LlmoLLM({ router: router('mock-server-error', 'mock-normal') });
    const out = await llm.generate(['one', 'two']);
    expect(out.generations.map((g) => g[0]!.text)).toEqual([
      'Mock response to: one',
      'Mock response to: two',
    ]);
    expect(out.generations[0]![0]!.generationInfo).toMatchObject({
      provider: 'mock-1',
      cost: { amount: 0, currency: 'USD' },
      attempts: [
        { provider: 'mock-0', outcome: 'error' },
        { provider: 'mock-1', outcome: 'success' },
      ],
    });
    expect(out.llmOutput?.tokenUsage).toEqual({ promptTokens: 2, completionTokens: 8, totalTokens: 10 });
  });
});
