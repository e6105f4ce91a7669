import { RouteFailedError } from '@llmo/core';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  createOrchestrator,
  createTokenCounter,
  OrchestratorError,
  type PromptTemplate,
  ResponseValidationError,
} from './index.js';
import { startRouter, waitUntil } from './orchestrator.test-helper.js';

const templates: PromptTemplate[] = [
  {
    id: 'analyze',
    version: '1',
    system: 'You analyse requirements and answer in JSON.',
    user: 'Requirement: {{ requirement }}',
    requiredVariables: ['requirement'],
  },
  {
    id: 'analyze',
    version: '2',
    system: 'You analyse requirements. Answer with JSON only.',
    user: 'Requirement ({{ priority }}): {{ requirement }}',
    requiredVariables: ['requirement'],
    optionalVariables: { priority: 'normal' },
  },
  {
    id: 'codegen',
    version: '1',
    user: 'Write a {{ language }} function that {{ task }}.',
    requiredVariables: ['language', 'task'],
  },
];

const analysisSchema = z.object({
  summary: z.string(),
  complexity: z.enum(['low', 'medium', 'high']),
  components: z.array(z.string()),
});

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function setup(specs: Parameters<typeof startRouter>[0]) {
  const fixture = await startRouter(specs);
  closers.push(fixture.close);
  return fixture;
}

type Body = {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: Record<string, unknown>;
};
const bodyOf = (request: { body: unknown } | undefined) => request?.body as Body;

describe('orchestrator.process through a real Router and OpenAI providers on fake servers', () => {
  it('renders the latest template, routes to the preferred provider, validates JSON, reports usage and logs the request id', async () => {
    const { router, server } = await setup([
      { name: 'cheap', model: 'gpt-4o-mini' },
      { name: 'smart', model: 'gpt-4o' },
    ]);
    server('smart').reply({
      type: 'text',
      text: 'Here it is:\n```json\n{"summary":"Login","complexity":"medium","components":["api","db"]}\n```',
      usage: { promptTokens: 40, completionTokens: 12 },
    });
    const lines: Record<string, unknown>[] = [];
    const orchestrator = createOrchestrator({
      router,
      tasks: {
        analysis: { preferredModels: ['gpt-4o'], fallbackModels: ['gpt-4o-mini'], outputFormat: 'json' },
      },
      templates,
      logger: { info: (fields) => lines.push(fields), warn: (fields) => lines.push(fields) },
      tokenCounter: createTokenCounter(),
    });
    const result = await orchestrator.process({
      taskType: 'analysis',
      templateId: 'analyze',
      variables: { requirement: 'Users log in with e-mail' },
      schema: analysisSchema,
    });
    expect(result.value).toEqual({ summary: 'Login', complexity: 'medium', components: ['api', 'db'] });
    // Typed by the schema: this line compiles only if value is the schema's output.
    expect(result.value.components.length).toBe(2);
    expect(result).toMatchObject({
      provider: 'smart',
      model: 'gpt-4o',
      template: { id: 'analyze', version: '2' },
      cache: 'off',
      cacheHit: false,
      validationRetries: 0,
      usage: { promptTokens: 40, completionTokens: 12, totalTokens: 52 },
      selection: { candidates: ['smart', 'cheap'], usedDefault: false },
    });
    expect(result.promptTokens).toMatchObject({ estimated: false, encoding: 'o200k_base' });
    expect(result.attempts).toHaveLength(1);
    const sent = bodyOf(server('smart').chatRequests[0]);
    expect(sent.messages).toEqual([
      { role: 'system', content: 'You analyse requirements. Answer with JSON only.' },
      { role: 'user', content: 'Requirement (normal): Users log in with e-mail' },
    ]);
    // Native structured output: the zod schema went out as a JSON schema response format.
    expect(sent.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: {
        name: 'analysis',
        strict: false,
        schema: { type: 'object', required: ['summary', 'complexity', 'components'] },
      },
    });
    expect(server('cheap').chatRequests).toHaveLength(0);
    expect(lines).toEqual([
      expect.objectContaining({
        request_id: result.requestId,
        router_request_id: result.route?.requestId,
        task_type: 'analysis',
        template_id: 'analyze',
        template_version: '2',
        provider: 'smart',
        success: true,
      }),
    ]);
    expect(orchestrator.getMetrics().analysis).toMatchObject({
      requests: 1,
      successes: 1,
      promptTokens: 40,
      completionTokens: 12,
    });
  });

  it('falls back through the Router when the preferred provider fails, and pins an older template version', async () => {
    const { router, server } = await setup([
      { name: 'primary', model: 'gpt-4o' },
      { name: 'backup', model: 'gpt-4o-mini' },
      { name: 'other', model: 'gpt-3.5-turbo' },
    ]);
    server('primary').reply({ type: 'error', status: 503 });
    server('backup').reply({ type: 'text', text: 'plain answer' });
    const orchestrator = createOrchestrator({
      router,
      tasks: { analysis: { preferredProviders: ['primary'], fallbackModels: ['gpt-4o-mini'] } },
      templates,
    });
    const result = await orchestrator.process({
      taskType: 'analysis',
      templateId: 'analyze',
      templateVersion: '1',
      variables: { requirement: 'x' },
    });
    expect(result).toMatchObject({ value: 'plain answer', provider: 'backup', template: { version: '1' } });
    expect(result.attempts.map((a) => [a.provider, a.outcome])).toEqual([
      ['primary', 'error'],
      ['backup', 'success'],
    ]);
    // A provider the task does not name is excluded, never tried.
    expect(server('other').chatRequests).toHaveLength(0);
  });

  it('asks again with the errors fed back, then fails with every attempt when the JSON stays malformed', async () => {
    const { router, server } = await setup([{ name: 'only', model: 'gpt-4o-mini' }]);
    server('only').reply(
      { type: 'text', text: 'Sure! {"summary": "x", "complexity": ' },
      { type: 'text', text: '{"summary": "x", "complexity": "extreme", "components": []}' },
      { type: 'text', text: 'I cannot produce JSON today.' },
    );
    const warnings: Record<string, unknown>[] = [];
    const orchestrator = createOrchestrator({
      router,
      tasks: { analysis: { maxValidationRetries: 2 } },
      templates,
      logger: { info: () => {}, warn: (fields) => warnings.push(fields) },
    });
    const error = await orchestrator
      .process({
        taskType: 'analysis',
        templateId: 'analyze',
        variables: { requirement: 'r' },
        schema: analysisSchema,
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(ResponseValidationError.isInstance(error)).toBe(true);
    const failure = error as ResponseValidationError;
    expect(failure.attempts.map((a) => [a.stage, a.raw])).toEqual([
      ['parse', 'Sure! {"summary": "x", "complexity": '],
      ['validate', '{"summary": "x", "complexity": "extreme", "components": []}'],
      ['parse', 'I cannot produce JSON today.'],
    ]);
    expect(failure.attempts[1]?.issues[0]?.path).toEqual(['complexity']);
    // Bounded: three asks, no more; each re-ask carries the previous answer and its problems.
    const requests = server('only').chatRequests;
    expect(requests).toHaveLength(3);
    const second = bodyOf(requests[1]).messages;
    expect(second.at(-2)).toEqual({ role: 'assistant', content: 'Sure! {"summary": "x", "complexity": ' });
    expect(second.at(-1)?.content).toContain('could not be read as JSON');
    const third = bodyOf(requests[2]).messages;
    expect(third.at(-1)?.content).toContain('complexity');
    expect(warnings).toEqual([
      expect.objectContaining({ error_type: 'ResponseValidationError', success: false }),
    ]);
    expect(orchestrator.getMetrics().analysis).toMatchObject({
      requests: 1,
      successes: 0,
      errors: { ResponseValidationError: 1 },
      validationRetries: 2,
    });
  });

  it('recovers when a re-ask returns valid JSON and counts the retry', async () => {
    const { router, server } = await setup([{ name: 'only', model: 'gpt-4o-mini' }]);
    server('only').reply(
      { type: 'text', text: 'oops', usage: { promptTokens: 10, completionTokens: 1 } },
      {
        type: 'text',
        text: '{"summary":"ok","complexity":"low","components":[]}',
        usage: { promptTokens: 20, completionTokens: 9 },
      },
    );
    const orchestrator = createOrchestrator({ router, tasks: { analysis: {} }, templates });
    const result = await orchestrator.process({
      taskType: 'analysis',
      templateId: 'analyze',
      variables: { requirement: 'r' },
      schema: analysisSchema,
    });
    expect(result).toMatchObject({ validationRetries: 1, usage: { promptTokens: 30, completionTokens: 10 } });
    expect(result.attempts).toHaveLength(2);
    expect(orchestrator.getMetrics().analysis?.validationRetries).toBe(1);
  });

  it('returns code from the first fenced block with its language', async () => {
    const { router, server } = await setup([{ name: 'only', model: 'gpt-4o-mini' }]);
    server('only').reply({
      type: 'text',
      text: 'Here:\n```python\ndef add(a, b):\n    return a + b\n```\nand a test:\n```python\nassert add(1, 2) == 3\n```',
    });
    const orchestrator = createOrchestrator({
      router,
      tasks: { codegen: { outputFormat: 'code', templateId: 'codegen' } },
      templates,
    });
    const result = await orchestrator.process({
      taskType: 'codegen',
      outputFormat: 'code',
      variables: { language: 'Python', task: 'adds two numbers' },
    });
    expect(result.value).toEqual({
      code: 'def add(a, b):\n    return a + b',
      language: 'python',
      fenced: true,
      complete: true,
    });
  });

  it('caches by task TTL, coalesces identical requests in flight, and counts hits and saved cost', async () => {
    let now = 1_000_000;
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The provider's fetch waits for the gate, so every caller is waiting on the one flight before it answers.
    const gatedFetch: typeof fetch = async (input, init) => {
      await gate;
      return fetch(input, init);
    };
    const { router, server } = await setup([{ name: 'only', model: 'gpt-4o-mini', fetch: gatedFetch }]);
    server('only').setDefault({
      type: 'text',
      text: '{"summary":"s","complexity":"low","components":["a"]}',
    });
    const orchestrator = createOrchestrator({
      router,
      tasks: { analysis: { cacheTtlMs: 60_000 } },
      templates,
      now: () => now,
    });
    const request = {
      taskType: 'analysis',
      templateId: 'analyze',
      variables: { requirement: 'same' },
      schema: analysisSchema,
    };
    const pending = Array.from({ length: 5 }, () => orchestrator.process(request));
    await waitUntil(() => orchestrator.inFlight().waiters === 5, 'five callers on one flight');
    expect(orchestrator.inFlight().flights).toBe(1);
    release?.();
    const results = await Promise.all(pending);
    expect(server('only').chatRequests).toHaveLength(1);
    expect(results.map((r) => r.cache).sort()).toEqual([
      'coalesced',
      'coalesced',
      'coalesced',
      'coalesced',
      'miss',
    ]);
    for (const r of results) expect(r.value).toEqual({ summary: 's', complexity: 'low', components: ['a'] });
    expect(new Set(results.map((r) => r.requestId)).size).toBe(5);
    // Every caller sees the shared run's route (its finish reason, its router request id); only its owner spent.
    expect(new Set(results.map((r) => r.route?.requestId)).size).toBe(1);
    expect(results.filter((r) => r.usage.totalTokens > 0)).toHaveLength(1);

    const hit = await orchestrator.process(request);
    expect(hit).toMatchObject({
      cache: 'hit',
      cacheHit: true,
      provider: 'only',
      attempts: [],
      usage: { totalTokens: 0 },
    });
    expect(server('only').chatRequests).toHaveLength(1);
    // Another variable, another key; another template version, another key.
    await orchestrator.process({ ...request, variables: { requirement: 'different' } });
    await orchestrator.process({ ...request, templateVersion: '1' });
    expect(server('only').chatRequests).toHaveLength(3);
    // Past the TTL the entry is gone.
    now += 60_001;
    expect((await orchestrator.process(request)).cache).toBe('miss');
    expect(server('only').chatRequests).toHaveLength(4);
    expect(orchestrator.getMetrics().analysis).toMatchObject({
      requests: 9,
      cacheHits: 1,
      cacheMisses: 4,
      coalesced: 4,
    });
  });

  it('never caches a truncated answer', async () => {
    const { router, server } = await setup([{ name: 'only', model: 'gpt-4o-mini' }]);
    server('only').reply(
      { type: 'text', text: 'cut', finishReason: 'length' },
      { type: 'text', text: 'whole' },
    );
    const orchestrator = createOrchestrator({ router, tasks: { chat: { cacheTtlMs: 60_000 } } });
    expect((await orchestrator.process({ taskType: 'chat', variables: { input: 'hi' } })).value).toBe('cut');
    const second = await orchestrator.process({ taskType: 'chat', variables: { input: 'hi' } });
    expect(second).toMatchObject({ value: 'whole', cache: 'miss' });
    expect((await orchestrator.process({ taskType: 'chat', variables: { input: 'hi' } })).cache).toBe('hit');
  });

  it('an abort mid-request ends in a typed error and leaves nothing in flight', async () => {
    const { router, server } = await setup([{ name: 'only', model: 'gpt-4o-mini' }]);
    server('only').reply({ type: 'hang' });
    const orchestrator = createOrchestrator({ router, tasks: { chat: { cacheTtlMs: 1000 } } });
    const controller = new AbortController();
    const pending = orchestrator.process({
      taskType: 'chat',
      variables: { input: 'hi' },
      signal: controller.signal,
    });
    await waitUntil(() => server('only').chatRequests.length === 1, 'the request to reach the server');
    controller.abort();
    const error = await pending.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(OrchestratorError.isInstance(error) || RouteFailedError.isInstance(error)).toBe(true);
    await waitUntil(() => orchestrator.inFlight().flights === 0, 'the flight to end');
    expect(orchestrator.getMetrics().chat?.errors).toBeDefined();
  });

  it('an already aborted signal is a typed cancelled error and sends nothing', async () => {
    const { router, server } = await setup([{ name: 'only', model: 'gpt-4o-mini' }]);
    const orchestrator = createOrchestrator({ router, tasks: { chat: {}, cached: { cacheTtlMs: 1000 } } });
    for (const taskType of ['chat', 'cached']) {
      const error = await orchestrator
        .process({ taskType, variables: { input: 'hi' }, signal: AbortSignal.abort() })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(OrchestratorError.isInstance(error) && error.code).toBe('cancelled');
    }
    expect(server('only').chatRequests).toHaveLength(0);
    expect(orchestrator.getMetrics().chat?.errors).toEqual({ OrchestratorError: 1 });
  });

  it('one coalesced caller aborting does not fail the others', async () => {
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const gatedFetch: typeof fetch = async (input, init) => {
      await gate;
      return fetch(input, init);
    };
    const { router, server } = await setup([{ name: 'only', model: 'gpt-4o-mini', fetch: gatedFetch }]);
    server('only').reply({ type: 'text', text: 'shared' });
    const orchestrator = createOrchestrator({ router, tasks: { chat: { cacheTtlMs: 1000 } } });
    const controller = new AbortController();
    const leaver = orchestrator.process({
      taskType: 'chat',
      variables: { input: 'hi' },
      signal: controller.signal,
    });
    const stayer = orchestrator.process({ taskType: 'chat', variables: { input: 'hi' } });
    await waitUntil(() => orchestrator.inFlight().waiters === 2, 'two callers on one flight');
    controller.abort();
    const left = await leaver.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(OrchestratorError.isInstance(left) && left.code).toBe('cancelled');
    release?.();
    const stayed = await stayer;
    expect(stayed.value).toBe('shared');
    // The run outlived its owner: the caller that got it reports it as its own, so its spend is counted once.
    expect(stayed).toMatchObject({ cache: 'miss', cacheHit: false });
    expect(stayed.usage.totalTokens).toBeGreaterThan(0);
    expect(orchestrator.getMetrics().chat?.completionTokens).toBe(stayed.usage.completionTokens);
  });
});
