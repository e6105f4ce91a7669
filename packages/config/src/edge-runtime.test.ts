import { runWithoutProcess } from '@llmo/testkit';
import { expect, it } from 'vitest';

it('the main entry parses YAML and routes with no process global, bundled for the edge', async () => {
  const result = await runWithoutProcess({
    entry: new URL('./edge-entry.test-helper.ts', import.meta.url),
    factory: 'createConfiguredProvider',
    settings: {
      yaml: 'providers:\n  - name: a\n    type: mock\n    model: ${MODEL}\n    fallbackModels: [mock-normal]\n    latencyMs: 0\n    chunkDelayMs: 0\n',
      env: { MODEL: 'mock-server-error' },
    },
  });
  expect(result.processType).toBe('undefined');
  expect(result.text).toBe('a/mock-normal: Mock response to: edge');
  expect(result.parts.at(-1)).toBe('finish');
}, 60_000);
