import { describe, expect, it } from 'vitest';
// From testkit's sources: testkit depends on core, so core cannot depend on it as a package.
import { checkGuardAgainstSchema } from '../../../testkit/src/guard-mutants.js';
import { checkMessages } from './prompt-check.js';
import { messagesSchema } from './prompt-schema.js';
import { routeOptionsSchema } from './route-options.js';
import { checkRouteOptions } from './route-options-check.js';
import { Router } from './router.js';

const messages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Weather in Oslo?' },
  {
    role: 'assistant',
    content: '',
    toolCalls: [{ id: 'call_1', name: 'weather', arguments: '{"city":"Oslo"}' }],
  },
  { role: 'tool', toolCallId: 'call_1', name: 'weather', content: '{"c":3}' },
  { role: 'tool', toolCallId: 'call_2', content: '{}' },
  { role: 'assistant', content: 'It is 3 °C.' },
];
const options = {
  temperature: 0.7,
  topP: 1,
  maxTokens: 256,
  seed: 42,
  stop: ['\n\n'],
  headers: { 'x-team': 'search' },
  preferredProvider: 'a',
  excludeProviders: ['b'],
  requiredCapabilities: ['streaming', 'tools'],
  promptTokens: 120,
  timeoutMs: 1000,
  firstChunkTimeoutMs: 500,
  idleTimeoutMs: 0,
  deadlineMs: 5000,
  tenantId: 't',
  platformKeyId: 'k',
};

describe('the checks before zod accept only what the schemas accept', () => {
  it('messages: every role takes the fast path; no mutant passes the check that the schema rejects', () => {
    const guard = (v: unknown) => Array.isArray(v) && checkMessages(v) !== undefined;
    const schema = { safeParse: (v: unknown) => messagesSchema().safeParse({ messages: v }) };
    // One fixture per message too, so every mutant of a message is also tried as a whole prompt's only one.
    const result = checkGuardAgainstSchema(guard, schema, [messages, ...messages.map((m) => [m])]);
    expect(result.fixturesRefused).toEqual([]);
    expect(result.tooLoose).toEqual([]);
    expect(result.accepted).toBeGreaterThan(50);
  });

  it('route options: the common options take the fast path; the rest is left to the schema', () => {
    const guard = (v: unknown) => typeof v === 'object' && v !== null && checkRouteOptions(v) !== undefined;
    // structuredClone cannot copy an AbortSignal: the signal is checked on its own.
    const withSignal = { signal: new AbortController().signal };
    expect(routeOptionsSchema().safeParse(withSignal).success).toBe(true);
    expect(checkRouteOptions(withSignal)).toEqual(withSignal);
    expect(checkRouteOptions({ signal: {} })).toBeUndefined();
    const result = checkGuardAgainstSchema(guard, routeOptionsSchema(), [options, {}, { temperature: 0 }]);
    expect(result.fixturesRefused).toEqual([]);
    expect(result.tooLoose).toEqual([]);
    expect(result.accepted).toBeGreaterThan(50);
    // Options outside the common set are the schema's to judge.
    expect(checkRouteOptions({ tools: [] })).toBeUndefined();
    expect(checkRouteOptions({ temprature: 1 })).toBeUndefined();
  });

  it('copies what it accepts: a caller editing its messages or options mid-flight changes nothing', () => {
    const checked = checkMessages(messages);
    expect(checked).toEqual(messages);
    expect(checked).not.toBe(messages);
    checked?.forEach((m, i) => {
      expect(m).not.toBe(messages[i]);
    });
    const assistant = checked?.[2] as { toolCalls: unknown[] };
    expect(assistant.toolCalls[0]).not.toBe(messages[2]?.toolCalls?.[0]);
    const copied = checkRouteOptions(options);
    expect(copied).toEqual(options);
    expect(copied).not.toBe(options);
  });

  it('the router still names the problem when the check fails (the schema builds the message)', async () => {
    const router = new Router();
    await expect(router.route([{ role: 'user', content: 1 } as never])).rejects.toThrow(
      /Invalid prompt[\s\S]*messages\.0\.content/,
    );
    await expect(router.route('hi', { temprature: 0.5 } as never)).rejects.toThrow(/temperature/);
    await expect(router.route('hi', { maxTokens: 0 })).rejects.toThrow(
      /maxTokens: must be a positive integer/,
    );
  });

  it('copies from the values checked, as the schema outputs them: getters, inherited fields, read once', () => {
    class UserMessage {
      constructor(readonly content: string) {}
      get role() {
        return 'user';
      }
    }
    const inherited = Object.create({ role: 'user', content: 'hi' }) as object;
    for (const prompt of [[new UserMessage('hello')], [inherited]]) {
      const checked = checkMessages(prompt);
      const parsed = messagesSchema().safeParse({ messages: prompt });
      expect(parsed.success).toBe(true);
      expect(checked).toEqual((parsed as { data: { messages: unknown[] } }).data.messages);
      expect(checked?.[0]).toHaveProperty('role', 'user');
    }
    let reads = 0;
    const flipping = {
      get temperature() {
        reads++;
        return reads === 1 ? 0.5 : -5;
      },
    };
    expect(checkRouteOptions(flipping)).toEqual({ temperature: 0.5 }); // the value checked is the value kept
    expect(reads).toBe(1);
  });

  it('keys the check cannot see (non-enumerable, symbols) are left to the schema', () => {
    const hidden = Object.defineProperty({}, 'temperature', { value: -1, enumerable: false });
    expect(checkRouteOptions(hidden)).toBeUndefined();
    expect(routeOptionsSchema().safeParse(hidden).success).toBe(false);
    const symbolHeader = { headers: { a: 'b', [Symbol('x')]: 1 } };
    expect(checkRouteOptions(symbolHeader)).toBeUndefined();
    expect(routeOptionsSchema().safeParse(symbolHeader).success).toBe(false);
  });

  it('arrays and headers are copies: a caller editing them mid-flight changes nothing', () => {
    const given = {
      headers: { 'x-team': 'a' },
      stop: ['\n'],
      excludeProviders: ['b'],
      requiredCapabilities: ['tools'],
    };
    const checked = checkRouteOptions(given) as Record<string, unknown>;
    expect(checked).toEqual(given);
    for (const key of Object.keys(given)) expect(checked[key]).not.toBe(given[key as keyof typeof given]);
  });
});
