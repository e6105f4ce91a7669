import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { describe, expect, it, vi } from 'vitest';
import { createOrchestrator, createTokenCounter, OrchestratorError, selectModels } from '../index.js';

function router() {
  const r = new Router({ strategy: 'round-robin', onWarning: false });
  r.addProvider(
    createMockProvider({
      name: 'mini',
      model: 'gpt-4o-mini',
      latencyMs: 0,
      capabilities: { streaming: true },
    }),
  );
  r.addProvider(
    createMockProvider({
      name: 'big',
      model: 'gpt-4o',
      latencyMs: 0,
      capabilities: { streaming: true, tools: true, contextWindow: 50 },
    }),
  );
  r.addProvider(
    createMockProvider({
      name: 'local',
      model: 'llama3',
      latencyMs: 0,
      capabilities: { streaming: true, tools: true },
    }),
  );
  return r;
}

const caught = async (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );

describe('selectModels', () => {
  it('orders preferred providers, then preferred and fallback models, and excludes the rest', () => {
    const selection = selectModels(
      't',
      { preferredProviders: ['local'], preferredModels: ['gpt-4o'], fallbackModels: ['gpt-4o-mini'] },
      router(),
    );
    expect(selection.candidates).toEqual(['local', 'big', 'mini']);
    expect(selection.hints).toEqual({ preferredProvider: 'local' });
    const narrow = selectModels(
      't',
      { preferredModels: ['gpt-4o'], maxCost: { amount: 1, currency: 'USD' } },
      router(),
    );
    expect(narrow.hints).toEqual({
      preferredProvider: 'big',
      excludeProviders: ['mini', 'local'],
      maxCost: { amount: 1, currency: 'USD' },
    });
  });

  it('takes every provider when the task names none, and warns about a name no provider serves', () => {
    expect(selectModels('t', {}, router()).candidates).toEqual(['mini', 'big', 'local']);
    const selection = selectModels('t', { preferredModels: ['gpt-5', 'llama3'] }, router());
    expect(selection.candidates).toEqual(['local']);
    expect(selection.warnings).toEqual(['task "t": no provider on the router serves model "gpt-5"']);
  });

  it('leaves out providers without a required capability or too small a context window', () => {
    const selection = selectModels('t', { requiredCapabilities: ['tools'] }, router(), { promptTokens: 60 });
    expect(selection.candidates).toEqual(['local']);
    expect(selection.removed).toEqual([
      { provider: 'mini', reason: 'requiredCapabilities: tools' },
      { provider: 'big', reason: 'contextWindow: 60 tokens > 50' },
    ]);
  });

  it('leaves out providers measured slower than maxLatencyMs', () => {
    const view = {
      getProviders: () => router().getProviders(),
      getMetrics: () => ({ mini: { rollingAvgLatencyMs: 900 }, big: { rollingAvgLatencyMs: 100 } }) as never,
    };
    const selection = selectModels('t', { maxLatencyMs: 500 }, view);
    expect(selection.candidates).toEqual(['big', 'local']);
    expect(selection.removed).toEqual([{ provider: 'mini', reason: 'maxLatencyMs: 900 ms > 500 ms' }]);
  });

  it('falls back to the default model with a warning, or fails naming why and the fix', () => {
    const task = { preferredModels: ['gpt-4o'], requiredCapabilities: ['jsonSchema' as const] };
    const selection = selectModels('t', task, router(), { defaultModel: 'llama3' });
    expect(selection).toMatchObject({
      usedDefault: true,
      candidates: ['local'],
      hints: { preferredProvider: 'local' },
    });
    expect(selection.warnings[0]).toContain('using the default model "llama3"');
    let error: unknown;
    try {
      selectModels('t', task, router());
    } catch (e) {
      error = e;
    }
    expect(OrchestratorError.isInstance(error) && error.code).toBe('no-model');
    expect((error as Error).message).toContain('big (requiredCapabilities: jsonSchema)');
    expect((error as Error).message).toContain('set defaultModel');
  });
});

describe('createOrchestrator checks', () => {
  it('an unknown task type is an error listing the known ones', async () => {
    const orchestrator = createOrchestrator({ router: router(), tasks: { summarize: {}, translate: {} } });
    const error = await caught(orchestrator.process({ taskType: 'sumarize', variables: { input: 'x' } }));
    expect(OrchestratorError.isInstance(error) && error.code).toBe('unknown-task');
    expect((error as Error).message).toContain('known task types: summarize, translate');
  });

  it('rejects a bad task configuration with every field named, and a misspelt key with a suggestion', () => {
    expect(() =>
      createOrchestrator({
        router: router(),
        tasks: { t: { tokenBudget: -1, outputFormat: 'xml', cacheTTLMs: 5 } as never },
      }),
    ).toThrow(/tokenBudget: must be > 0[\s\S]*outputFormat[\s\S]*cacheTTLMs.*did you mean "cacheTtlMs"/);
    expect(() => createOrchestrator({ router: undefined as never, tasks: {} })).toThrow(/router/);
  });

  it('uses the default model when the criteria leave none, warns and counts it', async () => {
    const warnings: string[] = [];
    const orchestrator = createOrchestrator({
      router: router(),
      tasks: { t: { preferredModels: ['gpt-5'] } },
      defaultModel: 'gpt-4o-mini',
      onWarning: (m) => warnings.push(m),
    });
    const result = await orchestrator.process({ taskType: 't', variables: { input: 'hello' } });
    expect(result).toMatchObject({
      provider: 'mini',
      value: 'Mock response to: hello',
      selection: { usedDefault: true },
    });
    expect(warnings).toHaveLength(2);
    expect(orchestrator.getMetrics().t?.defaultModelUsed).toBe(1);
  });

  it('fits history and context into the token budget and reports what was dropped', async () => {
    const orchestrator = createOrchestrator({
      router: router(),
      tasks: {
        qa: {
          preferredModels: ['gpt-4o-mini'],
          tokenBudget: 60,
          historyShare: 0.5,
          contextStrategy: 'relevance',
        },
      },
      tokenCounter: createTokenCounter(),
      templates: [
        {
          id: 'qa',
          version: '1',
          system: 'Answer from the context.',
          user: 'Q: {{ q }}',
          requiredVariables: ['q'],
        },
      ],
    });
    const long = 'word '.repeat(40);
    const result = await orchestrator.process({
      taskType: 'qa',
      templateId: 'qa',
      variables: { q: 'What is llmo?' },
      context: [
        { id: 'best', content: 'llmo routes LLM requests.', relevance: 0.9 },
        { id: 'huge', content: long, relevance: 0.8 },
        { id: 'small', content: 'It has a router.', relevance: 0.1 },
      ],
      history: [
        { role: 'user', content: long },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
      ],
    });
    expect(result.context.included.map((i) => i.id)).toEqual(['best', 'small']);
    expect(result.context.dropped.map((i) => i.id)).toEqual(['huge']);
    expect(result.context.historyDropped).toBe(2);
    expect(result.promptTokens.tokens).toBeLessThanOrEqual(60);
    expect(result.context.estimated).toBe(false);
    // The prompt alone over budget is an error, not a silent cut.
    const error = await caught(
      orchestrator.process({ taskType: 'qa', templateId: 'qa', variables: { q: long.repeat(3) } }),
    );
    expect(OrchestratorError.isInstance(error) && error.code).toBe('context-too-large');
  });

  it('hands an exact prompt count to the router (its own context-window check), never an estimate', async () => {
    const r = router();
    const route = vi.spyOn(r, 'route');
    const task = { qa: { preferredModels: ['gpt-4o-mini'] } };
    const templates = [{ id: 'qa', version: '1', user: 'Q: {{ q }}', requiredVariables: ['q'] }];
    const exact = createOrchestrator({
      router: r,
      tasks: task,
      templates,
      tokenCounter: createTokenCounter(),
    });
    const result = await exact.process({ taskType: 'qa', templateId: 'qa', variables: { q: 'hi' } });
    expect(result.promptTokens.estimated).toBe(false);
    expect(route.mock.calls.at(-1)?.[1]).toMatchObject({ promptTokens: result.promptTokens.tokens });
    const estimating = createOrchestrator({ router: r, tasks: task, templates });
    await estimating.process({ taskType: 'qa', templateId: 'qa', variables: { q: 'hi' } });
    expect(route.mock.calls.at(-1)?.[1]).not.toHaveProperty('promptTokens');
  });

  it('runs per-task validators after the schema and feeds their problems back', async () => {
    const orchestrator = createOrchestrator({
      router: router(),
      tasks: { t: { maxValidationRetries: 1 } },
      onWarning: false,
    });
    orchestrator.registerValidator('t', (value) =>
      String(value).includes('forbidden') ? 'mentions forbidden' : undefined,
    );
    const error = await caught(
      orchestrator.process({ taskType: 't', variables: { input: 'forbidden word' } }),
    );
    expect((error as { attempts?: unknown[] }).attempts).toHaveLength(2);
    expect(() => orchestrator.registerValidator('nope', () => undefined)).toThrow(/unknown task type/);
  });
});
