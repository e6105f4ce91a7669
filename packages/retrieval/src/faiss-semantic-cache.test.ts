// The orchestrator's semantic cache searched in a FAISS index: `FaissVectorIndex` fits `VectorIndex`
// structurally (this file type-checks that), and a similar request is served from the cache through the real
// faiss-node worker pool. The test lives here, with @llmo/orchestrator as a devDependency, because the
// orchestrator must not depend on this Node-only package.
import { Router } from '@llmo/core';
import { createOrchestrator, type PromptTemplate, type VectorIndex } from '@llmo/orchestrator';
import { createMockProvider } from '@llmo/provider-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { FaissVectorIndex } from './index.js';

// A deterministic embedding: word counts over a small vocabulary, so reworded questions are similar.
const VOCABULARY = ['how', 'do', 'i', 'reset', 'my', 'password', 'what', 'is', 'the', 'weather', 'today'];
const embed = async (text: string) => {
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  return VOCABULARY.map((v) => words.filter((w) => w === v).length);
};

const templates: PromptTemplate[] = [
  { id: 'faq', version: '1', user: '{{ question }}', requiredVariables: ['question'] },
];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

function setup(now?: () => number) {
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
  const faiss = new FaissVectorIndex({ maxPerScope: 1000 });
  // Assigned to the orchestrator's own interface type: a compile error here means the shapes drifted apart.
  const index: VectorIndex = faiss;
  const warnings: string[] = [];
  const orchestrator = createOrchestrator({
    router,
    tasks: { faq: { templateId: 'faq', cacheTtlMs: 60_000, semanticThreshold: 0.9 } },
    templates,
    semanticCache: { embed, index },
    onWarning: (m) => warnings.push(m),
    ...(now ? { now } : {}),
  });
  cleanups.push(async () => {
    await router.close();
    await faiss.close();
  });
  const ask = (question: string) => orchestrator.process({ taskType: 'faq', variables: { question } });
  return { orchestrator, ask, faiss, warnings, calls: () => calls };
}

describe('semantic cache on FaissVectorIndex', () => {
  it('serves a similar request from the cache, and asks the model for a different one', async () => {
    const t = setup();
    const first = await t.ask('How do I reset my password?');
    expect(first.cache).toBe('miss');
    expect(t.faiss.size()).toBe(1);
    const similar = await t.ask('how do I reset my password my password');
    expect(similar).toMatchObject({ cache: 'semantic', cacheHit: true, value: first.value });
    expect(similar.similarity).toBeGreaterThanOrEqual(0.9);
    expect(similar.similarity).toBeLessThan(1);
    const different = await t.ask('What is the weather today?');
    expect(different.cache).toBe('miss');
    expect(t.calls()).toBe(2);
    expect(t.faiss.size()).toBe(2);
    expect(t.orchestrator.getMetrics().faq).toMatchObject({ cacheHits: 1, semanticHits: 1, cacheMisses: 2 });
    expect(t.warnings).toEqual([]);
  });

  it('drops the vector of an expired answer from the FAISS index (remove by id)', async () => {
    let now = 0;
    const t = setup(() => now);
    await t.ask('How do I reset my password?');
    now = 60_001;
    expect((await t.ask('how do I reset my password my password')).cache).toBe('miss');
    // The stale vector was removed, the new answer's vector added.
    expect(t.faiss.size()).toBe(1);
    expect((await t.ask('how do I reset my my password password password')).cache).toBe('semantic');
    expect(t.calls()).toBe(2);
    expect(t.warnings).toEqual([]);
  });
});
