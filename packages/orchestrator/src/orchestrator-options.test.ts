import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Router } from '@llmo/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createOrchestrator, OrchestratorError } from './index.js';
import { loadOrchestratorFile } from './node.js';

describe('createOrchestrator checks its options', () => {
  const router = new Router({ onWarning: false });
  afterAll(() => router.close());
  const attempt = (options: Record<string, unknown>) => {
    try {
      createOrchestrator({ router, tasks: { chat: {} }, ...options } as never);
      return undefined;
    } catch (error) {
      return error as OrchestratorError;
    }
  };

  it('a misspelt top-level key is an error naming the closest one', () => {
    const typo = attempt({ cach: false });
    expect(OrchestratorError.isInstance(typo) && typo.code).toBe('invalid-options');
    expect(typo?.message).toContain('cache');
    expect(attempt({ defaultModle: 'x' })?.message).toContain('defaultModel');
    expect(attempt({ semanticcache: { embed: async () => [1] } })?.message).toContain('semanticCache');
  });

  it('a value of the wrong kind names its field', () => {
    expect(attempt({ onWarning: 'console' })?.message).toContain('onWarning');
    expect(attempt({ semanticCache: { embed: 'x' } })?.message).toContain('semanticCache.embed');
    expect(attempt({ cache: 'redis' })?.message).toContain('cache');
    expect(attempt({ cache: false, onWarning: false, defaultModel: 'm' })).toBeUndefined();
  });

  it('an orchestrator file’s unknown top-level key comes with a suggestion', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmo-orch-'));
    try {
      const file = join(dir, 'o.yaml');
      writeFileSync(file, 'task:\n  chat: {}\n');
      await expect(loadOrchestratorFile(file)).rejects.toThrow(/task \(did you mean tasks\?\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
