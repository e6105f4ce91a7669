/** The environment a configuration reads `${VAR}` from. */
export type ConfigEnv = Readonly<Record<string, string | undefined>>;

/** What went wrong in one `${…}`: a variable that is not set, or text that is not a reference. */
export type SubstitutionProblem =
  | { type: 'missing'; variable: string }
  | { type: 'invalid' }
  | { type: 'unclosed' };

export interface SubstitutionResult {
  text: string;
  /** True when the whole text was one reference (`${PORT:-8000}`), so it may be read as a number or boolean. */
  whole: boolean;
  /** True when the text held at least one reference. */
  substituted: boolean;
  problems: SubstitutionProblem[];
}

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in one string value. `${VAR:-default}` uses the default when `VAR`
 * is unset or empty (as in the shell); `${VAR}` with `VAR` unset is a problem (`missing`), with `VAR` set to
 * the empty string it is the empty string. `$${` writes a literal `${`. The default runs to the first `}`.
 */
export function substituteEnv(input: string, env: ConfigEnv): SubstitutionResult {
  const problems: SubstitutionProblem[] = [];
  let text = '';
  let references = 0;
  let i = 0;
  // Bounded: each turn consumes at least one character.
  while (i < input.length) {
    if (input.startsWith('$${', i)) {
      text += '${';
      i += 3;
      continue;
    }
    if (!input.startsWith('${', i)) {
      text += input[i];
      i++;
      continue;
    }
    const end = input.indexOf('}', i + 2);
    if (end < 0) {
      problems.push({ type: 'unclosed' });
      text += input.slice(i);
      break;
    }
    references++;
    const match = REFERENCE.exec(input.slice(i + 2, end));
    i = end + 1;
    if (!match) {
      problems.push({ type: 'invalid' });
      continue;
    }
    const [, variable = '', fallback] = match;
    const value = env[variable];
    if (fallback !== undefined && (value === undefined || value === '')) text += fallback;
    else if (value === undefined) problems.push({ type: 'missing', variable });
    else text += value;
  }
  const whole = references === 1 && /^\$\{[^}]*\}$/.test(input);
  return { text, whole, substituted: references > 0, problems };
}

/** The fix for one problem, as an error line says it (never showing the text, which may hold a secret). */
export function describeSubstitutionProblem(problem: SubstitutionProblem): string {
  switch (problem.type) {
    case 'missing':
      return `the environment variable ${problem.variable} is not set. Set it (e.g. export ${problem.variable}=…), or give a default: \${${problem.variable}:-value}`;
    case 'invalid':
      return 'a reference must read ${NAME} or ${NAME:-default}, NAME made of letters, digits and _ (not starting with a digit); write $${ for a literal "${"';
    case 'unclosed':
      return 'a "${" is not closed by "}"; close it (${NAME}), or write $${ for a literal "${"';
  }
}
