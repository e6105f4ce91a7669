import type { ChatMessage } from '@llmo/core';
import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { describe, expect, it } from 'vitest';
import { buildMessages, createOrchestrator } from '../index.js';

describe('history system messages reach the prompt', () => {
  it('buildMessages joins them to the one system message, after the template’s, before the context', () => {
    const messages = buildMessages({
      system: 'T',
      history: [
        { role: 'system', content: 'X' },
        { role: 'user', content: 'u1' },
        { role: 'system', content: 'Y' },
        { role: 'assistant', content: 'a1' },
      ],
      context: ['c'],
      user: 'now',
    });
    expect(messages).toEqual([
      { role: 'system', content: 'T\n\nX\n\nY\n\nContext:\nc' },
      { role: 'user', content: 'u1' },
      { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'now' },
    ]);
    expect(buildMessages({ history: [{ role: 'system', content: 'X' }], user: 'q' })[0]).toEqual({
      role: 'system',
      content: 'X',
    });
  });

  it('process() sends a history system message to the provider', async () => {
    const sent: ChatMessage[][] = [];
    const router = new Router({ onWarning: false });
    router.addProvider(
      createMockProvider({
        name: 'mock',
        latencyMs: 0,
        response: (request) => {
          sent.push([...request.messages]);
          return 'ok';
        },
      }),
    );
    const orchestrator = createOrchestrator({ router, tasks: { chat: {} }, onWarning: false });
    await orchestrator.process({
      taskType: 'chat',
      variables: { input: 'hi' },
      history: [
        { role: 'system', content: 'Always answer in French.' },
        { role: 'user', content: 'earlier' },
        { role: 'assistant', content: 'plus tôt' },
      ],
    });
    expect(sent[0]?.[0]).toEqual({ role: 'system', content: 'Always answer in French.' });
    expect(sent[0]?.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    await router.close();
  });
});
