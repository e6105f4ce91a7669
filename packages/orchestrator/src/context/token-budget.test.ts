import { type ChatMessage, Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createOrchestrator, createTokenCounter, estimateTokenCounter, type TokenCounter } from '../index.js';

const routers: Router[] = [];
afterEach(async () => {
  for (const router of routers.splice(0)) await router.close();
});

function setup(tokenBudget: number, tokenCounter: TokenCounter) {
  const sent: ChatMessage[][] = [];
  const router = new Router({ onWarning: false });
  router.addProvider(
    createMockProvider({
      name: 'oa',
      model: 'gpt-4o',
      latencyMs: 0,
      response: (request) => {
        sent.push([...request.messages]);
        return 'ok';
      },
    }),
  );
  routers.push(router);
  const orchestrator = createOrchestrator({
    router,
    tokenCounter,
    tasks: { t: { tokenBudget } },
    templates: [{ id: 'sys', version: '1', system: 'You answer from the facts.', user: '{{ q }}' }],
    onWarning: false,
  });
  return { orchestrator, sent };
}

const context = Array.from({ length: 40 }, (_, i) => ({
  content: `Fact number ${i}: the warehouse in city ${i} opens at ${(i % 12) + 1} am`,
  relevance: 1 - i / 100,
}));

describe('the prompt as sent fits the task’s tokenBudget', () => {
  for (const counter of [
    { name: 'exact (o200k)', make: () => createTokenCounter() },
    { name: 'estimate', make: () => estimateTokenCounter },
  ])
    it(`context heading, separators and a new system message are charged (${counter.name})`, async () => {
      const tokenCounter = counter.make();
      for (const tokenBudget of [60, 100, 200, 400]) {
        for (const templateId of [undefined, 'sys']) {
          const { orchestrator, sent } = setup(tokenBudget, tokenCounter);
          const result = await orchestrator.process({
            taskType: 't',
            ...(templateId ? { templateId, variables: { q: 'When does city 3 open?' } } : {}),
            ...(templateId ? {} : { variables: { input: 'When does the warehouse in city 3 open?' } }),
            context,
          });
          const actual = await tokenCounter.countMessages(sent[0] ?? [], 'gpt-4o');
          expect(actual.tokens).toBeLessThanOrEqual(tokenBudget);
          expect(result.promptTokens.tokens).toBe(actual.tokens);
          expect(result.context.included.length).toBeGreaterThan(0);
        }
      }
    });

  it('tool-call arguments in history are counted: a turn whose arguments exceed the budget is dropped', async () => {
    const tokenCounter = createTokenCounter();
    const { orchestrator, sent } = setup(200, tokenCounter);
    const big = JSON.stringify({ rows: Array.from({ length: 2000 }, (_, i) => `row ${i} some data`) });
    const history: ChatMessage[] = [
      { role: 'user', content: 'look it up' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'lookup', arguments: big }] },
      { role: 'tool', toolCallId: 'c1', content: 'done' },
    ];
    const result = await orchestrator.process({ taskType: 't', variables: { input: 'and now?' }, history });
    expect(result.context.historyDropped).toBe(3);
    expect((await tokenCounter.countMessages(sent[0] ?? [], 'gpt-4o')).tokens).toBeLessThanOrEqual(200);
    // countMessages itself counts the arguments.
    expect((await tokenCounter.countMessages(history, 'gpt-4o')).tokens).toBeGreaterThan(10_000);
  });
});
