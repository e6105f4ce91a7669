import { describe, expect, it } from 'vitest';
import { fakeProvider } from '../router/fake-provider.test-helper.js';
import { Router } from '../router/router.js';
import { toUsagePayload, type UsageRecord } from '../usage/usage-record.js';
import { estimateTokens } from './estimate-tokens.js';
import { computeCost, resolvePricing } from './resolve-pricing.js';
import { resolveUsage } from './resolve-usage.js';

describe('cost arithmetic', () => {
  it('prices input and output separately per 1,000 tokens', () => {
    expect(
      computeCost(
        { promptTokens: 1500, completionTokens: 500 },
        { inputPer1K: 2, outputPer1K: 2, currency: 'RUB' },
      ),
    ).toEqual({
      amount: 4,
      currency: 'RUB',
      known: true,
    });
    expect(
      computeCost(
        { promptTokens: 1000, completionTokens: 2000 },
        { inputPer1K: 0.00015, outputPer1K: 0.0006, currency: 'USD' },
      ),
    ).toEqual({ amount: 0.00135, currency: 'USD', known: true });
    expect(computeCost({ promptTokens: 10, completionTokens: 10 }, undefined)).toEqual({
      amount: 0,
      currency: 'USD',
      known: false,
    });
  });

  it('prices prompt-cache reads and writes at their own prices, the input price when the model has none', () => {
    const claude = {
      inputPer1K: 3,
      outputPer1K: 15,
      cacheReadPer1K: 0.3,
      cacheWritePer1K: 3.75,
      currency: 'USD',
    };
    // 1,000 fresh + 2,000 read + 1,000 written prompt tokens, 100 output tokens.
    const usage = {
      promptTokens: 4000,
      completionTokens: 100,
      cacheReadTokens: 2000,
      cacheWriteTokens: 1000,
    };
    expect(computeCost(usage, claude).amount).toBe(3 + 0.6 + 3.75 + 1.5);
    expect(computeCost(usage, { inputPer1K: 3, outputPer1K: 15, currency: 'USD' }).amount).toBe(12 + 1.5);
    // Counts beyond the prompt (a provider bug) are clamped, never a negative fresh-input count.
    expect(
      computeCost(
        { promptTokens: 100, completionTokens: 0, cacheReadTokens: 500, cacheWriteTokens: 50 },
        claude,
      ).amount,
    ).toBe(0.03);
  });

  it('has no floating-point noise on sums like 0.1 + 0.2', () => {
    expect(
      computeCost(
        { promptTokens: 100, completionTokens: 200 },
        { inputPer1K: 1, outputPer1K: 1, currency: 'USD' },
      ).amount,
    ).toBe(0.3);
  });

  it("uses the seed's table for GigaChat and YandexGPT, overrides first, then the provider's own price", () => {
    const giga = {
      ...fakeProvider('g', [], { providerType: 'gigachat', model: 'GigaChat-Pro' }),
      pricing: undefined,
    };
    expect(resolvePricing(giga)).toEqual({ inputPer1K: 2, outputPer1K: 2, currency: 'RUB' });
    // An unlisted model is unpriced, not guessed.
    expect(resolvePricing({ ...giga, model: 'GigaChat-Unknown' })).toBeUndefined();
    const own = fakeProvider('o', [], {
      providerType: 'gigachat',
      model: 'GigaChat-Pro',
      pricing: { inputPer1K: 9, outputPer1K: 9, currency: 'RUB' },
    });
    expect(resolvePricing(own)?.inputPer1K).toBe(9);
    const override = { gigachat: { 'GigaChat-Pro': { inputPer1K: 1, outputPer1K: 3, currency: 'RUB' } } };
    expect(resolvePricing(own, override)?.outputPer1K).toBe(3);
  });
});

describe('cost in the router', () => {
  it('reports cost per result and session totals per currency, never summed across', async () => {
    const router = new Router({ strategy: 'round-robin', onWarning: false });
    router
      .addProvider(fakeProvider('rub', [], { pricing: { inputPer1K: 1, outputPer1K: 2, currency: 'RUB' } }))
      .addProvider(
        fakeProvider('usd', [], { pricing: { inputPer1K: 0.01, outputPer1K: 0.03, currency: 'USD' } }),
      );
    const first = await router.route('a');
    const second = await router.route('b');
    await router.route('c');
    expect(first.cost).toEqual({ amount: 0.02, currency: 'RUB', known: true }); // 10 × 1 + 5 × 2 per 1K
    expect(second.cost).toEqual({ amount: 0.00025, currency: 'USD', known: true });
    expect(router.getSessionCost()).toEqual({ RUB: 0.04, USD: 0.00025 });
    expect(router.getMetrics().rub?.cost).toEqual({ RUB: 0.04 });
  });

  it('accumulates many small amounts without floating-point noise', async () => {
    const router = new Router({ onWarning: false }).addProvider(
      fakeProvider('a', [{ usage: { promptTokens: 2, completionTokens: 5 } }], {
        pricing: { inputPer1K: 1, outputPer1K: 3, currency: 'RUB' },
      }),
    );
    for (let i = 0; i < 20; i++) await router.route('x');
    expect(router.getSessionCost()).toEqual({ RUB: 0.34 });
    expect(router.getMetrics().a?.cost).toEqual({ RUB: 0.34 });
  });

  it('reports cache tokens in the result and the usage record, and prices them', async () => {
    const records: UsageRecord[] = [];
    const router = new Router({ onWarning: false, usageCallback: (r) => void records.push(r) }).addProvider(
      fakeProvider(
        'claude',
        [
          {
            usage: {
              promptTokens: 3000,
              completionTokens: 100,
              cacheReadTokens: 2000,
              cacheWriteTokens: 500,
            },
          },
        ],
        {
          pricing: {
            inputPer1K: 3,
            outputPer1K: 15,
            cacheReadPer1K: 0.3,
            cacheWritePer1K: 3.75,
            currency: 'USD',
          },
        },
      ),
    );
    const result = await router.route('x');
    expect(result.usage).toMatchObject({ promptTokens: 3000, cacheReadTokens: 2000, cacheWriteTokens: 500 });
    expect(result.cost.amount).toBe(1.5 + 0.6 + 1.875 + 1.5);
    await router.close();
    expect(records[0]).toMatchObject({
      cacheReadTokens: 2000,
      cacheWriteTokens: 500,
      cost: result.cost.amount,
    });
    expect(toUsagePayload(records[0]!)).toMatchObject({ cache_read_tokens: 2000, cache_write_tokens: 500 });
  });

  it('uses router price overrides', async () => {
    const router = new Router({
      onWarning: false,
      prices: { fake: { 'a-model': { inputPer1K: 100, outputPer1K: 0, currency: 'EUR' } } },
    }).addProvider(fakeProvider('a'));
    expect((await router.route('x')).cost).toEqual({ amount: 1, currency: 'EUR', known: true });
  });

  it('estimates tokens only when the provider reports none, and says so', async () => {
    const router = new Router({ onWarning: false }).addProvider(
      fakeProvider('a', [{ text: 'four words of text', usage: null }]),
    );
    const result = await router.route('twelve chars');
    expect(result.usage).toEqual({
      promptTokens: 3 + 4,
      completionTokens: 5,
      totalTokens: 12,
      estimated: true,
    });
  });

  it('warns once about an unknown price and reports 0', async () => {
    const warnings: string[] = [];
    const router = new Router({ onWarning: (w) => warnings.push(w.code) });
    router.addProvider({ ...fakeProvider('a'), pricing: undefined });
    await router.route('x');
    await router.route('y');
    expect(warnings).toEqual(['unknown-price']);
  });
});

describe('token estimates', () => {
  it('counts about 4 ASCII characters or 2 Cyrillic characters per token', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcdefgh')).toBe(2);
    expect(estimateTokens('привет')).toBe(3);
  });

  it('fills a missing part from the total and marks partial reports as estimated', () => {
    expect(resolveUsage({ promptTokens: 7, totalTokens: 10 }, [], '')).toEqual({
      promptTokens: 7,
      completionTokens: 3,
      totalTokens: 10,
      estimated: false,
    });
    expect(resolveUsage({ completionTokens: 3 }, [{ role: 'user', content: 'abcd' }], '').estimated).toBe(
      true,
    );
  });
});
