import { afterEach, describe, expect, it } from 'vitest';
import { createOrchestrator, createTokenCounter } from '../index.js';
import { startRouter } from '../orchestrator.test-helper.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('the prompt is counted with the model the router tries first', () => {
  it('when the preferred model’s context window cannot hold the prompt, the next one’s tokenizer counts it', async () => {
    const fixture = await startRouter([
      { name: 'small', model: 'gpt-4o', contextWindow: 20 },
      { name: 'big', model: 'gpt-3.5-turbo', contextWindow: 100_000 },
    ]);
    closers.push(fixture.close);
    fixture.server('big').setDefault({ type: 'text', text: 'ok' });
    const orchestrator = createOrchestrator({
      router: fixture.router,
      tokenCounter: createTokenCounter(),
      tasks: { t: { preferredProviders: ['small', 'big'] } },
      onWarning: false,
    });
    const result = await orchestrator.process({
      taskType: 't',
      variables: { input: 'a prompt long enough not to fit a twenty-token window, '.repeat(5) },
    });
    expect(result.selection.candidates).toEqual(['big']);
    expect(result.provider).toBe('big');
    expect(result.promptTokens).toMatchObject({ estimated: false, encoding: 'cl100k_base' });
  });
});
