import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { describe, expect, it } from 'vitest';
import { createOrchestrator, MemoryVectorIndex, type PromptTemplate } from '../index.js';

// A deterministic embedding: word counts over the text (after the role labels), so reordered or slightly
// changed questions are similar and unrelated ones are not.
const VOCABULARY = [
  'how',
  'do',
  'i',
  'reset',
  'my',
  'password',
  'change',
  'what',
  'is',
  'the',
  'weather',
  'today',
  'please',
];
const embed = async (text: string) => {
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  return VOCABULARY.map((v) => words.filter((w) => w === v).length);
};

const templates: PromptTemplate[] = [
  { id: 'faq', version: '1', user: '{{ question }}', requiredVariables: ['question'] },
  { id: 'faq', version: '2', user: 'Q: {{ question }}', requiredVariables: ['question'] },
];

function setup(options: { embed?: (text: string) => Promise<number[]>; now?: () => number } = {}) {
  const router = new Router({ onWarning: false });
  router.addProvider(
    createMockProvider({
      name: 'mock',
      latencyMs: 0,
      pricing: { inputPer1K: 1, outputPer1K: 1, currency: 'USD' },
    }),
  );
  let calls = 0;
  router.on('attempt-start', () => calls++);
  const warnings: string[] = [];
  const index = new MemoryVectorIndex();
  const orchestrator = createOrchestrator({
    router,
    tasks: {
      faq: { templateId: 'faq', cacheTtlMs: 60_000, semanticThreshold: 0.9 },
      other: { templateId: 'faq', cacheTtlMs: 60_000, semanticThreshold: 0.9 },
      exactOnly: { templateId: 'faq', cacheTtlMs: 60_000 },
    },
    templates,
    semanticCache: { embed: options.embed ?? embed, index },
    onWarning: (m) => warnings.push(m),
    ...(options.now ? { now: options.now } : {}),
  });
  const ask = (question: string, extra: { taskType?: string; templateVersion?: string } = {}) =>
    orchestrator.process({
      taskType: extra.taskType ?? 'faq',
      variables: { question },
      ...(extra.templateVersion ? { templateVersion: extra.templateVersion } : {}),
    });
  return { orchestrator, ask, calls: () => calls, warnings, index, close: () => router.close() };
}

describe('semantic cache', () => {
  it('serves a similar request above the threshold, and asks the model for a different one', async () => {
    const t = setup();
    const first = await t.ask('How do I reset my password?');
    expect(first.cache).toBe('miss');
    const similar = await t.ask('how do I reset my password please');
    expect(similar).toMatchObject({
      cache: 'semantic',
      cacheHit: true,
      value: first.value,
      provider: 'mock',
    });
    expect(similar.similarity).toBeGreaterThanOrEqual(0.9);
    expect(similar.similarity).toBeLessThan(1);
    expect(similar.savedCost?.amount).toBeGreaterThan(0);
    const different = await t.ask('What is the weather today?');
    expect(different.cache).toBe('miss');
    expect(t.calls()).toBe(2);
    expect(t.orchestrator.getMetrics().faq).toMatchObject({ cacheHits: 1, semanticHits: 1, cacheMisses: 2 });
    await t.close();
  });

  it('is scoped by task and template version: a changed prompt never serves a stale answer', async () => {
    const t = setup();
    await t.ask('How do I reset my password?', { templateVersion: '1' });
    expect((await t.ask('How do I reset my password?', { templateVersion: '2' })).cache).toBe('miss');
    expect(
      (await t.ask('How do I reset my password?', { taskType: 'other', templateVersion: '1' })).cache,
    ).toBe('miss');
    // Without a semanticThreshold a task only has the exact cache.
    await t.ask('How do I reset my password?', { taskType: 'exactOnly' });
    expect((await t.ask('how do I reset my password please', { taskType: 'exactOnly' })).cache).toBe('miss');
    expect(t.calls()).toBe(5);
    await t.close();
  });

  it('an expired answer is not served and its vector is dropped', async () => {
    let now = 0;
    const t = setup({ now: () => now });
    await t.ask('How do I reset my password?');
    expect(t.index.size()).toBe(1);
    now = 60_001;
    expect((await t.ask('how do I reset my password please')).cache).toBe('miss');
    // The stale vector went, the new answer's vector came.
    expect(t.index.size()).toBe(1);
    expect((await t.ask('please how do I reset my password')).cache).toBe('semantic');
    await t.close();
  });

  it('a failing embedding is a warning and a plain miss, never a failed request', async () => {
    const t = setup({
      embed: async () => {
        throw new Error('embedding endpoint down');
      },
    });
    expect((await t.ask('How do I reset my password?')).value).toBe(
      'Mock response to: Q: How do I reset my password?',
    );
    expect(t.warnings).toEqual(['semantic cache skipped: the embedding failed: embedding endpoint down']);
    // The exact cache still works.
    expect((await t.ask('How do I reset my password?')).cache).toBe('hit');
    await t.close();
  });
});

describe('MemoryVectorIndex', () => {
  it('finds the nearest by cosine, bounds each scope, and ignores zero vectors and other dimensions', () => {
    const index = new MemoryVectorIndex({ maxPerScope: 2 });
    index.add('s', [1, 0], 'a');
    index.add('s', [0, 1], 'b');
    index.add('t', [1, 1], 'other-scope');
    expect(index.nearest('s', [2, 0.1])).toMatchObject({ key: 'a' });
    expect(index.nearest('s', [0.1, 3])?.key).toBe('b');
    index.add('s', [1, 1], 'c');
    expect(index.size('s')).toBe(2);
    expect(index.nearest('s', [1, 0])?.key).toBe('c');
    index.add('s', [0, 0], 'zero');
    expect(index.size('s')).toBe(2);
    expect(index.nearest('s', [1, 0, 0])).toBeUndefined();
    expect(index.nearest('none', [1, 0])).toBeUndefined();
    index.remove('s', 'c');
    expect(index.nearest('s', [1, 0])?.key).toBe('b');
  });
});
