// Chaos benchmark of the router: three fault-injecting OpenAI-compatible servers (one fault-free at any
// moment, rotating), a usage sink that fails 20% of POSTs and goes down for 3 s mid-run, and thousands of
// route() calls and routeStream() streams through one Router. Prints user-visible failures, hangs and
// lost/duplicate usage records; exits 1 when any failure, hang, lost or disallowed extra record is seen.
// Every loop is bounded in count and time; a global timeout always ends the run.
//
//   node --import tsx bench/chaos/router-chaos.ts --requests 1000 --streams 200
import { AsyncLocalStorage } from 'node:async_hooks';
import { parseArgs } from 'node:util';
import {
  LlmoError,
  RouteFailedError,
  Router,
  RouterError,
  type RouterOptions,
  STRATEGY_NAMES,
  type StrategyName,
  StreamInterruptedError,
} from '@llmo/core';
import { createOpenAI } from '@llmo/provider-openai';
import {
  ChaosOpenAIServer,
  expectedAnswer,
  FAULT_KINDS,
  type FaultLog,
  Rotation,
  seededRandom,
} from './chaos-server.js';
import { type SinkDownMode, UsageSink } from './usage-sink.js';

// ---------------------------------------------------------------------------------------------------------
// Options

const HELP = `Usage: node --import tsx bench/chaos/router-chaos.ts [options]
  --requests N            route() calls (default 10000)
  --streams N             routeStream() streams (default 2000)
  --concurrency N         operations in flight (default 50)
  --strategy NAME         ${STRATEGY_NAMES.join(' | ')} (default best-available)
  --seed N                seeds faults, job order, the sink and the router's jitter (default 1)
  --fault-rate P          share of faulty answers on a non-healthy server (default 0.3)
  --deadline-ms N         deadlineMs of every request (default 10000; 0 = no deadline)
  --hang-after-ms N       unsettled this long = a hang (default deadline + 5000, or 65000 without one)
  --attempt-timeout-ms N  the router's timeoutMs (default: the router's own default)
  --max-retries N         the router's retry.maxRetries (default: the router's own default)
  --rotate-ms N           how often the fault-free server changes (default 1000)
  --sink-fail-rate P      share of usage POSTs answered 503 (default 0.2)
  --sink-down-ms N        how long the sink is completely down mid-run (default 3000; 0 = never)
  --sink-down-mode M      refuse | 503 (default refuse)
  --endless-mb N          an endless line stops growing after N MB (default 2)
  --late-wait-ms N        after router.close(), poll the sink this long for late records (default 30000)
  --global-timeout-ms N   the load phase ends after this, whatever is in flight (default 480000)
  --examples N            hung/failed examples printed (default 8)`;

const { values: flags } = parseArgs({
  options: {
    requests: { type: 'string', default: '10000' },
    streams: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '50' },
    strategy: { type: 'string', default: 'best-available' },
    seed: { type: 'string', default: '1' },
    'fault-rate': { type: 'string', default: '0.3' },
    'deadline-ms': { type: 'string', default: '10000' },
    'hang-after-ms': { type: 'string' },
    'attempt-timeout-ms': { type: 'string' },
    'max-retries': { type: 'string' },
    'rotate-ms': { type: 'string', default: '1000' },
    'sink-fail-rate': { type: 'string', default: '0.2' },
    'sink-down-ms': { type: 'string', default: '3000' },
    'sink-down-mode': { type: 'string', default: 'refuse' },
    'endless-mb': { type: 'string', default: '2' },
    'late-wait-ms': { type: 'string', default: '30000' },
    'global-timeout-ms': { type: 'string', default: '480000' },
    examples: { type: 'string', default: '8' },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

if (flags.help) {
  console.log(HELP);
  process.exit(0);
}

function numberFlag(name: keyof typeof flags, min: number, max: number): number {
  const raw = flags[name];
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(value) || value < min || value > max) {
    console.error(`--${name} must be a number in [${min}, ${max}], got ${String(raw)}\n\n${HELP}`);
    process.exit(2);
  }
  return value;
}
const optionalNumberFlag = (name: keyof typeof flags, min: number, max: number) =>
  flags[name] === undefined ? undefined : numberFlag(name, min, max);

const strategy = flags.strategy as StrategyName;
if (!STRATEGY_NAMES.includes(strategy)) {
  console.error(`--strategy must be one of ${STRATEGY_NAMES.join(', ')}, got ${flags.strategy}`);
  process.exit(2);
}
const sinkDownMode = flags['sink-down-mode'] as SinkDownMode;
if (sinkDownMode !== 'refuse' && sinkDownMode !== '503') {
  console.error(`--sink-down-mode must be refuse or 503, got ${flags['sink-down-mode']}`);
  process.exit(2);
}

const config = {
  requests: Math.floor(numberFlag('requests', 0, 1_000_000)),
  streams: Math.floor(numberFlag('streams', 0, 1_000_000)),
  concurrency: Math.floor(numberFlag('concurrency', 1, 10_000)),
  strategy,
  seed: Math.floor(numberFlag('seed', 0, 2 ** 31)),
  faultRate: numberFlag('fault-rate', 0, 1),
  deadlineMs: numberFlag('deadline-ms', 0, 600_000),
  hangAfterMs: optionalNumberFlag('hang-after-ms', 1, 3_600_000),
  attemptTimeoutMs: optionalNumberFlag('attempt-timeout-ms', 1, 600_000),
  maxRetries: optionalNumberFlag('max-retries', 0, 10),
  rotateMs: numberFlag('rotate-ms', 10, 600_000),
  sinkFailRate: numberFlag('sink-fail-rate', 0, 1),
  sinkDownMs: numberFlag('sink-down-ms', 0, 600_000),
  sinkDownMode,
  endlessMaxBytes: Math.floor(numberFlag('endless-mb', 0, 64) * 1024 * 1024),
  lateWaitMs: numberFlag('late-wait-ms', 0, 600_000),
  globalTimeoutMs: numberFlag('global-timeout-ms', 1_000, 24 * 3_600_000),
  examples: Math.floor(numberFlag('examples', 0, 1_000)),
};
/** A request or stream not settled this long after it started is a hang. */
const HANG_AFTER_MS = config.hangAfterMs ?? (config.deadlineMs > 0 ? config.deadlineMs + 5_000 : 65_000);
const CLOSE_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------------------
// State

type OpKind = 'route' | 'stream';
interface Op {
  n: number;
  kind: OpKind;
  chaosId: string;
  startedAt: number;
  /** Router request ids seen for this op (from events, through AsyncLocalStorage). */
  requestIds: string[];
  /** `provider#retry:outcome` per finished attempt, from events. */
  attemptLog: string[];
  /** The attempt started last (from `attempt-start`). */
  current?: string;
  chunks: number;
  lastChunkAt?: number;
  settled: boolean;
  hung: boolean;
  settledAt?: number;
}

const context = new AsyncLocalStorage<Op>();
const faultLog: FaultLog = new Map();
const ops: Op[] = [];

/** Usage records the router owes: one per finished attempt (`attempt-end` + `attempt-error`), by requestId. */
const expectedByRequest = new Map<string, number>();
const startedByRequest = new Map<string, number>();
const counters = {
  attemptStart: 0,
  attemptEnd: 0,
  attemptError: 0,
  attemptSkipped: 0,
  routeEndOk: 0,
  routeEndFailed: 0,
  firstChunk: 0,
  eventsOutsideOp: 0,
};
const attemptErrorKinds = new Map<string, number>();
const circuitChanges = new Map<string, number>();
const warnings = new Map<string, { count: number; firstAt: number; lastAt: number }>();

const failures = new Map<string, number>();
const failuresByFault = new Map<string, number>();
const failureExamples: string[] = [];
const wrongAnswers = new Map<string, number>();
const wrongExamples: string[] = [];
let successes = 0;
let settledCount = 0;
let hungCount = 0;
let hungThenSettled = 0;
const hangsByFault = new Map<string, number>();
/** How operations that had already counted as hangs ended later. */
const lateOutcomes = new Map<string, number>();
const hangExamples: string[] = [];

const bump = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by);

let peakRss = 0;
let peakHeap = 0;
const sampleMemory = () => {
  const { rss, heapUsed } = process.memoryUsage();
  peakRss = Math.max(peakRss, rss);
  peakHeap = Math.max(peakHeap, heapUsed);
};
// Kept referenced on purpose: it keeps the process alive, so a lost promise cannot end the run silently.
const memoryTimer = setInterval(sampleMemory, 200);

// ---------------------------------------------------------------------------------------------------------
// Servers, sink and router

const runStartedAt = performance.now();
const elapsed = () => performance.now() - runStartedAt;

const rotation = new Rotation(3, config.rotateMs);
const servers = await Promise.all(
  ['a', 'b', 'c'].map((letter, index) =>
    ChaosOpenAIServer.start({
      index,
      name: `chaos-${letter}`,
      rotation,
      faultRate: config.faultRate,
      seed: config.seed * 7919 + index,
      endlessMaxBytes: config.endlessMaxBytes,
      log: faultLog,
    }),
  ),
);
const sink = await UsageSink.start({ failRate: config.sinkFailRate, seed: config.seed * 104_729 + 7 });

const routerOptions: RouterOptions = {
  strategy: config.strategy,
  callbackUrl: sink.url,
  seed: config.seed,
  onWarning: (warning) => {
    // Grouped by code and message shape (provider names, numbers and URLs stripped).
    const shape = warning.message
      .replace(/https?:\/\/\S+/g, '<url>')
      .replace(/chaos-[abc]/g, '<provider>')
      .replace(/\d+/g, 'N')
      .slice(0, 160);
    const key = `${warning.code}: ${shape}`;
    const seen = warnings.get(key);
    const at = elapsed() / 1000;
    if (seen) {
      seen.count++;
      seen.lastAt = at;
    } else warnings.set(key, { count: 1, firstAt: at, lastAt: at });
  },
};
if (config.attemptTimeoutMs !== undefined) routerOptions.timeoutMs = config.attemptTimeoutMs;
if (config.maxRetries !== undefined) routerOptions.retry = { maxRetries: config.maxRetries };
const router = new Router(routerOptions);
for (const server of servers) {
  router.addProvider(
    createOpenAI({
      name: server.name,
      baseURL: server.baseURL,
      apiKey: 'sk-chaos-not-a-real-key',
      model: 'gpt-4o-mini',
      pricing: { inputPer1K: 0.00015, outputPer1K: 0.0006, currency: 'USD' },
    }),
  );
}

const opOf = (): Op | undefined => {
  const op = context.getStore();
  if (!op) counters.eventsOutsideOp++;
  return op;
};
router.on('route-start', (e) => opOf()?.requestIds.push(e.requestId));
router.on('attempt-start', (e) => {
  counters.attemptStart++;
  bump(startedByRequest, e.requestId);
  const op = opOf();
  if (op) op.current = `${e.provider}#${e.retry}`;
});
router.on('attempt-end', (e) => {
  counters.attemptEnd++;
  bump(expectedByRequest, e.requestId);
  opOf()?.attemptLog.push(`${e.provider}#${e.retry}:ok`);
});
router.on('attempt-error', (e) => {
  counters.attemptError++;
  bump(expectedByRequest, e.requestId);
  bump(attemptErrorKinds, e.errorKind);
  opOf()?.attemptLog.push(`${e.provider}#${e.retry}:${e.errorKind}${e.willRetry ? '(retry)' : ''}`);
});
router.on('attempt-skipped', () => {
  counters.attemptSkipped++;
});
router.on('first-chunk', () => {
  counters.firstChunk++;
});
router.on('route-end', (e) => {
  if (e.success) counters.routeEndOk++;
  else counters.routeEndFailed++;
});
router.on('circuit-state-change', (e) => bump(circuitChanges, `${e.provider} ${e.from}→${e.to}`));

// ---------------------------------------------------------------------------------------------------------
// One operation

const lastFault = (op: Op) => {
  const served = faultLog.get(op.chaosId);
  return served?.[served.length - 1] ?? 'no request reached a server';
};
const faultOnly = (entry: string) => entry.slice(entry.indexOf(':') + 1);

function classify(op: Op, error: unknown): string {
  const where = op.kind === 'stream' ? `stream, ${op.chunks > 0 ? 'after' : 'before'} first chunk` : 'route';
  if (StreamInterruptedError.isInstance(error))
    return `${where} | StreamInterruptedError kind=${String(error.kind)}`;
  if (RouteFailedError.isInstance(error))
    return `${where} | RouteFailedError reason=${error.reason} kind=${String(error.kind)}`;
  if (RouterError.isInstance(error)) return `${where} | RouterError code=${error.code}`;
  if (LlmoError.isInstance(error)) return `${where} | ${error.name}: ${error.message.slice(0, 80)}`;
  if (error instanceof Error)
    return `${where} | ${error.name} (not an LlmoError): ${error.message.slice(0, 80)}`;
  return `${where} | non-error thrown: ${String(error).slice(0, 80)}`;
}

function describe(op: Op): string {
  const age = ((performance.now() - op.startedAt) / 1000).toFixed(1);
  const quiet =
    op.lastChunkAt === undefined
      ? ''
      : `, last chunk ${((performance.now() - op.lastChunkAt) / 1000).toFixed(1)} s ago`;
  return (
    `${op.kind} ${op.chaosId} (${op.requestIds.join(',') || 'no requestId yet'}) after ${age} s: ` +
    `attempts [${op.attemptLog.join(' → ')}]${op.current ? `, last started ${op.current}` : ''}, ` +
    `${op.chunks} chunks${quiet}; served [${(faultLog.get(op.chaosId) ?? []).join(', ')}]`
  );
}

/** Returns what is wrong with a successful answer, or undefined when it is exactly right. */
function checkAnswer(op: Op, text: string, streamed?: string): string | undefined {
  if (streamed !== undefined && streamed !== text) return 'streamed text differs from result.text';
  if (text === expectedAnswer(op.chaosId)) return undefined;
  if (op.hung) return 'wrong text';
  if (wrongExamples.length < config.examples)
    wrongExamples.push(`${describe(op)}: got ${JSON.stringify((streamed ?? text).slice(0, 60))}`);
  return text === '' ? 'empty text' : 'wrong text';
}

/**
 * Every fault kind an operation met (on any attempt) → how the operation ended: shows which faults the
 * router absorbs and which reach the caller.
 */
const outcomeByFault = new Map<string, Map<string, number>>();
function recordOutcome(op: Op, outcome: string): void {
  const met = new Set((faultLog.get(op.chaosId) ?? []).map(faultOnly).filter((f) => f !== 'ok'));
  if (met.size === 0) met.add('(no fault met)');
  for (const fault of met) {
    const key = `${fault} (${op.kind})`;
    const row = outcomeByFault.get(key) ?? new Map<string, number>();
    outcomeByFault.set(key, row);
    bump(row, outcome);
  }
}

const prompt = (op: Op) => `Chaos request ${op.chaosId}: reply with the answer.`;
const routeOptions = (op: Op) => ({
  ...(config.deadlineMs > 0 ? { deadlineMs: config.deadlineMs } : {}),
  headers: { 'x-chaos-id': op.chaosId },
});

async function runRoute(op: Op): Promise<string | undefined> {
  const result = await context.run(op, () => router.route(prompt(op), routeOptions(op)));
  return checkAnswer(op, result.text);
}

async function runStream(op: Op): Promise<string | undefined> {
  return context.run(op, async () => {
    const stream = router.routeStream(prompt(op), routeOptions(op));
    const iterator = stream[Symbol.asyncIterator]();
    const result = stream.result;
    result.catch(() => {}); // the same failure surfaces from the iterator
    let text = '';
    // Bounded: the servers send at most a handful of deltas; the watchdog covers a stream that never ends.
    while (true) {
      const step = await iterator.next();
      if (step.done) break;
      text += step.value;
      op.chunks++;
      op.lastChunkAt = performance.now();
    }
    return checkAnswer(op, (await result).text, text);
  });
}

let globalStop: () => void = () => {};
const globalStopped = new Promise<void>((resolve) => {
  globalStop = resolve;
});
let stoppedByGlobalTimeout = false;
let loadOver = false;
let sinkDown: Promise<void> | undefined;
let sinkDownError: unknown;
let sinkDownWindow: { from: number; to: number } | undefined;
const totalOps = config.requests + config.streams;

function onFinished(): void {
  settledCount++;
  if (sinkDown === undefined && config.sinkDownMs > 0 && settledCount >= totalOps / 2) {
    sinkDownWindow = { from: elapsed() / 1000, to: Number.NaN };
    sinkDown = sink.goDown(config.sinkDownMs, config.sinkDownMode).then(
      () => {
        sinkDownWindow!.to = elapsed() / 1000;
      },
      (error: unknown) => {
        sinkDownError = error;
      },
    );
  }
}

function markHung(op: Op): void {
  op.hung = true;
  hungCount++;
  recordOutcome(op, 'HUNG');
  bump(hangsByFault, `${op.kind} | last served ${faultOnly(lastFault(op))}`);
  if (hangExamples.length < config.examples) hangExamples.push(describe(op));
}

async function runOp(op: Op): Promise<void> {
  // An operation that already counted as a hang, or was still in flight when the load phase ended (global
  // timeout), is reported only in `lateOutcomes`, so the counts printed are those of the load phase.
  const work = (op.kind === 'route' ? runRoute(op) : runStream(op)).then(
    (problem) => {
      const outcome = problem === undefined ? 'ok' : `WRONG ANSWER (${problem})`;
      if (op.hung || loadOver) return void bump(lateOutcomes, outcome);
      recordOutcome(op, outcome);
      if (problem === undefined) successes++;
      else bump(wrongAnswers, `${op.kind} | ${problem} | last served ${faultOnly(lastFault(op))}`);
    },
    (error: unknown) => {
      const key = classify(op, error);
      if (op.hung || loadOver) return void bump(lateOutcomes, key);
      recordOutcome(op, key.slice(key.indexOf(' | ') + 3).replace(/(reason|kind|code)=/g, ''));
      bump(failures, key);
      bump(failuresByFault, `${op.kind} | ${key.split(' | ')[1]} | last served ${faultOnly(lastFault(op))}`);
      if (failureExamples.length < config.examples) failureExamples.push(`${key}\n      ${describe(op)}`);
    },
  );
  const settledPromise = work.then(() => {
    op.settled = true;
    op.settledAt = performance.now();
    if (op.hung) hungThenSettled++;
    else onFinished();
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watchdog = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      if (op.settled) return resolve();
      markHung(op);
      onFinished(); // the slot is released; the op keeps running and is reported if it settles later
      resolve();
    }, HANG_AFTER_MS);
  });
  await Promise.race([settledPromise, watchdog, globalStopped]);
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------------------
// Load

const jobs: OpKind[] = [
  ...Array.from({ length: config.requests }, (): OpKind => 'route'),
  ...Array.from({ length: config.streams }, (): OpKind => 'stream'),
];
const shuffle = seededRandom(config.seed);
for (let i = jobs.length - 1; i > 0; i--) {
  const j = Math.floor(shuffle() * (i + 1));
  [jobs[i], jobs[j]] = [jobs[j]!, jobs[i]!];
}

console.log(
  `router chaos: ${config.requests} route() + ${config.streams} routeStream(), concurrency ${config.concurrency}, ` +
    `strategy ${config.strategy}, seed ${config.seed}, fault rate ${config.faultRate}, deadline ${config.deadlineMs || 'none'} ms, hang after ${HANG_AFTER_MS} ms, ` +
    `attempt timeout ${config.attemptTimeoutMs ?? 'router default'}, max retries ${config.maxRetries ?? 'router default'}`,
);
console.log(
  `servers ${servers.map((s) => `${s.name}=${s.url}`).join(' ')}; sink ${sink.url} (fails ${config.sinkFailRate * 100}%, ` +
    `down ${config.sinkDownMs} ms mid-run, ${config.sinkDownMode}); global timeout ${config.globalTimeoutMs} ms`,
);

const globalTimer = setTimeout(() => {
  stoppedByGlobalTimeout = true;
  globalStop();
}, config.globalTimeoutMs);
// The shutdown below is bounded step by step; this is the last resort if something there still hangs.
const HARD_EXIT_MS =
  config.globalTimeoutMs + config.lateWaitMs + CLOSE_TIMEOUT_MS + config.sinkDownMs + 60_000;
setTimeout(() => {
  console.error(
    `\nHARD TIMEOUT after ${(elapsed() / 1000).toFixed(0)} s: the shutdown itself hung. ` +
      `${settledCount}/${totalOps} settled, ${successes} ok, ${hungCount} hung, sink ${sink.accepted} records.`,
  );
  process.exit(1);
}, HARD_EXIT_MS);

let nextJob = 0;
let lastProgressAt = 0;
async function worker(): Promise<void> {
  while (!stoppedByGlobalTimeout && nextJob < jobs.length) {
    const n = nextJob++;
    const op: Op = {
      n,
      kind: jobs[n]!,
      chaosId: `${jobs[n] === 'route' ? 'r' : 's'}${n}`,
      startedAt: performance.now(),
      requestIds: [],
      attemptLog: [],
      chunks: 0,
      settled: false,
      hung: false,
    };
    ops.push(op);
    await runOp(op);
    if (performance.now() - lastProgressAt > 10_000) {
      lastProgressAt = performance.now();
      console.log(
        `  ${(elapsed() / 1000).toFixed(0)} s: ${settledCount}/${totalOps} done, ${successes} ok, ` +
          `${[...failures.values()].reduce((a, b) => a + b, 0)} failed, ${hungCount} hung, ` +
          `sink ${sink.accepted} records, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`,
      );
    }
  }
}

const loadStartedAt = performance.now();
await Promise.all(Array.from({ length: Math.min(config.concurrency, Math.max(jobs.length, 1)) }, worker));
const loadMs = performance.now() - loadStartedAt;
loadOver = true;
clearTimeout(globalTimer);

// ---------------------------------------------------------------------------------------------------------
// Shutdown: wait for the sink to be back, close the router, poll the sink for late records

const unsettled = ops.filter((op) => !op.settled && !op.hung);
const cutOff = unsettled.length;
for (const op of unsettled) {
  if (performance.now() - op.startedAt >= HANG_AFTER_MS) markHung(op);
}
const stillHungAtEnd = ops.filter((op) => op.hung && !op.settled).length;

await sinkDown;
const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise.then(
      () => 'done' as const,
      (error: unknown) => `failed: ${String(error)}` as const,
    ),
    new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), ms).unref()),
  ]);

const closeStartedAt = performance.now();
let closeReport: unknown;
const closeOutcome = await withTimeout(
  router.close({ timeoutMs: CLOSE_TIMEOUT_MS }).then((report) => {
    closeReport = report;
  }),
  CLOSE_TIMEOUT_MS + 5_000,
);
const closeMs = performance.now() - closeStartedAt;

interface Accounting {
  expected: number;
  receivedDistinct: number;
  lost: number;
  requestsWithLoss: number;
  allowedDuplicates: number;
  noIdRedeliveries: number;
  extraBeyondExpected: number;
  unknownRequest: number;
  withId: number;
  withoutId: number;
}

function account(): Accounting {
  const distinct = new Map<string, number>();
  let allowedDuplicates = 0;
  let noIdRedeliveries = 0;
  let withId = 0;
  let withoutId = 0;
  for (const entry of sink.entries.values()) {
    bump(distinct, entry.requestId);
    if (entry.hasId) withId++;
    else withoutId++;
    if (entry.count > 1) {
      if (entry.hasId) allowedDuplicates += entry.count - 1;
      else noIdRedeliveries += entry.count - 1;
    }
  }
  let expected = 0;
  let lost = 0;
  let requestsWithLoss = 0;
  let extraBeyondExpected = 0;
  let unknownRequest = 0;
  for (const [requestId, count] of expectedByRequest) {
    expected += count;
    const got = distinct.get(requestId) ?? 0;
    if (got < count) {
      lost += count - got;
      requestsWithLoss++;
    } else extraBeyondExpected += got - count;
  }
  for (const [requestId, got] of distinct) if (!expectedByRequest.has(requestId)) unknownRequest += got;
  return {
    expected,
    receivedDistinct: sink.entries.size,
    lost,
    requestsWithLoss,
    allowedDuplicates,
    noIdRedeliveries,
    extraBeyondExpected,
    unknownRequest,
    withId,
    withoutId,
  };
}

// Bounded by time; ends early once nothing is missing.
const lateStartedAt = performance.now();
const acceptedBeforeLateWait = sink.accepted;
while (performance.now() - lateStartedAt < config.lateWaitMs && account().lost > 0) {
  await new Promise((resolve) => setTimeout(resolve, 500));
}
const lateWaitMs = performance.now() - lateStartedAt;
const lateRecords = sink.accepted - acceptedBeforeLateWait;
const acc = account();
const attemptsWithoutEnd = [...startedByRequest].reduce(
  (sum, [id, started]) => sum + Math.max(0, started - (expectedByRequest.get(id) ?? 0)),
  0,
);
// A stream that fails after its first chunk cannot fall back (chunks of two providers are never mixed):
// the caller gets a StreamInterruptedError with the text so far. Counted, but apart from the failures the
// router could have avoided.
const isInterruption = (key: string) => key.startsWith('stream, after first chunk | StreamInterruptedError');
const interruptedTotal = [...failures].reduce((a, [key, n]) => a + (isInterruption(key) ? n : 0), 0);
const failedTotal = [...failures.values()].reduce((a, b) => a + b, 0) - interruptedTotal;
const wrongTotal = [...wrongAnswers.values()].reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------------------------------------------------
// Close everything, then report

rotation.stop();
const serverClose = await Promise.all(
  [...servers.map((s) => s.close()), sink.close()].map((p) => withTimeout(p, 5_000)),
);
sampleMemory();
clearInterval(memoryTimer);

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const pct = (part: number, whole: number) => (whole === 0 ? '0.0%' : `${((100 * part) / whole).toFixed(1)}%`);
const table = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  if (map.size === 0) console.log('  (none)');
  for (const [key, count] of [...map].sort((a, b) => b[1] - a[1]))
    console.log(`  ${String(count).padStart(7)}  ${key}`);
};
const served = new Map<string, number>();
for (const server of servers)
  for (const [kind, count] of server.served)
    bump(served, kind === 'ok' ? 'ok (correct answer)' : kind, count);
const started = ops.length;

console.log('\n================ router chaos: results ================');
console.log(
  `operations: ${started}/${totalOps} started (${config.requests} route, ${config.streams} stream), ` +
    `${successes} succeeded, ${failedTotal} user-visible failures (${pct(failedTotal, started)}), ` +
    `${wrongTotal} wrong answers reported as success, ${hungCount} hangs`,
);
console.log(
  `time: load ${(loadMs / 1000).toFixed(1)} s (${((settledCount / loadMs) * 1000).toFixed(1)} ops/s settled), ` +
    `router.close() ${(closeMs / 1000).toFixed(1)} s (${closeOutcome}), late wait ${(lateWaitMs / 1000).toFixed(1)} s, ` +
    `total ${(elapsed() / 1000).toFixed(1)} s${stoppedByGlobalTimeout ? ' — STOPPED BY THE GLOBAL TIMEOUT' : ''}`,
);
const { maxRSS } = process.resourceUsage();
console.log(
  `memory: peak RSS ${mb(Math.max(peakRss, maxRSS * 1024))} (sampled ${mb(peakRss)}), peak heap used ${mb(peakHeap)}`,
);

table('User-visible failures (by operation, error class, kind):', failures);
table('Failures by the fault the last attempt was served:', failuresByFault);
table('Wrong answers returned as success:', wrongAnswers);
console.log(
  `\nHangs (not settled within ${HANG_AFTER_MS} ms): ${hungCount}; ` +
    `${hungThenSettled} settled later, ${stillHungAtEnd} still unsettled at the end` +
    (cutOff > 0 ? `; ${cutOff} in flight when the global timeout stopped the load` : ''),
);
table('Hangs by the fault the last attempt was served:', hangsByFault);
if (lateOutcomes.size > 0) table('How hung (or cut-off) operations ended later:', lateOutcomes);

console.log(
  '\nOutcome by fault met (an operation counts once under each fault kind any of its attempts met):',
);
for (const [fault, row] of [...outcomeByFault].sort((a, b) => a[0].localeCompare(b[0]))) {
  const cells = [...row].sort((a, b) => b[1] - a[1]).map(([outcome, count]) => `${outcome} ${count}`);
  console.log(`  ${fault.padEnd(36)} ${cells.join(', ')}`);
}

console.log('\nUsage records (expected = one per finished attempt, from attempt-end + attempt-error):');
console.log(
  `  expected ${acc.expected} (${counters.attemptEnd} attempt-end + ${counters.attemptError} attempt-error; ` +
    `${counters.attemptStart} attempt-start, ${attemptsWithoutEnd} started attempts never ended)`,
);
console.log(
  `  sink: ${sink.posts} POSTs seen, ${sink.accepted} accepted, ${sink.injectedFailures} injected 503s, ` +
    `${sink.rejectedWhileDown} 503s while down, ${sink.malformed} malformed; ` +
    `down ${sinkDownWindow ? `${sinkDownWindow.from.toFixed(1)}–${sinkDownWindow.to.toFixed(1)} s` : 'never'}` +
    (sinkDownError ? ` (error: ${String(sinkDownError)})` : ''),
);
console.log(
  `  received distinct ${acc.receivedDistinct} (${acc.withId} with id, ${acc.withoutId} without); ` +
    `${lateRecords} arrived after router.close()`,
);
console.log(
  `  LOST ${acc.lost} (${pct(acc.lost, acc.expected)}) over ${acc.requestsWithLoss} requests; ` +
    `duplicates with the same id (allowed) ${acc.allowedDuplicates}; ` +
    `NOT ALLOWED: ${acc.noIdRedeliveries} re-deliveries without id, ${acc.extraBeyondExpected} distinct records beyond expected, ` +
    `${acc.unknownRequest} for unknown requests`,
);

table('Attempt errors by kind (router events):', attemptErrorKinds);
console.log(
  `\nRouter events: ${counters.routeEndOk} route-end ok, ${counters.routeEndFailed} route-end failed, ` +
    `${counters.firstChunk} first-chunk, ${counters.attemptSkipped} attempt-skipped (circuit open), ` +
    `${counters.eventsOutsideOp} events outside any operation's async context`,
);
table('Circuit transitions:', circuitChanges);
console.log('\nRouter warnings:');
if (warnings.size === 0) console.log('  (none)');
for (const [key, { count, firstAt, lastAt }] of [...warnings].sort((a, b) => b[1].count - a[1].count))
  console.log(`  ${String(count).padStart(7)}  ${key} (at ${firstAt.toFixed(1)}–${lastAt.toFixed(1)} s)`);
table(`Served by the chaos servers (${rotation.rotations} rotations):`, served);
console.log(
  `  endless-line bytes sent ${mb(servers.reduce((sum, s) => sum + s.endlessBytes, 0))}; ` +
    `fault kinds: ${FAULT_KINDS.join(', ')}; server/sink close: ${serverClose.join(', ')}`,
);

if (failureExamples.length > 0) {
  console.log('\nFailure examples:');
  for (const example of failureExamples) console.log(`  - ${example}`);
}
if (hangExamples.length > 0) {
  console.log('\nHang examples:');
  for (const example of hangExamples) console.log(`  - ${example}`);
}
if (cutOff > 0) {
  console.log('\nIn flight when the global timeout stopped the load:');
  for (const op of unsettled.slice(0, config.examples)) console.log(`  - ${describe(op)}`);
}
if (wrongExamples.length > 0) {
  console.log('\nWrong-answer examples:');
  for (const example of wrongExamples) console.log(`  - ${example}`);
}

const notAllowed = acc.noIdRedeliveries + acc.extraBeyondExpected + acc.unknownRequest;
const clean =
  failedTotal === 0 &&
  wrongTotal === 0 &&
  hungCount === 0 &&
  cutOff === 0 &&
  acc.lost === 0 &&
  notAllowed === 0 &&
  !stoppedByGlobalTimeout;
console.log(
  `\nrouter.close() report: ${JSON.stringify(closeReport)}; usage stats: ${JSON.stringify(router.getUsageStats())}`,
);
console.log(
  `\nverdict: ${clean ? 'CLEAN' : 'NOT CLEAN'} — failures ${failedTotal}, wrong answers ${wrongTotal}, hangs ${hungCount}, ` +
    `streams interrupted after their first chunk (by contract) ${interruptedTotal}, ` +
    `lost ${acc.lost}, disallowed extra records ${notAllowed}` +
    (stoppedByGlobalTimeout ? `, ${cutOff} unsettled when the global timeout stopped the load` : ''),
);
// Hung requests, stalled sockets and the keep-alive pool would keep the process alive: exit explicitly.
process.exit(clean ? 0 : 1);
