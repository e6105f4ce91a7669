import { runWithoutProcess } from '@llmo/testkit';
import { expect, it } from 'vitest';

it('the main entry runs the whole flow with no process global, bundled for the edge', async () => {
  const result = await runWithoutProcess({
    entry: new URL('./edge-entry.test-helper.ts', import.meta.url),
    factory: 'createOrchestratedProvider',
    settings: { answer: 'Sure:\n```json\n{"ok": true}\n```' },
  });
  expect(result.processType).toBe('undefined');
  expect(result.text).toBe('{"ok":true} o200k_base hit');
  expect(result.parts.at(-1)).toBe('finish');
}, 60_000);
