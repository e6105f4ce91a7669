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

/** The AST nodes directly under `node` (any property holding a node or a list of nodes). */
function children(node: Node): Node[] {
  const out: Node[] = [];
  for (const [key, value] of Object.entries(node)) {
    // A filter's or a test's name is not a variable (`upper` in `x | upper`, `defined` in `x is defined`).
    if (
      key === 'type' ||
      (key === 'filter' && node.type === 'FilterExpression') ||
      (key === 'test' && node.type === 'TestExpression')
    )
      continue;
    const list = Array.isArray(value) ? value : [value];
    for (const item of list)
      if (typeof item === 'object' && item !== null && typeof (item as Node).type === 'string')
        out.push(item as Node);
  }
  return out;
}

/**
 * The variables and members of `node` that are undefined in `env`, as the template wrote them (`plan`,
 * `user.email`): what an expression that failed on an undefined value (`{{ "Plan: " + plan }}`,
 * `{{ tags | join(", ") }}`) or printed one (`{{ plan if flag else "x" }}`) is missing. Only names and
 * member accesses are evaluated (never a call: it could have effects); a member of an undefined object
 * names the object. Bounded by the node count of one statement.
 */
function undefinedNames(node: Node, evaluate: (n: Node) => { type: string }): string[] {
  const found = new Set<string>();
  const visit = (n: Node, depth: number): void => {
    if (depth > 200) return;
    if (n.type === 'Identifier' || n.type === 'MemberExpression') {
      let value: { type: string } | undefined;
      try {
        value = evaluate(n);
      } catch {
        value = undefined;
      }
      if (value && value.type !== 'UndefinedValue') return;
      // The object missing first: `user.name.upper` with no `user.name` names `user.name`.
      if (n.type === 'MemberExpression' && n.object) {
        const before = found.size;
        visit(n.object, depth + 1);
        if (found.size > before) return;
      }
      found.add(describe(n));
      return;
    }
    for (const child of children(n)) visit(child, depth + 1);
  };
  visit(node, 0);
  return [...found];
}

function undefinedError(names: string[]): OrchestratorError {
  const list = names.map((n) => `\`${n}\``).join(', ');
  const first = names[0] as string;
  return new OrchestratorError({
    code: 'undefined-variable',
    message: `${list} ${names.length > 1 ? 'are' : 'is'} undefined: pass ${names.length > 1 ? 'them' : 'it'} as a variable, declare ${names.length > 1 ? 'them' : 'it'} with a default in optionalVariables, or write \`{{ ${first} | default('') }}\``,
    names,
  });
}

/**
 * Jinja's StrictUndefined for @huggingface/jinja, which prints undefined as an empty string: an output
 * expression (`{{ name }}`, `{{ user.email }}`) whose value is undefined throws, naming it. Tests and the
 * `default` filter still see undefined, so `{% if x is defined %}` and `{{ x | default('n/a') }}` work.
 * It replaces the interpreter's block loop (`evaluateBlock`, private in the library's types) on one
 * instance; the library's version is pinned and strict-jinja.test.ts (in this folder) fails if the loop is
 * ever bypassed. An expression that fails on an undefined value is reported the same way, naming the
 * variables it is missing, not as a syntax error.
 */
function strictInterpreter(environment: Environment): Interpreter {
  const interpreter = new Interpreter(environment);
  const self = interpreter as unknown as { evaluate: Evaluate; evaluateBlock: unknown };
  self.evaluateBlock = (statements: Node[], env: Environment) => {
    let result = '';
    const evaluateIn = (node: Node) => self.evaluate.call(interpreter, node, env);
    for (const statement of statements) {
      let value: { type: string; toString(): string };
      try {
        value = self.evaluate.call(interpreter, statement, env);
      } catch (error) {
        // A statement that failed on an undefined value ("Cannot apply filter … to type: UndefinedValue",
        // "Cannot perform operation + on undefined values") is a missing variable, named as such.
        if (OrchestratorError.isInstance(error)) throw error;
        const names = undefinedNames(statement, evaluateIn);
        if (names.length > 0) throw undefinedError(names);
        throw error;
      }
      if (value.type === 'UndefinedValue' && !SILENT.has(statement.type)) {
        const named = describe(statement);
        const names = named.startsWith('(') ? undefinedNames(statement, evaluateIn) : [named];
        throw undefinedError(names.length > 0 ? names : [named]);
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
