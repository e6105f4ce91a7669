import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TemplateRegistry } from '../index.js';
import { loadOrchestratorFile, loadTemplates } from '../node.js';

const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

describe('loadOrchestratorFile', () => {
  it('reads tasks, templates from a folder of YAML and JSON files, and the default model', async () => {
    const file = await loadOrchestratorFile(fixture('orchestrator.yaml'));
    expect(file.defaultModel).toBe('gpt-4o-mini');
    expect(file.tasks.code_generation).toMatchObject({
      preferredModels: ['gpt-4o'],
      outputFormat: 'code',
      cacheTtlMs: 3_600_000,
    });
    expect(file.templates.map((t) => `${t.id}@${t.version}`)).toEqual([
      'code_generation@1',
      'code_generation@1.1',
      'requirement_analysis@1',
    ]);
    const registry = new TemplateRegistry(file.templates);
    expect(
      registry.render('code_generation', { language: 'Go', task: 'sorts', constraints: 'no deps' }).user,
    ).toBe('Write Go code that sorts. Constraints: no deps');
    expect(registry.render('code_generation', { language: 'Go', task: 'sorts' }).user).toBe(
      'Write Go code that sorts.',
    );
  });

  it('names the file and the field for a bad task, and suggests the key', async () => {
    await expect(loadOrchestratorFile(fixture('bad-task.yaml'))).rejects.toThrow(
      /bad-task\.yaml[\s\S]*tokenBuget.*did you mean "tokenBudget"/,
    );
  });

  it('rejects unknown top-level keys, YAML errors, duplicate keys and bad templates with the file named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmo-orch-'));
    try {
      const write = (name: string, text: string) => {
        const path = join(dir, name);
        writeFileSync(path, text);
        return path;
      };
      await expect(loadOrchestratorFile(write('a.yaml', 'task: {}\n'))).rejects.toThrow(
        /unknown top-level key\(s\) task/,
      );
      await expect(loadOrchestratorFile(write('b.yaml', 'tasks: [\n'))).rejects.toThrow(
        /b\.yaml: not valid YAML/,
      );
      await expect(loadOrchestratorFile(write('c.yaml', 'tasks:\n  a: {}\n  a: {}\n'))).rejects.toThrow(
        /not valid YAML/,
      );
      await expect(loadTemplates(write('d.json', '{"id":"x","version":1,"user":"u"}'))).rejects.toThrow(
        /d\.json: templates\[0\][\s\S]*version/,
      );
      await expect(loadTemplates(write('e.json', '{"id":'))).rejects.toThrow(/e\.json: not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
