import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { describe, expect, it } from 'vitest';
import { createLlmoModel, createLlmoModelV2 } from './index.js';
import { toLlmoMessages } from './to-llmo-messages.js';

describe('toLlmoMessages', () => {
  it('maps every message role, tool calls and each tool-output shape', () => {
    expect(
      toLlmoMessages([
        { role: 'system', content: 'Be brief' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Summarise this:' },
            { type: 'text', text: 'The document.' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'hidden' },
            { type: 'text', text: 'Calling' },
            { type: 'text', text: 'two tools' },
            { type: 'tool-call', toolCallId: 'c1', toolName: 'f', input: { a: 1 } },
            { type: 'tool-call', toolCallId: 'c2', toolName: 'g', input: { b: 2 } },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'c1',
              toolName: 'f',
              output: { type: 'json', value: { ok: true } },
            },
            {
              type: 'tool-result',
              toolCallId: 'c2',
              toolName: 'g',
              output: { type: 'execution-denied', reason: 'no' },
            },
            { type: 'tool-approval-response', approvalId: 'x', approved: true },
          ],
        },
      ]),
    ).toEqual([
      { role: 'system', content: 'Be brief' },
      // Several text parts are paragraphs: joined by a newline, so their words do not run together.
      { role: 'user', content: 'Summarise this:\nThe document.' },
      {
        role: 'assistant',
        content: 'Calling\ntwo tools',
        toolCalls: [
          { id: 'c1', name: 'f', arguments: '{"a":1}' },
          { id: 'c2', name: 'g', arguments: '{"b":2}' },
        ],
      },
      { role: 'tool', toolCallId: 'c1', name: 'f', content: '{"ok":true}' },
      { role: 'tool', toolCallId: 'c2', name: 'g', content: 'Tool execution denied: no' },
    ]);
  });

  it('refuses a file part with an error that says why, instead of dropping it', () => {
    expect(() =>
      toLlmoMessages([{ role: 'user', content: [{ type: 'file', data: 'aGk=', mediaType: 'image/png' }] }]),
    ).toThrow(/file part \(image\/png\).*text, tool calls and tool results only/);
  });
});

describe('createLlmoModel', () => {
  const router = new Router({ onWarning: false });
  router.addProvider(createMockProvider({ name: 'm' }));

  it('is a V3 model; the V2 variant a V2 model; ids can be set', () => {
    const v3 = createLlmoModel(router, { modelId: 'my-router', provider: 'acme' });
    expect([v3.specificationVersion, v3.provider, v3.modelId]).toEqual(['v3', 'acme', 'my-router']);
    const v2 = createLlmoModelV2(router);
    expect([v2.specificationVersion, v2.provider, v2.modelId]).toEqual(['v2', 'llmo', 'router']);
  });

  it('rejects a misspelt option with a suggestion, and a missing router', () => {
    expect(() => createLlmoModel(router, { routeOption: {} } as never)).toThrow(
      /routeOption is not a setting; did you mean routeOptions\?/,
    );
    expect(() => createLlmoModel(undefined as never)).toThrow(/first argument must be a @llmo\/core Router/);
  });

  it('passes default route options; a misspelt per-call hint is the router’s error, with a suggestion', async () => {
    const model = createLlmoModel(router, { routeOptions: { tenantId: 't1' } });
    const result = await model.doGenerate({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
    expect(result.content[0]).toMatchObject({ type: 'text' });
    await expect(
      model.doGenerate({
        prompt: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
        providerOptions: { llmo: { preferedProvider: 'm' } },
      }),
    ).rejects.toThrow(/preferredProvider/);
  });
});
