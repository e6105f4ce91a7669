// The router in one run, with no API keys: every strategy, fallback, the all-failed error, streaming
// (with fallback before the first chunk and none after it), a metrics table, usage records and cost.
// Run it with `npx -y pnpm@10.34.8 demo` from the repository root.
import {
  type ProviderV1,
  RouteFailedError,
  Router,
  type RouterOptions,
  STRATEGY_NAMES,
  StreamInterruptedError,
  type UsageRecord,
} from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';

const tty = process.stdout.isTTY;
const paint = (code: number) => (text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = paint(1);
const dim = paint(2);
const green = paint(32);
const red = paint(31);
const cyan = paint(36);

function heading(title: string): void {
  console.log(`\n${bold(cyan(`━━ ${title} `.padEnd(78, '━')))}`);
}

function table(rows: Record<string, unknown>[]): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const cell = (value: unknown) => (value === null || value === undefined ? '–' : String(value));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  console.log(bold(line(columns)));
  for (const row of rows) console.log(line(columns.map((c) => cell(row[c]))));
}

const ms = (value: number | null | undefined) =>
  value === null || value === undefined ? null : `${value.toFixed(1)} ms`;

/** Three well-behaved providers with different speeds and prices. */
function trio(): ProviderV1[] {
  return [
    createMockProvider({
      name: 'gigachat-like',
      latencyMs: 30,
      chunkDelayMs: 4,
      pricing: { inputPer1K: 2, outputPer1K: 2, currency: 'RUB' },
    }),
    createMockProvider({
      name: 'openai-like',
      latencyMs: 12,
      chunkDelayMs: 2,
      pricing: { inputPer1K: 0.0025, outputPer1K: 0.01, currency: 'USD' },
    }),
    createMockProvider({
      name: 'local-ollama',
      model: 'mock-normal-unhealthy',
      latencyMs: 20,
      chunkDelayMs: 3,
    }),
  ];
}

const usage: UsageRecord[] = [];
const quiet: Pick<RouterOptions, 'onWarning' | 'usageCallback'> = {
  onWarning: false,
  usageCallback: (record) => void usage.push(record),
};

console.log(bold('llmo routing demo') + dim('  (mock providers: no network, no API keys)'));

// 1. Strategies
heading('1. Strategies: which provider answers each of 6 requests');
console.log(dim('local-ollama fails its health check (its model name contains "unhealthy")'));
console.log(
  dim('prices: gigachat-like 2 RUB/1K tokens, openai-like $0.0025/$0.01 per 1K, local-ollama free'),
);
for (const strategy of STRATEGY_NAMES) {
  const router = new Router({
    strategy,
    seed: 7,
    weights: { 'gigachat-like': 1, 'openai-like': 4, 'local-ollama': 1 },
    ...quiet,
  });
  for (const provider of trio()) router.addProvider(provider);
  // Warm up so metric-driven strategies have numbers to compare.
  if (strategy === 'best-available' || strategy === 'least-latency') {
    for (let i = 0; i < 3; i++) await router.route(`warm-up ${i}`);
  }
  const served: string[] = [];
  for (let i = 0; i < 6; i++) served.push((await router.route(`Question ${i}`)).provider);
  console.log(`${bold(strategy.padEnd(16))} ${served.join(dim(' → '))}`);
}

// 2. Fallback
heading('2. Fallback: a rate-limited and an unauthorised provider before a working one');
const fallback = new Router({
  strategy: 'first-available',
  retry: { maxRetries: 1, initialDelayMs: 20 },
  ...quiet,
});
fallback.addProvider(
  createMockProvider({ name: 'busy', model: 'mock-ratelimit', latencyMs: 5, retryAfterMs: 50 }),
);
fallback.addProvider(createMockProvider({ name: 'bad-key', model: 'mock-auth-error', latencyMs: 5 }));
fallback.addProvider(createMockProvider({ name: 'backup', latencyMs: 10 }));
const answered = await fallback.route('What is Python?');
table(
  answered.attempts.map((a) => ({
    provider: a.provider,
    retry: a.retry,
    outcome: a.outcome === 'success' ? green('success') : red(a.outcome),
    'error kind': a.errorKind,
    latency: ms(a.latencyMs),
  })),
);
console.log(`${green('✓')} "${answered.text}" from ${bold(answered.provider)} in ${ms(answered.latencyMs)}`);
console.log(dim('  rate_limit is retried on the same provider after its Retry-After; auth moves on at once'));

// 3. All failed
heading('3. When every provider fails');
const doomed = new Router({ strategy: 'round-robin', retry: { maxRetries: 0 }, ...quiet });
for (const model of ['mock-timeout', 'mock-auth-error', 'mock-server-error']) {
  doomed.addProvider(createMockProvider({ name: model.replace('mock-', ''), model, latencyMs: 5 }));
}
try {
  await doomed.route('Anyone there?');
} catch (error) {
  if (!RouteFailedError.isInstance(error)) throw error;
  console.log(`${red('✗')} ${error.name} (reason: ${error.reason})`);
  console.log(`  ${error.message}`);
}
try {
  await doomed.route('Bad request?', { excludeProviders: ['timeout', 'auth-error', 'server-error'] });
} catch (error) {
  if (RouteFailedError.isInstance(error)) console.log(`${red('✗')} ${error.message}`);
}

// 4. Streaming
heading('4. Streaming');
const streaming = new Router({ strategy: 'round-robin', retry: { maxRetries: 0 }, ...quiet });
streaming.addProvider(createMockProvider({ name: 'overloaded', model: 'mock-server-error', latencyMs: 5 }));
streaming.addProvider(createMockProvider({ name: 'storyteller', latencyMs: 10, chunkDelayMs: 25 }));
process.stdout.write(dim('stream › '));
const story = streaming.routeStream('Tell me a story about a router that never gave up');
for await (const chunk of story) process.stdout.write(chunk);
const told = await story.result;
console.log(
  `\n${green('✓')} ${told.provider} after ${told.attempts.length - 1} failed attempt(s) before the first chunk; ` +
    `TTFT ${ms(told.ttftMs)}, ${told.usage.completionTokens} tokens`,
);

const breaking = new Router({ strategy: 'round-robin', ...quiet });
breaking.addProvider(
  createMockProvider({ name: 'flaky-stream', model: 'mock-stream-break', latencyMs: 5, chunkDelayMs: 20 }),
);
breaking.addProvider(createMockProvider({ name: 'never-used', latencyMs: 5 }));
process.stdout.write(dim('stream › '));
try {
  for await (const chunk of breaking.routeStream('This stream will break after three words'))
    process.stdout.write(chunk);
} catch (error) {
  if (!StreamInterruptedError.isInstance(error)) throw error;
  console.log(`\n${red('✗')} ${error.message}`);
  console.log(
    dim(`  text received so far: "${error.textSoFar}" (no fallback after the first chunk: no mixed answers)`),
  );
}

// 5. Metrics
heading('5. Metrics and health after 60 round-robin requests');
const busy = new Router({
  strategy: 'round-robin',
  retry: { maxRetries: 0 },
  circuitBreaker: false,
  ...quiet,
});
busy.addProvider(
  createMockProvider({
    name: 'steady',
    latencyMs: 8,
    pricing: { inputPer1K: 1, outputPer1K: 3, currency: 'RUB' },
  }),
);
busy.addProvider(
  createMockProvider({ name: 'flaky', model: 'mock-flaky', latencyMs: 4, seed: 3, failureRate: 0.7 }),
);
busy.addProvider(
  createMockProvider({
    name: 'premium',
    latencyMs: 15,
    pricing: { inputPer1K: 0.005, outputPer1K: 0.015, currency: 'USD' },
  }),
);
await Promise.all(Array.from({ length: 40 }, (_, i) => busy.route(`Request ${i}`).catch(() => undefined)));
for (let i = 0; i < 20; i++) await busy.route(`Sequential ${i}`).catch(() => undefined);
table(
  Object.values(busy.getMetrics()).map((m) => ({
    provider: m.provider,
    health: m.health === 'healthy' ? green(m.health) : red(m.health),
    requests: m.totalRequests,
    errors: m.failedRequests,
    'error rate (60 s)': `${(m.recentErrorRate * 100).toFixed(0)}%`,
    'avg latency': ms(m.avgLatencyMs),
    p95: ms(m.p95LatencyMs),
    tokens: m.totalTokens,
    cost: Object.entries(m.cost)
      .map(([currency, amount]) => `${amount.toFixed(4)} ${currency}`)
      .join(', '),
  })),
);
console.log(dim('health uses the last 60 s: error rate ≥ 30% degraded, ≥ 60% unhealthy (after 5 requests)'));
console.log(dim('failed attempts moved on to the next provider, so every request was still answered'));

// 6. Usage and cost
heading('6. Usage records (one per attempt, success or failure) and session cost');
await Promise.all([fallback, doomed, streaming, breaking, busy].map((router) => router.close()));
table(
  usage.slice(-6).map((r) => ({
    provider: r.provider,
    success: r.success ? green('yes') : red('no'),
    'error kind': r.errorKind,
    streaming: r.streaming,
    tokens: `${r.promptTokens}+${r.completionTokens}${r.estimated ? ' (est.)' : ''}`,
    cost: `${r.cost} ${r.currency}`,
    latency: ms(r.latencyMs),
  })),
);
console.log(`${usage.length} usage records in total; the last 6 shown.`);
console.log(
  `Session cost of the 60 requests, per currency (never summed across currencies): ${JSON.stringify(busy.getSessionCost())}`,
);
console.log(`\n${green('Done.')} Next: ${bold('npx -y pnpm@10.34.8 test')} runs the whole suite.`);
