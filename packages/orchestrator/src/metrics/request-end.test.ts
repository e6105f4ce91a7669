import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createOrchestrator,
  type OrchestratorOptions,
  type RequestEndEvent,
  ResponseValidationError,
} from '../index.js';

const routers: Router[] = [];
afterEach(async () => {
  for (const router of routers.splice(0)) await router.close();
});

function setup(
  response: (n: number) => string,
  tasks: OrchestratorOptions['tasks'],
  extra: Partial<OrchestratorOptions> = {},
  latencyMs = 0,
) {
  const router = new Router({ onWarning: false, retry: { maxRetries: 0, initialDelayMs: 1, maxPasses: 1 } });
  let asks = 0;
  router.addProvider(
    createMockProvider({
      name: 'mock',
      latencyMs,
      pricing: { inputPer1K: 1, outputPer1K: 1, currency: 'USD' },
      response: () => response(++asks),
    }),
  );
  routers.push(router);
  const events: RequestEndEvent[] = [];
  const orchestrator = createOrchestrator({ router, tasks, onWarning: false, ...extra });
  orchestrator.on('request-end', (e) => events.push(e));
  return { orchestrator, events, asks: () => asks };
}

describe('a throwing logger or warning handler', () => {
  it('never fails a request that succeeded, nor counts it twice', async () => {
    const { orchestrator, events } = setup(
      () => 'fine',
      { chat: {} },
      {
        logger: {
          info: () => {
            throw new Error('log sink down');
          },
          warn: () => {
            throw new Error('log sink down');
          },
        },
      },
    );
    expect((await orchestrator.process({ taskType: 'chat', variables: { input: 'hi' } })).value).toBe('fine');
    expect(events.map((e) => e.status)).toEqual(['success']);
    expect(orchestrator.getMetrics().chat).toMatchObject({ requests: 1, successes: 1, errors: {} });
  });

  it('never turns a cache store failure into a failed request', async () => {
    const failing = {
      get: () => {
        throw new Error('store down');
      },
      set: () => {
        throw new Error('store down');
      },
      delete: () => {},
    };
    const { orchestrator } = setup(
      () => 'fine',
      { chat: { cacheTtlMs: 60_000 } },
      {
        cache: failing,
        onWarning: () => {
          throw new Error('warning handler bug');
        },
      },
    );
    const result = await orchestrator.process({ taskType: 'chat', variables: { input: 'hi' } });
    expect(result).toMatchObject({ value: 'fine', cache: 'miss' });
  });
});

describe('failed requests keep their spend in the metrics', () => {
  it('a ResponseValidationError carries every ask’s tokens and cost; the event and metrics count them', async () => {
    const lines: Record<string, unknown>[] = [];
    const { orchestrator, events } = setup(
      () => 'not json at all',
      { s: { outputFormat: 'json' } },
      {
        logger: { info: () => {}, warn: (fields) => lines.push(fields) },
      },
    );
    const error = await orchestrator
      .process({ taskType: 's', variables: { input: 'give me json please' } })
      .catch((e: unknown) => e as ResponseValidationError);
    expect(ResponseValidationError.isInstance(error)).toBe(true);
    expect(error.usage.promptTokens).toBeGreaterThan(0);
    expect(error.cost?.amount).toBeGreaterThan(0);
    const event = events[0] as RequestEndEvent;
    expect(event).toMatchObject({
      status: 'error',
      promptTokens: error.usage.promptTokens,
      completionTokens: error.usage.completionTokens,
      cost: { amount: error.cost?.amount, currency: 'USD' },
      validationRetries: 2,
      provider: 'mock',
    });
    expect(orchestrator.getMetrics().s).toMatchObject({
      promptTokens: error.usage.promptTokens,
      cost: { USD: error.cost?.amount },
      validationRetries: 2,
    });
    expect(lines[0]).toMatchObject({
      prompt_tokens: error.usage.promptTokens,
      router_request_id: error.requestId,
      cache: 'off',
    });
  });

  it('a re-ask the router fails keeps the earlier asks’ spend', async () => {
    const { orchestrator, events } = setup(
      (n) => {
        if (n > 1) throw new Error('provider broke');
        return 'not json';
      },
      { s: { outputFormat: 'json' } },
    );
    const error = await orchestrator.process({ taskType: 's', variables: { input: 'json' } }).catch((e) => e);
    expect(ResponseValidationError.isInstance(error)).toBe(false);
    expect(events[0]?.promptTokens).toBeGreaterThan(0);
    expect(events[0]?.cost?.amount).toBeGreaterThan(0);
    expect(events[0]?.validationRetries).toBe(1);
  });

  it('five merged callers whose run fails count its re-asks and spend once, as one miss and four coalesced', async () => {
    const { orchestrator, asks } = setup(
      () => 'no json here',
      { s: { outputFormat: 'json', cacheTtlMs: 60_000, maxValidationRetries: 2 } },
      {},
      100,
    );
    const request = { taskType: 's', variables: { input: 'json please' } };
    const outcomes = await Promise.allSettled([1, 2, 3, 4, 5].map(() => orchestrator.process(request)));
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    expect(asks()).toBe(3);
    const metrics = orchestrator.getMetrics().s;
    expect(metrics).toMatchObject({ requests: 5, validationRetries: 2, cacheMisses: 1, coalesced: 4 });
  });
});

describe('unknown task types', () => {
  it('are counted under one fixed label, never one entry per string', async () => {
    const { orchestrator } = setup(() => 'x', { chat: {} });
    for (let i = 0; i < 20; i++)
      await orchestrator.process({ taskType: `user text ${i}`, variables: { input: 'x' } }).catch(() => {});
    await orchestrator.process({ taskType: 42 as never }).catch(() => {});
    expect(Object.keys(orchestrator.getMetrics())).toEqual(['(unknown)']);
    expect(orchestrator.getMetrics()['(unknown)']).toMatchObject({
      requests: 21,
      errors: { OrchestratorError: 21 },
    });
  });
});
