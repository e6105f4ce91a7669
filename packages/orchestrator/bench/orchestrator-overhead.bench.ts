// What the orchestrator itself costs per request, apart from the model: route() on a bare router (the
// baseline, in the same run) against process() over the same router, with the pieces measured alone (template
// render, context pruning, JSON extraction, schema validation, cache key) and an exact-cache hit. Every loop is
// bounded by a call count. Run with `pnpm bench` in packages/orchestrator.
import { cpus, totalmem } from 'node:os';
import { BaseRouter, type ProviderV1, roundRobin } from '@llmo/core';
import {
  cacheKey,
  compileSchema,
  createOrchestrator,
  createTokenCounter,
  estimateTokenizer,
  extractJson,
  MemoryVectorIndex,
  pruneContext,
  TemplateRegistry,
} from '../src/index.js';

const CALLS = 5_000;
const ANSWER =
  'Here you go:\n```json\n{"summary":"Login","complexity":"medium","components":["api","db","ui"]}\n```';

/** Answers at once, so what is measured is the orchestrator's own work. */
const provider: ProviderV1 = {
  specificationVersion: 'v1',
  name: 'memory',
  model: 'gpt-4o-mini',
  providerType: 'memory',
  pricing: { inputPer1K: 0.00015, outputPer1K: 0.0006, currency: 'USD' },
  async generate() {
    return { text: ANSWER, finishReason: 'stop', usage: { promptTokens: 120, completionTokens: 30 } };
  },
  async *stream() {
    yield { type: 'finish', finishReason: 'stop', usage: {} };
  },
  async healthCheck() {
    return true;
  },
};

const template = {
  id: 'analyze',
  version: '1',
  system: 'You analyse {{ domain }} requirements. Answer with JSON only.',
  user: 'Requirement: {{ requirement }}\n{% for c in constraints %}- {{ c }}\n{% endfor %}',
  requiredVariables: ['requirement', 'domain'],
  optionalVariables: { constraints: ['secure', 'fast'] },
};
const variables = { requirement: 'Users log in with e-mail and password.', domain: 'web' };
const context = Array.from({ length: 50 }, (_, i) => ({
  content: `Fact ${i}: ${'lorem ipsum dolor sit amet '.repeat(8)}`,
  relevance: ((i * 37) % 100) / 100,
  timestamp: 1_700_000_000_000 + i * 1000,
}));
const schema = {
  type: 'object',
  required: ['summary', 'complexity', 'components'],
  properties: {
    summary: { type: 'string' },
    complexity: { enum: ['low', 'medium', 'high'] },
    components: { type: 'array', items: { type: 'string' } },
  },
};

async function perCallMicros(call: () => unknown, calls = CALLS): Promise<number> {
  for (let i = 0; i < Math.min(500, calls); i++) await call(); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await call();
  return Number(process.hrtime.bigint() - start) / 1e3 / calls;
}

const router = new BaseRouter({ strategy: roundRobin(), onWarning: false });
router.addProvider(provider);
const make = (cacheTtlMs: number, exact: boolean) =>
  createOrchestrator({
    router,
    tasks: { analysis: { outputFormat: 'json', tokenBudget: 1500, cacheTtlMs } },
    templates: [template],
    onWarning: false,
    ...(exact ? { tokenCounter: createTokenCounter() } : {}),
  });
const request = { taskType: 'analysis', templateId: 'analyze', variables, context, schema };

const registry = new TemplateRegistry([template]);
const compiled = compileSchema(schema);
const o200k = await createTokenCounter().forModel('gpt-4o-mini');
const uncached = make(0, false);
const uncachedExact = make(0, true);
const cached = make(60_000, false);
await cached.process(request);

// The semantic cache at 10k cached entries of 384 dimensions (a small embedding model's size): the index
// search alone, and a whole process() that ends in a semantic hit (the embedding is a fixed vector here, so
// what is measured is the orchestrator's and the index's work, not an embedding call).
const DIMENSIONS = 384;
const vector = (seed: number) => Array.from({ length: DIMENSIONS }, (_, i) => Math.sin(seed * 31 + i * 7));
const index = new MemoryVectorIndex({ maxPerScope: 20_000 });
for (let i = 0; i < 10_000; i++) index.add('scope', vector(i), `k${i}`);
const probe = vector(0.5); // not one of the 10k: the hit is the answer the first request cached
const semanticRouter = new BaseRouter({ strategy: roundRobin(), onWarning: false });
semanticRouter.addProvider(provider);
const semantic = createOrchestrator({
  router: semanticRouter,
  tasks: {
    analysis: { outputFormat: 'json', tokenBudget: 1500, cacheTtlMs: 600_000, semanticThreshold: 0.9 },
  },
  templates: [template],
  onWarning: false,
  // One index shared by every scope, prefilled with 10k other entries: the hit searches all of them.
  semanticCache: {
    embed: async () => probe,
    index: {
      add: (_scope, v, key) => index.add('scope', v, key),
      nearest: (_scope, v) => index.nearest('scope', v),
      remove: (_scope, key) => index.remove('scope', key),
    },
  },
});
const first = await semantic.process({ ...request, variables: { ...variables, requirement: 'seed' } });
if (first.cache !== 'miss') throw new Error('expected the first request to miss');
const semanticHit = () =>
  semantic.process({ ...request, variables: { ...variables, requirement: 'similar' } });
const check = await semanticHit();
if (check.cache !== 'semantic') throw new Error(`expected a semantic hit, got ${check.cache}`);

const rows: [string, number][] = [
  ['router.route() alone (baseline)', await perCallMicros(() => router.route('Requirement: x'))],
  ['process(): no cache, estimated tokens', await perCallMicros(() => uncached.process(request))],
  [
    'process(): no cache, exact tokens (o200k)',
    await perCallMicros(() => uncachedExact.process(request), 1_000),
  ],
  ['process(): exact-cache hit', await perCallMicros(() => cached.process(request))],
  ['  render template', await perCallMicros(() => registry.render('analyze', variables))],
  [
    '  prune 50 items (estimate)',
    await perCallMicros(() => pruneContext(context, { budget: 1000, tokenizer: estimateTokenizer })),
  ],
  [
    '  prune 50 items (o200k)',
    await perCallMicros(() => pruneContext(context, { budget: 1000, tokenizer: o200k }), 1_000),
  ],
  ['  extract JSON from a fenced answer', await perCallMicros(() => extractJson(ANSWER))],
  [
    '  validate (JSON Schema)',
    await perCallMicros(() => compiled.validate({ summary: 's', complexity: 'low', components: ['a'] })),
  ],
  ['semantic index: nearest of 10k × 384', await perCallMicros(() => index.nearest('scope', probe), 200)],
  ['process(): semantic hit among 10k entries', await perCallMicros(semanticHit, 300)],
  [
    '  cache key (SHA-256 of the request)',
    await perCallMicros(() => cacheKey({ request, messages: [ANSWER] })),
  ],
];

console.log(
  `Node ${process.version}, ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GB`,
);
console.log('| what | µs per call |\n| --- | ---: |');
for (const [label, micros] of rows) console.log(`| ${label} | ${micros.toFixed(1)} |`);
await router.close();
