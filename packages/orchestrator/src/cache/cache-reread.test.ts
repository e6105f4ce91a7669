import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createOrchestrator, OrchestratorError, type OrchestratorOptions } from '../index.js';
import { waitUntil } from '../orchestrator.test-helper.js';

const routers: Router[] = [];
afterEach(async () => {
  for (const router of routers.splice(0)) await router.close();
});

function setup(
  response: string,
  tasks: OrchestratorOptions['tasks'],
  extra: Partial<OrchestratorOptions> = {},
  latencyMs = 0,
) {
  const records: { tenantId?: string; success: boolean }[] = [];
  const router = new Router({
    onWarning: false,
    usageCallback: (record) => {
      records.push(record as never);
    },
  });
  router.addProvider(createMockProvider({ name: 'mock', latencyMs, response: () => response }));
  routers.push(router);
  let calls = 0;
  router.on('attempt-start', () => calls++);
  const orchestrator = createOrchestrator({ router, tasks, onWarning: false, ...extra });
  return { orchestrator, calls: () => calls, records };
}

describe('cache hits are read again with the request’s own schema', () => {
  it('a caller mutating its result does not change what the next hit gets', async () => {
    const { orchestrator, calls } = setup('{"items": ["a"]}', {
      j: { outputFormat: 'json', cacheTtlMs: 60_000 },
    });
    const request = { taskType: 'j', variables: { input: 'list' } };
    const first = await orchestrator.process(request);
    (first.value as { items: string[] }).items.push('added by caller 1');
    const second = await orchestrator.process(request);
    expect(second).toMatchObject({ cache: 'hit', value: { items: ['a'] } });
    (second.value as { items: string[] }).items.length = 0;
    expect((await orchestrator.process(request)).value).toEqual({ items: ['a'] });
    expect(calls()).toBe(1);
  });

  it('two schemas the key cannot tell apart (transforms) each get their own output', async () => {
    const { orchestrator } = setup('{"n": 10}', { calc: { outputFormat: 'json', cacheTtlMs: 60_000 } });
    const doubled = z.object({ n: z.number() }).transform((v) => ({ result: v.n * 2 }));
    const asText = z.object({ n: z.number() }).transform((v) => `n is ${v.n}`);
    const a = await orchestrator.process({ taskType: 'calc', variables: { input: 'n' }, schema: doubled });
    const b = await orchestrator.process({ taskType: 'calc', variables: { input: 'n' }, schema: asText });
    expect(a.value).toEqual({ result: 20 });
    expect(b).toMatchObject({ cache: 'hit', value: 'n is 10' });
  });

  it('a hit the request’s schema rejects is not served: the request asks the provider', async () => {
    const { orchestrator, calls } = setup('{"n": 10}', {
      calc: { outputFormat: 'json', cacheTtlMs: 60_000 },
    });
    const loose = z.object({ n: z.number() }).refine(() => true);
    const strict = z.object({ n: z.number(), name: z.string() }).refine(() => true);
    await orchestrator.process({ taskType: 'calc', variables: { input: 'n' }, schema: loose });
    const error = await orchestrator
      .process({
        taskType: 'calc',
        variables: { input: 'n' },
        schema: strict,
      })
      .catch((e: unknown) => e);
    // The provider keeps answering {"n": 10}: the strict schema's request asked (and re-asked) it itself.
    expect((error as Error).name).toBe('ResponseValidationError');
    expect(calls()).toBeGreaterThan(1);
  });

  it('coalesced callers get their own objects, read with their own schema', async () => {
    const { orchestrator, calls } = setup(
      '{"n": 10}',
      { calc: { outputFormat: 'json', cacheTtlMs: 60_000 } },
      {},
      50,
    );
    const doubled = z.object({ n: z.number() }).transform((v) => ({ result: v.n * 2 }));
    const asText = z.object({ n: z.number() }).transform((v) => `n is ${v.n}`);
    const pending = [
      orchestrator.process({ taskType: 'calc', variables: { input: 'n' }, schema: doubled }),
      orchestrator.process({ taskType: 'calc', variables: { input: 'n' }, schema: doubled }),
      orchestrator.process({ taskType: 'calc', variables: { input: 'n' }, schema: asText }),
    ];
    await waitUntil(
      () => orchestrator.inFlight().waiters === 3 || calls() > 1,
      'three callers on one flight',
    );
    const [a, b, c] = await Promise.all(pending);
    expect(a?.value).toEqual({ result: 20 });
    expect(b?.value).toEqual({ result: 20 });
    expect(a?.value).not.toBe(b?.value);
    expect(c?.value).toBe('n is 10');
    expect(calls()).toBe(1);
  });
});

describe('coalesced callers never run under another caller’s limits or identity', () => {
  it('a caller with no deadline does not fail with another’s 50 ms deadline, and is billed to its own tenant', async () => {
    const { orchestrator, records } = setup('answer', { chat: { cacheTtlMs: 60_000 } }, {}, 300);
    const request = { taskType: 'chat', variables: { input: 'same question' } };
    const a = orchestrator
      .process({ ...request, routeOptions: { deadlineMs: 50, tenantId: 'tenant-a' } })
      .catch((e: unknown) => e);
    const b = orchestrator.process({ ...request, routeOptions: { tenantId: 'tenant-b' } });
    expect(await a).toBeInstanceOf(Error);
    expect(await b).toMatchObject({ value: 'answer', cache: 'miss' });
    await waitUntil(() => records.some((r) => r.success), 'the usage record of B');
    expect(records.filter((r) => r.success).map((r) => r.tenantId)).toEqual(['tenant-b']);
  });

  it('callers with the same limits and identity still share one run', async () => {
    const { orchestrator, calls } = setup('answer', { chat: { cacheTtlMs: 60_000 } }, {}, 100);
    const request = {
      taskType: 'chat',
      variables: { input: 'q' },
      routeOptions: { tenantId: 't', deadlineMs: 60_000 },
    };
    const results = await Promise.all([orchestrator.process(request), orchestrator.process(request)]);
    expect(results.map((r) => r.cache).sort()).toEqual(['coalesced', 'miss']);
    expect(calls()).toBe(1);
  });
});

describe('process() checks its request', () => {
  it('a misspelt key or a route option outside the documented ones is an error naming the fix', async () => {
    const { orchestrator, calls } = setup('x', { chat: { cacheTtlMs: 60_000 } });
    const attempt = (request: unknown) =>
      orchestrator.process(request as never).then(
        () => undefined,
        (e: unknown) => e as OrchestratorError,
      );
    const typo = await attempt({ taskType: 'chat', variables: { input: 'hi' }, templateVersoin: '1' });
    expect(OrchestratorError.isInstance(typo) && typo.code).toBe('invalid-options');
    expect(typo?.message).toContain('templateVersion');
    const bypass = await attempt({ taskType: 'chat', variables: { input: 'hi' }, bypasCache: true });
    expect(bypass?.message).toContain('bypassCache');
    // temperature is the task's (and in the cache key); from a request it would be sent but not keyed.
    const temperature = await attempt({
      taskType: 'chat',
      variables: { input: 'hi' },
      routeOptions: { temperature: 2 },
    });
    expect(temperature?.message).toMatch(/routeOptions.*temperature/s);
    const tenant = await attempt({
      taskType: 'chat',
      variables: { input: 'hi' },
      routeOptions: { tenant: 'a' },
    });
    expect(tenant?.message).toContain('tenantId');
    const context = await attempt({ taskType: 'chat', variables: { input: 'hi' }, context: 'not a list' });
    expect(context?.message).toContain('context');
    const item = await attempt({ taskType: 'chat', variables: { input: 'hi' }, context: [{ text: 'oops' }] });
    expect(item?.message).toContain('context.0.content');
    const history = await attempt({
      taskType: 'chat',
      variables: { input: 'hi' },
      history: [{ role: 'user' }],
    });
    expect(history?.message).toContain('history.0.content');
    expect(calls()).toBe(0);
    // Extra fields on a context item are the caller's: accepted and kept.
    const ok = await orchestrator.process({
      taskType: 'chat',
      variables: { input: 'hi' },
      context: [{ content: 'c', source: 'doc-1' } as never],
    });
    expect(ok.context.included[0]).toMatchObject({ source: 'doc-1' });
  });
});
