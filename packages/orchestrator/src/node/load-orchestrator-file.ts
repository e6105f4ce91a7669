import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { closestKey } from '@llmo/core/provider';
import { parseDocument } from 'yaml';
import { OrchestratorError } from '../errors/orchestrator-error.js';
import { checkTaskConfig, type TaskConfig } from '../tasks/task-config.js';
import { checkTemplate, type PromptTemplate } from '../templates/prompt-template.js';

const EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

/** What an orchestrator file declares: `tasks`, `templates` and `defaultModel`, as `createOrchestrator` takes them. */
export interface OrchestratorFile {
  tasks: Record<string, TaskConfig>;
  templates: PromptTemplate[];
  defaultModel?: string;
}

const TOP_LEVEL = ['tasks', 'templates', 'defaultModel'];

/** Parses JSON or YAML (by extension); a YAML error names the file, line and column. */
async function readStructured(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  if (extname(path) === '.json') {
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new OrchestratorError({
        code: 'invalid-options',
        message: `${path}: not valid JSON: ${(cause as Error).message}`,
        cause,
      });
    }
  }
  // uniqueKeys: a task declared twice is a mistake, not "the last one wins".
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0)
    throw new OrchestratorError({
      code: 'invalid-options',
      message: `${path}: not valid YAML:\n${document.errors.map((e) => `  - ${e.message}`).join('\n')}`,
    });
  return document.toJS();
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Templates from a file or a folder of `.json` / `.yaml` / `.yml` files. A file holds one template, a list
 * of them, or `{ templates: [...] }`. Each is checked as in code; an error names the file.
 */
export async function loadTemplates(path: string): Promise<PromptTemplate[]> {
  const info = await stat(path);
  const files = info.isDirectory()
    ? (await readdir(path))
        .filter((name) => EXTENSIONS.has(extname(name)))
        .sort()
        .map((name) => join(path, name))
    : [path];
  const templates: PromptTemplate[] = [];
  for (const file of files) {
    const data = await readStructured(file);
    const list = Array.isArray(data)
      ? data
      : isRecord(data) && Array.isArray(data.templates)
        ? data.templates
        : [data];
    list.forEach((entry, index) => {
      templates.push(checkTemplate(entry, `${file}: templates[${index}]`));
    });
  }
  return templates;
}

/**
 * Reads an orchestrator file (YAML or JSON): `tasks` (task type → criteria), `templates` (a list, or a
 * path to a file or folder of templates, relative to this file) and `defaultModel`. Unknown keys are
 * errors, with a suggestion, naming the file.
 *
 * @example
 * const { tasks, templates, defaultModel } = await loadOrchestratorFile('orchestrator.yaml');
 * const orchestrator = createOrchestrator({ router, tasks, templates, ...(defaultModel ? { defaultModel } : {}) });
 */
export async function loadOrchestratorFile(path: string): Promise<OrchestratorFile> {
  const data = await readStructured(path);
  if (!isRecord(data))
    throw new OrchestratorError({
      code: 'invalid-options',
      message: `${path}: expected a mapping with tasks and templates`,
    });
  const unknown = Object.keys(data).filter((key) => !TOP_LEVEL.includes(key));
  if (unknown.length > 0)
    throw new OrchestratorError({
      code: 'invalid-options',
      message: `${path}: unknown top-level key(s) ${unknown
        .map((key) => {
          const near = closestKey(key, TOP_LEVEL);
          return near ? `${key} (did you mean ${near}?)` : key;
        })
        .join(', ')}; the keys are ${TOP_LEVEL.join(', ')}`,
    });
  const tasks: Record<string, TaskConfig> = {};
  if (data.tasks !== undefined) {
    if (!isRecord(data.tasks))
      throw new OrchestratorError({
        code: 'invalid-options',
        message: `${path}: tasks must map task types to their settings`,
      });
    for (const [taskType, config] of Object.entries(data.tasks))
      tasks[taskType] = checkTaskConfig(`${taskType}" in "${path}`, config ?? {});
  }
  let templates: PromptTemplate[] = [];
  if (typeof data.templates === 'string') {
    const base = path.slice(0, Math.max(0, path.lastIndexOf('/') + 1));
    templates = await loadTemplates(
      data.templates.startsWith('/') ? data.templates : `${base}${data.templates}`,
    );
  } else if (Array.isArray(data.templates))
    templates = data.templates.map((entry, index) => checkTemplate(entry, `${path}: templates[${index}]`));
  else if (data.templates !== undefined)
    throw new OrchestratorError({
      code: 'invalid-options',
      message: `${path}: templates must be a list of templates or a path to a file or folder of them`,
    });
  if (data.defaultModel !== undefined && typeof data.defaultModel !== 'string')
    throw new OrchestratorError({
      code: 'invalid-options',
      message: `${path}: defaultModel must be a provider name or model id`,
    });
  return {
    tasks,
    templates,
    ...(typeof data.defaultModel === 'string' ? { defaultModel: data.defaultModel } : {}),
  };
}
