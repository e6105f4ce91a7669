// KeyLimits' tpm holds, against rate-limiter-flexible's in-memory windows read directly.
import RateLimiterMemory from 'rate-limiter-flexible/lib/RateLimiterMemory.js';
import { describe, expect, it } from 'vitest';
import type { ApiKeyEntry } from './api-keys.js';
import { KeyLimits, type LimiterStore } from './key-limits.js';

function setup() {
  const windows = new Map<string, InstanceType<typeof RateLimiterMemory>>();
  const store: LimiterStore = ({ points, duration, keyPrefix }) => {
    const limiter = new RateLimiterMemory({ points, duration });
    windows.set(keyPrefix, limiter);
    return limiter;
  };
  const limits = new KeyLimits(store);
  const key = { id: 'team', tenant: 't', tpm: 100, admin: false, digest: new Uint8Array() } as ApiKeyEntry;
  const used = async () => (await windows.get('tpm:')!.get(key.id))?.consumedPoints ?? 0;
  return { limits, key, used };
}

describe('KeyLimits: a request holds its prompt in the tpm window until it is charged', () => {
  it('the charge is net of the hold: the window ends at what the request used', async () => {
    const { limits, key, used } = setup();
    const hold = await limits.hold(key, 10);
    expect(await used()).toBe(10);
    await limits.charge(key, 25, hold);
    expect(await used()).toBe(25);
  });

  it('a request that used less than its hold (or nothing) gives the rest back', async () => {
    const { limits, key, used } = setup();
    const hold = await limits.hold(key, 10);
    await limits.charge(key, 4, hold);
    expect(await used()).toBe(4);
    const other = await limits.hold(key, 10);
    await limits.charge(key, 0, other);
    expect(await used()).toBe(4);
  });

  it('a hold from a window that has ended is not given back (it would credit the next window)', async () => {
    const { limits, key, used } = setup();
    await limits.hold(key, 10);
    await limits.charge(key, 25, { tokens: 10, until: Date.now() - 1 });
    expect(await used()).toBe(35);
  });

  it('keys without a tpm hold nothing', async () => {
    const { limits, key } = setup();
    expect(await limits.hold({ ...key, tpm: undefined }, 10)).toBeUndefined();
  });
});
