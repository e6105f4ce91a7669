import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { type CachedAnswer, createOrchestrator, MemoryCacheStore } from '../index.js';

const VOCABULARY = ['how', 'do', 'i', 'reset', 'my', 'password', 'please'];
const embed = async (text: string) => {
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  return VOCABULARY.map((v) => words.filter((w) => w === v).length);
};

const routers: Router[] = [];
afterEach(async () => {
  for (const router of routers.splice(0)) await router.close();
});

function setup(options: { semantic?: boolean; cacheTtlMs?: number } = {}) {
  const router = new Router({ onWarning: false });
  router.addProvider(createMockProvider({ name: 'mock', latencyMs: 0 }));
  routers.push(router);
  let calls = 0;
  router.on('attempt-start', () => calls++);
  const memory = new MemoryCacheStore();
  const keys: string[] = [];
  const store = {
    get: (key: string) => memory.get(key),
    set: (key: string, entry: CachedAnswer, ttlMs: number) => {
      keys.push(key);
      memory.set(key, entry, ttlMs);
    },
    delete: (key: string) => memory.delete(key),
  };
  const warnings: string[] = [];
  const orchestrator = createOrchestrator({
    router,
    tasks: { faq: { cacheTtlMs: options.cacheTtlMs ?? 60_000, semanticThreshold: 0.8 } },
    cache: store,
    ...(options.semantic === false ? {} : { semanticCache: { embed } }),
    onWarning: (m) => warnings.push(m),
  });
  return { orchestrator, keys, memory, warnings, calls: () => calls };
}

describe('semantic cache lookups', () => {
  it('pass over a match whose answer expired to the next similar one', async () => {
    const { orchestrator, keys, memory, calls } = setup();
    await orchestrator.process({ taskType: 'faq', variables: { input: 'how do i reset my password' } });
    await orchestrator.process({
      taskType: 'faq',
      variables: { input: 'how do i reset my password please' },
      bypassCache: true,
    });
    expect(calls()).toBe(2);
    // The first answer expires: its vector, the nearest to the same question, points nowhere now.
    memory.delete(keys[0] as string);
    const result = await orchestrator.process({
      taskType: 'faq',
      variables: { input: 'how do i reset my password' },
    });
    expect(result).toMatchObject({
      cache: 'semantic',
      value: 'Mock response to: how do i reset my password please',
    });
    expect(calls()).toBe(2);
  });
});

describe('warnings', () => {
  it('a semanticThreshold that cannot work is warned about when the orchestrator is made', () => {
    expect(setup({ semantic: false }).warnings).toEqual([
      expect.stringContaining("semanticThreshold is ignored without the orchestrator's semanticCache"),
    ]);
    expect(setup({ cacheTtlMs: 0 }).warnings).toEqual([expect.stringContaining('cacheTtlMs > 0')]);
    expect(setup().warnings).toEqual([]);
  });

  it('a routing warning is printed once, not on every request; every result still lists it', async () => {
    const router = new Router({ onWarning: false });
    router.addProvider(createMockProvider({ name: 'mock', latencyMs: 0 }));
    routers.push(router);
    const warnings: string[] = [];
    const orchestrator = createOrchestrator({
      router,
      tasks: { chat: { preferredProviders: ['gone', 'mock'] } },
      onWarning: (m) => warnings.push(m),
    });
    for (let i = 0; i < 5; i++) {
      const result = await orchestrator.process({ taskType: 'chat', variables: { input: `q${i}` } });
      expect(result.warnings).toEqual([expect.stringContaining('"gone"')]);
    }
    expect(warnings).toEqual([expect.stringContaining('"gone"')]);
  });
});
