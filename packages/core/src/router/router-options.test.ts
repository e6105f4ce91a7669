import { describe, expect, it } from 'vitest';
import { RouterError } from '../errors/router-error.js';
import { fakeProvider } from './fake-provider.test-helper.js';
import { Router, type RouterOptions } from './router.js';

function errorOf(options: unknown): RouterError {
  try {
    new Router(options as RouterOptions);
  } catch (error) {
    if (RouterError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the options to be rejected');
}

describe('bad Router options give one readable error naming the field and the fix', () => {
  it.each([
    [{ strategy: 'fastest' }, /strategy: unknown strategy "fastest". Valid strategies: round-robin, random/],
    [{ strategy: 42 }, /strategy: must be a strategy object with a `name` and an `order/],
    [{ retry: { maxRetries: -1 } }, /retry\.maxRetries: must be ≥ 0/],
    [{ retry: { maxRetries: 1.5 } }, /retry\.maxRetries: must be an integer/],
    [{ retry: { factor: 0.5 } }, /retry\.factor: must be ≥ 1/],
    [{ retry: { initialDelayMs: 0 } }, /retry\.initialDelayMs: must be > 0/],
    [{ timeoutMs: 0 }, /timeoutMs: must be > 0 \(per-attempt timeout/],
    [{ timeoutMs: 'soon' }, /timeoutMs: must be a number \(milliseconds: per-attempt timeout/],
    [{ deadlineMs: -5 }, /deadlineMs: must be > 0/],
    [{ circuitBreaker: { failureThreshold: 0 } }, /circuitBreaker\.failureThreshold: must be ≥ 1/],
    [{ callbackUrl: 'billing.example/usage' }, /callbackUrl: must be an http\(s\) URL/],
    [
      { callbackUrl: 'https://x.example', usageCallback: async () => {} },
      /either usageCallback .* or callbackUrl .* not both/,
    ],
    [{ usageCallback: 'log it' }, /usageCallback: must be a function/],
    [{ logger: { info: () => {} } }, /logger: must have info\(\) and warn\(\) methods/],
    [
      { prices: { openai: { x: { inputPer1K: 1, outputPer1K: 1, currency: 'usd' } } } },
      /prices\.openai\.x\.currency: must be an ISO 4217 code/,
    ],
    [{ stratgy: 'random' }, /Unrecognized key: "stratgy"/],
    [{ onWarning: true }, /onWarning/],
  ])('%j', (options, message) => {
    const error = errorOf(options);
    expect(error.code).toBe('invalid-options');
    expect(error.message).toMatch(/^Invalid Router options:/);
    expect(error.message).toMatch(message);
  });

  it('lists every bad field at once', () => {
    const error = errorOf({ timeoutMs: -1, retry: { maxRetries: -1 } });
    expect(error.message.split('\n')).toHaveLength(3);
  });
});

describe('bad route options and prompts', () => {
  const router = new Router({ onWarning: false }).addProvider(fakeProvider('a'));

  it.each([
    [{ maxTokens: -1 }, /maxTokens: must be a positive integer/],
    [{ temperature: 'hot' }, /temperature/],
    [{ topP: 2 }, /topP/],
    [{ maxCost: { amount: 1, currency: 'dollars' } }, /maxCost\.currency/],
    [{ signal: 'stop' }, /signal: must be an AbortSignal/],
  ])('%j', async (options, message) => {
    const error = await router.route('hi', options as never).catch((e: unknown) => e);
    expect(RouterError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^Invalid route options:/);
    expect((error as Error).message).toMatch(message);
  });

  it('rejects an empty or blank prompt before any provider is called', async () => {
    await expect(router.route('   ')).rejects.toThrow(/prompt is empty/);
    await expect(router.route([])).rejects.toThrow(/prompt is empty/);
    expect(() => router.routeStream('')).toThrow(/prompt is empty/);
  });

  it('refuses requests after close()', async () => {
    const closing = new Router({ onWarning: false }).addProvider(fakeProvider('a'));
    await closing.close();
    await closing.close();
    await expect(closing.route('hi')).rejects.toMatchObject({ code: 'closed' });
  });
});
