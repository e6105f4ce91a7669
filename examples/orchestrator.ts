// The orchestrator's two classic tasks against a fake provider (no keys, no network): code generation that
// returns code, and requirement analysis that returns JSON valid against a schema. The first analysis answer
// breaks the schema, so the orchestrator asks again with the problems; the second run of each task is a
// cache hit. Run it with `npx -y pnpm@10.34.8 --filter @llmo/examples run orchestrator`.
import { Router } from '@llmo/core';
import {
  createOrchestrator,
  createTokenCounter,
  type PromptTemplate,
  type TaskConfig,
} from '@llmo/orchestrator';
import { createMockProvider } from '@llmo/provider-mock';

const CODE_ANSWER = [
  'Here is the function:',
  '```python',
  'def fibonacci(n: int) -> int:',
  '    a, b = 0, 1',
  '    for _ in range(n):',
  '        a, b = b, a + b',
  '    return a',
  '```',
].join('\n');
const ANALYSIS = {
  summary: 'Users sign in with e-mail and password; sessions expire after 30 minutes.',
  functional_requirements: [
    'sign in with e-mail and password',
    'sign out',
    'session expiry after 30 minutes',
  ],
  non_functional_requirements: ['passwords hashed with a slow hash'],
  complexity: 'medium',
  estimated_effort_days: 5,
  risks: ['credential stuffing'],
};

let analysisAnswers = 0;
// A fake model: code for code requests; for analyses, first an answer missing a field, then a valid one.
const fakeModel = (request: { messages: { role: string; content: string }[] }) => {
  const last = request.messages.at(-1)?.content ?? '';
  if (last.includes('Write')) return CODE_ANSWER;
  analysisAnswers++;
  const { risks: _dropped, ...incomplete } = ANALYSIS;
  return analysisAnswers === 1
    ? `Sure:\n\`\`\`json\n${JSON.stringify(incomplete)}\n\`\`\``
    : `Corrected: ${JSON.stringify(ANALYSIS)}`;
};

const router = new Router({ strategy: 'round-robin', onWarning: false });
router.addProvider(
  createMockProvider({ name: 'gpt-4o', model: 'gpt-4o', latencyMs: 5, chunkDelayMs: 0, response: fakeModel }),
);
router.addProvider(
  createMockProvider({
    name: 'gpt-4o-mini',
    model: 'gpt-4o-mini',
    latencyMs: 5,
    chunkDelayMs: 0,
    response: fakeModel,
  }),
);

const tasks: Record<string, TaskConfig> = {
  code_generation: {
    preferredModels: ['gpt-4o'],
    fallbackModels: ['gpt-4o-mini'],
    outputFormat: 'code',
    codeLanguage: 'python',
    templateId: 'code_generation',
    tokenBudget: 4000,
    cacheTtlMs: 3_600_000,
    temperature: 0.2,
  },
  requirement_analysis: {
    preferredModels: ['gpt-4o-mini'],
    outputFormat: 'json',
    templateId: 'requirement_analysis',
    tokenBudget: 8000,
    cacheTtlMs: 3_600_000,
    maxValidationRetries: 2,
  },
};

const templates: PromptTemplate[] = [
  {
    id: 'code_generation',
    version: '1',
    system: 'You are an expert {{ language }} developer. Answer with one fenced code block.',
    user: 'Write a {{ language }} function that {{ task }}.{% if constraints %} Constraints: {{ constraints }}.{% endif %}',
    requiredVariables: ['language', 'task'],
    optionalVariables: { constraints: '' },
  },
  {
    id: 'requirement_analysis',
    version: '1',
    system: 'You analyse software requirements. Answer with JSON only.',
    user: 'Analyse this requirement:\n{{ requirement }}',
    requiredVariables: ['requirement'],
  },
];

const analysisSchema = {
  type: 'object',
  required: [
    'summary',
    'functional_requirements',
    'non_functional_requirements',
    'complexity',
    'estimated_effort_days',
    'risks',
  ],
  properties: {
    summary: { type: 'string' },
    functional_requirements: { type: 'array', items: { type: 'string' } },
    non_functional_requirements: { type: 'array', items: { type: 'string' } },
    complexity: { enum: ['low', 'medium', 'high'] },
    estimated_effort_days: { type: 'number', minimum: 0 },
    risks: { type: 'array', items: { type: 'string' } },
  },
};

const orchestrator = createOrchestrator({
  router,
  tasks,
  templates,
  tokenCounter: createTokenCounter(),
  logger: { info: () => {}, warn: () => {} },
});

for (const run of [1, 2]) {
  const code = await orchestrator.process({
    taskType: 'code_generation',
    outputFormat: 'code',
    variables: { language: 'Python', task: 'returns the n-th Fibonacci number', constraints: 'iterative' },
  });
  console.log(
    `run ${run} code_generation: ${code.value.language} from ${code.provider}, cache ${code.cache}, ${code.promptTokens.tokens} prompt tokens (${code.promptTokens.estimated ? 'estimated' : code.promptTokens.encoding})`,
  );
  if (run === 1) console.log(code.value.code);

  const analysis = await orchestrator.process({
    taskType: 'requirement_analysis',
    variables: { requirement: 'Users sign in with e-mail and password; sessions expire after 30 minutes.' },
    schema: analysisSchema,
  });
  console.log(
    `run ${run} requirement_analysis: complexity ${(analysis.value as typeof ANALYSIS).complexity}, ${analysis.validationRetries} re-ask(s), cache ${analysis.cache}`,
  );
}

const metrics = orchestrator.getMetrics();
for (const [task, m] of Object.entries(metrics))
  console.log(
    `metrics ${task}: ${m.requests} requests, ${m.cacheHits} cache hit(s), ${m.validationRetries} validation retry(ies)`,
  );
await router.close({ timeoutMs: 5_000 });
