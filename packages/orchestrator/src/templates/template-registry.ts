import { OrchestratorError } from '../errors/orchestrator-error.js';
import { checkTemplate, compareVersions, type PromptTemplate } from './prompt-template.js';
import { StrictTemplate } from './strict-jinja.js';

/** A template with its Jinja sources parsed once, when it is added. */
export interface CompiledTemplate {
  template: PromptTemplate;
  system?: StrictTemplate;
  user: StrictTemplate;
}

/** What rendering produced: the messages' texts and the variables as used (defaults filled in). */
export interface RenderedTemplate {
  id: string;
  version: string;
  system?: string;
  user: string;
  variables: Record<string, unknown>;
}

/**
 * Every version of every template, checked and parsed when added (a syntax error fails at start-up, not on the
 * first request). `get(id)` is the latest version; `get(id, version)` a pinned one.
 */
export class TemplateRegistry {
  readonly #byId = new Map<string, CompiledTemplate[]>();

  constructor(templates: Iterable<PromptTemplate> = []) {
    for (const template of templates) this.add(template);
  }

  add(input: PromptTemplate): this {
    const template = checkTemplate(input);
    const where = `template "${template.id}" v${template.version}`;
    const versions = this.#byId.get(template.id) ?? [];
    if (versions.some((v) => compareVersions(v.template.version, template.version) === 0))
      throw new OrchestratorError({
        code: 'duplicate-template',
        message: `${where} is already registered; give the new one a higher version`,
      });
    const compiled: CompiledTemplate = {
      template,
      user: new StrictTemplate(template.user, `${where} user`),
      ...(template.system !== undefined
        ? { system: new StrictTemplate(template.system, `${where} system`) }
        : {}),
    };
    versions.push(compiled);
    versions.sort((a, b) => compareVersions(a.template.version, b.template.version));
    this.#byId.set(template.id, versions);
    return this;
  }

  /** Ids of the registered templates. */
  ids(): string[] {
    return [...this.#byId.keys()];
  }

  /** Versions of one template, oldest first. */
  versions(id: string): string[] {
    return (this.#byId.get(id) ?? []).map((v) => v.template.version);
  }

  get(id: string, version?: string): CompiledTemplate {
    const versions = this.#byId.get(id);
    if (!versions || versions.length === 0)
      throw new OrchestratorError({
        code: 'unknown-template',
        message: `unknown template "${id}"; known templates: ${this.ids().join(', ') || '(none)'}`,
        names: this.ids(),
      });
    if (version === undefined) return versions[versions.length - 1] as CompiledTemplate;
    const found = versions.find((v) => compareVersions(v.template.version, version) === 0);
    if (!found)
      throw new OrchestratorError({
        code: 'unknown-template',
        message: `template "${id}" has no version ${version}; versions: ${this.versions(id).join(', ')}`,
        names: this.versions(id),
      });
    return found;
  }

  /**
   * Renders one template: defaults of optional variables filled in, every missing required variable named in
   * one error, and an undefined variable inside the template an error (never an empty string).
   */
  render(id: string, variables: Record<string, unknown> = {}, version?: string): RenderedTemplate {
    const { template, system, user } = this.get(id, version);
    const where = `template "${template.id}" v${template.version}`;
    const missing = (template.requiredVariables ?? []).filter((name) => variables[name] === undefined);
    if (missing.length > 0)
      throw new OrchestratorError({
        code: 'missing-variables',
        message: `${where}: missing required variable(s): ${missing.join(', ')}`,
        names: missing,
      });
    const values = { ...(template.optionalVariables ?? {}), ...stripUndefined(variables) };
    return {
      id: template.id,
      version: template.version,
      user: user.render(values, `${where} user`),
      ...(system ? { system: system.render(values, `${where} system`) } : {}),
      variables: values,
    };
  }
}

/** An explicit `undefined` should not hide an optional variable's default. */
function stripUndefined(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) out[key] = value;
  return out;
}
