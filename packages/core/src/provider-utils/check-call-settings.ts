import { INVALID_CALL_SETTINGS } from '../errors/error-codes.js';
import { ProviderError } from '../errors/provider-error.js';
import type { ChatRequest } from '../spec/chat-request.js';
import { describeInput } from './provider-settings-schema.js';

/** An inclusive `[min, max]`; use `Number.POSITIVE_INFINITY` for no upper bound. */
export type NumberRange = readonly [min: number, max: number];

/** What a provider accepts, for `checkCallSettings`. */
export interface CallSettingsRules {
  /** The provider's configured name, for the error. */
  provider: string;
  /** Whose documented range it is, named in the message (`OpenAI`, `GigaChat`…). */
  api?: string;
  /** Default `[0, ∞)`. */
  temperature?: NumberRange;
  /** Default `[0, 1]`. */
  topP?: NumberRange;
  /** The largest `maxTokens` (always a positive integer); default `Number.MAX_SAFE_INTEGER`. */
  maxTokens?: number;
  /** The `providerOptions` namespace this provider reads, e.g. `openai`. Unset: providerOptions are not read. */
  providerOptionsKey?: string;
  /**
   * Wire fields the provider sets itself, each mapped to what the caller should use instead:
   * `{ model: 'the model setting of createOpenAI', temperature: 'request.temperature' }`. A dotted key
   * (`options.temperature`) names a field inside an object of the provider options.
   */
  ownedOptions?: Readonly<Record<string, string>>;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

const TOOL_CHOICES = ['auto', 'none', 'required'];

function rangeText([min, max]: NumberRange): string {
  return max === Number.POSITIVE_INFINITY ? `≥ ${min}` : `between ${min} and ${max}`;
}

/** Pushes `<field> must be <expect>; got <value>` unless `value` is undefined or a finite number that passes. */
function checkNumber(
  problems: string[],
  field: string,
  value: unknown,
  expect: string,
  passes: (n: number) => boolean,
): void {
  if (value === undefined) return;
  if (typeof value === 'number' && Number.isFinite(value) && passes(value)) return;
  problems.push(`${field} must be ${expect}; got ${describeInput(value)}`);
}

function checkRange(problems: string[], field: string, value: unknown, range: NumberRange, api?: string) {
  const where = api ? ` for ${api}` : '';
  checkNumber(
    problems,
    field,
    value,
    `a number ${rangeText(range)}${where}`,
    (n) => n >= range[0] && n <= range[1],
  );
}

function checkTools(problems: string[], request: ChatRequest): Set<string> | undefined {
  const tools: unknown = request.tools;
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools)) {
    problems.push(
      `tools must be an array of { name, description?, parameters }; got ${describeInput(tools)}`,
    );
    return undefined;
  }
  const names = new Set<string>();
  tools.forEach((tool: unknown, i) => {
    const name = isPlainObject(tool) ? tool.name : undefined;
    if (typeof name !== 'string' || name.trim() === '') {
      problems.push(`tools[${i}].name must be a non-empty string; got ${describeInput(name)}`);
    } else if (names.has(name)) {
      problems.push(`tools[${i}].name "${name}" is used by another tool; tool names must be unique`);
    } else {
      names.add(name);
    }
  });
  return names;
}

function checkToolChoice(problems: string[], request: ChatRequest, tools: Set<string> | undefined): void {
  const choice: unknown = request.toolChoice;
  if (choice === undefined) return;
  const shape = `"auto", "none", "required" or { type: "tool", name }`;
  if (typeof choice === 'string') {
    if (!TOOL_CHOICES.includes(choice)) problems.push(`toolChoice must be ${shape}; got a string`);
    return;
  }
  if (!isPlainObject(choice) || choice.type !== 'tool' || typeof choice.name !== 'string') {
    problems.push(`toolChoice must be ${shape}; got ${describeInput(choice)}`);
    return;
  }
  if (!tools || tools.size === 0) {
    problems.push(
      `toolChoice names the tool "${choice.name}", but the request has no tools; add it to tools`,
    );
  } else if (!tools.has(choice.name)) {
    problems.push(
      `toolChoice names the tool "${choice.name}", which is not in tools (${[...tools].join(', ')})`,
    );
  }
}

function checkProviderOptions(problems: string[], request: ChatRequest, rules: CallSettingsRules): void {
  const all: unknown = request.providerOptions;
  if (all === undefined) return;
  if (!isPlainObject(all)) {
    problems.push(
      `providerOptions must be an object keyed by provider type, e.g. { openai: { … } }; got ${describeInput(all)}`,
    );
    return;
  }
  const key = rules.providerOptionsKey;
  if (key === undefined || all[key] === undefined) return;
  const own = all[key];
  const label = `providerOptions.${key}`;
  if (!isPlainObject(own)) {
    problems.push(`${label} must be an object of ${key} request fields; got ${describeInput(own)}`);
    return;
  }
  const badParents = new Set<string>();
  for (const [path, instead] of Object.entries(rules.ownedOptions ?? {})) {
    const parts = path.split('.');
    let node: unknown = own;
    for (let i = 0; i < parts.length - 1; i++) {
      const next: unknown = (node as Record<string, unknown>)[parts[i]!];
      if (next === undefined) {
        node = undefined;
        break;
      }
      const parent = parts.slice(0, i + 1).join('.');
      if (!isPlainObject(next)) {
        if (!badParents.has(parent)) {
          badParents.add(parent);
          problems.push(`${label}.${parent} must be an object; got ${describeInput(next)}`);
        }
        node = undefined;
        break;
      }
      node = next;
    }
    if (node !== undefined && Object.hasOwn(node as object, parts.at(-1)!)) {
      problems.push(`${label}.${path} cannot override a field the provider sets; use ${instead} instead`);
    }
  }
}

/**
 * Checks a request's generation settings against what the provider documents, before anything goes on the
 * wire, and throws one `ProviderError` (kind `bad_request`, not retryable: the caller's fault, so the router
 * stops) naming every bad field, the problem and the accepted range:
 *
 * - `temperature`, `topP` numbers within the provider's ranges; `maxTokens` a positive integer; `seed` an
 *   integer; `stop` strings;
 * - `tools` with unique non-empty names; `toolChoice` of a valid shape, naming a tool that is in `tools`;
 * - `providerOptions[providerOptionsKey]` an object that does not set a field the provider owns
 *   (`model`, `messages`, `stream`…): each has a request field or setting to use instead.
 *
 * @example
 * checkCallSettings(request, { provider: name, api: 'OpenAI', temperature: [0, 2], providerOptionsKey: 'openai',
 *   ownedOptions: { model: 'the model setting', messages: 'request.messages' } });
 */
export function checkCallSettings(request: ChatRequest, rules: CallSettingsRules): void {
  const problems: string[] = [];
  checkRange(
    problems,
    'temperature',
    request.temperature,
    rules.temperature ?? [0, Number.POSITIVE_INFINITY],
    rules.api,
  );
  checkRange(problems, 'topP', request.topP, rules.topP ?? [0, 1], rules.api);
  const maxTokens = rules.maxTokens ?? Number.MAX_SAFE_INTEGER;
  checkNumber(
    problems,
    'maxTokens',
    request.maxTokens,
    `a positive integer${maxTokens < Number.MAX_SAFE_INTEGER ? ` ≤ ${maxTokens}` : ''}${rules.api ? ` for ${rules.api}` : ''} (tokens to generate)`,
    (n) => Number.isInteger(n) && n >= 1 && n <= maxTokens,
  );
  checkNumber(problems, 'seed', request.seed, 'an integer', Number.isSafeInteger);
  const stop: unknown = request.stop;
  if (stop !== undefined && (!Array.isArray(stop) || stop.some((s) => typeof s !== 'string'))) {
    problems.push(`stop must be an array of strings; got ${describeInput(stop)}`);
  }
  checkToolChoice(problems, request, checkTools(problems, request));
  checkProviderOptions(problems, request, rules);
  if (problems.length === 0) return;
  throw new ProviderError({
    kind: 'bad_request',
    code: INVALID_CALL_SETTINGS,
    retryable: false,
    provider: rules.provider,
    message: `${rules.provider}: invalid request:\n  - ${problems.join('\n  - ')}`,
  });
}
