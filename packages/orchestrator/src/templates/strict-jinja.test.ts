import { describe, expect, it } from 'vitest';
import { OrchestratorError, TemplateRegistry } from '../index.js';

// The strict interpreter replaces @huggingface/jinja's block loop (a private method): if a new version of the
// library ever bypassed it, undefined values would print as '' again and these tests would fail.
const render = (user: string, variables: Record<string, unknown> = {}) => {
  const registry = new TemplateRegistry([{ id: 't', version: '1', user }]);
  try {
    return {
      text: registry.render('t', { items: [{ name: 'a' }], user: {}, flag: true, ...variables }).user,
    };
  } catch (error) {
    return { error: error as OrchestratorError };
  }
};

describe('strict undefined in templates', () => {
  it('an undefined variable printed, or used inside an expression, is undefined-variable naming it', () => {
    const cases: [string, string[]][] = [
      ['{{ plan }}', ['plan']],
      ['{{ "Plan: " + plan }}', ['plan']],
      ['{{ "Plan: " ~ plan }}', ['plan']],
      ['{{ plan | upper }}', ['plan']],
      ['{{ user.email | trim }}', ['user.email']],
      ['{% for item in items %}[{{ item.title }}]{% endfor %}', ['item.title']],
      ['{% if true %}{{ plan }}{% endif %}', ['plan']],
      ['{{ plan if flag else "x" }}', ['plan']],
      ['{{ tags | join(", ") }}', ['tags']],
      ['{{ user.name.upper() }}', ['user.name']],
      ['{{ a + b }}', ['a', 'b']],
    ];
    for (const [template, names] of cases) {
      const { error } = render(template);
      expect(OrchestratorError.isInstance(error), template).toBe(true);
      expect(error?.code, template).toBe('undefined-variable');
      expect(error?.names, template).toEqual(names);
      expect(error?.message, template).toContain(`\`${names[0]}\``);
    }
  });

  it('tests and the default filter still see undefined; defined values render', () => {
    expect(render('{{ plan | default("n/a") }}').text).toBe('n/a');
    expect(render('{% if plan is defined %}yes{% else %}no{% endif %}').text).toBe('no');
    expect(render('{{ "Plan: " + plan }}', { plan: 'A' }).text).toBe('Plan: A');
    expect(render('{{ plan if flag else "x" }}', { plan: 'B' }).text).toBe('B');
  });

  it('an error that is not about an undefined value stays a template error', () => {
    const { error } = render('{{ raise_exception("bad input") }}');
    expect(error?.code).toBe('template-syntax');
    expect(error?.message).toContain('bad input');
  });
});
