import { describe, expect, it } from 'vitest';
import { MemoryVectorIndex } from '../index.js';

describe('MemoryVectorIndex holds a bounded number of scopes', () => {
  it('drops the least recently added-to scope beyond maxScopes, and a scope its last vector left', () => {
    const index = new MemoryVectorIndex({ maxScopes: 3 });
    for (let seed = 0; seed < 50; seed++) index.add(`seed-${seed}`, [1, seed, 2], `k${seed}`);
    expect(index.scopeCount()).toBe(3);
    expect(index.nearest('seed-0', [1, 0, 2])).toBeUndefined();
    expect(index.nearest('seed-49', [1, 49, 2])?.key).toBe('k49');
    index.remove('seed-49', 'k49');
    expect(index.scopeCount()).toBe(2);
    expect(() => new MemoryVectorIndex({ maxScopes: 0 })).toThrow(/maxScopes/);
  });
});
