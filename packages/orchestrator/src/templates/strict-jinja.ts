import { Environment, Interpreter, Template } from '@huggingface/jinja';
import { OrchestratorError } from '../errors/orchestrator-error.js';

// Statements that print nothing by design; anything else at block level is an output expression (`{{ … }}`).
const SILENT = new Set([
  'Set',
  'If',
  'For',
  'Macro',
  'CallStatement',
  'FilterStatement',
  'Comment',
  'Break',
  'Continue',
]);

interface Node {
  type: string;
  value?: unknown;
  object?: Node;
  property?: Node;
  operand?: Node;
}

/** `user.name`, `items[0]`: the expression as the template wrote it, for the error message. */
function describe(node: Node): string {
  if (node.type === 'Identifier') return String(node.value);
  if (node.type === 'MemberExpression' && node.object && node.property)
    return `${describe(node.object)}.${describe(node.property)}`;
  if (node.type === 'FilterExpression' && node.operand) return describe(node.operand);
  if (node.type === 'StringLiteral' || node.type === 'IntegerLiteral') return String(node.value);
  return `(${node.type})`;
}

type Evaluate = (node: Node, env: Environment) => { type: string; toString(): string };

/**
 * Jinja's StrictUndefined for @huggingface/jinja, which prints undefined as an empty string: an output
 * expression (`{{ name }}`, `{{ user.email }}`) whose value is undefined throws, naming it. Tests and the
 * `default` filter still see undefined, so `{% if x is defined %}` and `{{ x | default('n/a') }}` work.
 * It replaces the interpreter's block loop (`evaluateBlock`, private in the library's types) on one
 * instance; the library's version is pinned and strict-jinja.test.ts fails if the loop is ever bypassed.
 */
function strictInterpreter(environment: Environment): Interpreter {
  const interpreter = new Interpreter(environment);
  const self = interpreter as unknown as { evaluate: Evaluate; evaluateBlock: unknown };
  self.evaluateBlock = (statements: Node[], env: Environment) => {
    let result = '';
    for (const statement of statements) {
      const value = self.evaluate.call(interpreter, statement, env);
      if (value.type === 'UndefinedValue' && !SILENT.has(statement.type)) {
        const name = describe(statement);
        throw new OrchestratorError({
          code: 'undefined-variable',
          message: `\`{{ ${name} }}\` is undefined: pass it as a variable, declare it with a default in optionalVariables, or write \`{{ ${name} | default('') }}\``,
          names: [name],
        });
      }
      if (value.type !== 'NullValue' && value.type !== 'UndefinedValue') result += value.toString();
    }
    // The library's StringValue is not exported; a string literal evaluates to one.
    return self.evaluate.call(interpreter, { type: 'StringLiteral', value: result }, env);
  };
  return interpreter;
}

/** Jinja's globals: the literals in both spellings, `range`, and `raise_exception` for templates' own checks. */
const GLOBALS: Record<string, unknown> = {
  true: true,
  false: false,
  none: null,
  True: true,
  False: false,
  None: null,
  raise_exception: (message: unknown) => {
    throw new Error(String(message));
  },
  range: (start: number, stop?: number, step = 1) => {
    const [from, to] = stop === undefined ? [0, start] : [start, stop];
    const out: number[] = [];
    // Bounded: a template cannot make a prompt of more than 100k items by accident.
    for (let i = from; step > 0 ? i < to : i > to; i += step) {
      out.push(i);
      if (out.length > 100_000 || step === 0) break;
    }
    return out;
  },
};

/** A parsed Jinja template that renders with strict undefined handling. */
export class StrictTemplate {
  readonly #template: Template;

  constructor(source: string, where: string) {
    try {
      this.#template = new Template(source);
    } catch (cause) {
      throw new OrchestratorError({
        code: 'template-syntax',
        message: `${where}: not a valid Jinja template: ${(cause as Error).message}`,
        cause,
      });
    }
  }

  render(variables: Record<string, unknown>, where: string): string {
    const environment = new Environment();
    // What the library's Template.render sets up first (its setupGlobals is not exported).
    for (const [key, value] of Object.entries(GLOBALS)) environment.set(key, value as never);
    for (const [key, value] of Object.entries(variables)) environment.set(key, value as never);
    try {
      const result = strictInterpreter(environment).run(this.#template.parsed) as { value: string };
      return result.value;
    } catch (cause) {
      if (OrchestratorError.isInstance(cause)) {
        cause.message = `${where}: ${cause.message}`;
        throw cause;
      }
      throw new OrchestratorError({
        code: 'template-syntax',
        message: `${where}: rendering failed: ${(cause as Error).message}`,
        cause,
      });
    }
  }
}
