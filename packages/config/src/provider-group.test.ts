import { describe, expect, it } from 'vitest';
import { expandProviders } from './expand-providers.js';
import { fallbackProviderName, providerGroup } from './provider-group.js';

describe('provider groups', () => {
  it('reads back the group of every name expandProviders writes', () => {
    const expanded = expandProviders([
      {
        name: 'primary',
        type: 'openai',
        model: 'gpt-4o-mini',
        fallbackModels: ['gpt-4o', { model: 'o3/mini' }],
      },
      { name: 'local', type: 'ollama', model: 'llama3' },
    ] as never);
    expect(expanded.map((p) => p.name)).toEqual(['primary', 'primary/gpt-4o', 'primary/o3/mini', 'local']);
    for (const provider of expanded) expect(providerGroup(provider.name)).toBe(provider.group);
  });

  it('names a fallback model under its group', () => {
    expect(fallbackProviderName('primary', 'gpt-4o')).toBe('primary/gpt-4o');
    expect(providerGroup('primary')).toBe('primary');
  });
});
