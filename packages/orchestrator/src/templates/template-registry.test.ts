import { describe, expect, it } from 'vitest';
import { OrchestratorError, TemplateRegistry } from '../index.js';

const review = {
  id: 'review',
  version: '1',
  system: 'You review {{ language }} code.',
  user: 'Review this:\n{{ code }}\nFocus: {{ focus }}',
  requiredVariables: ['code', 'language'],
  optionalVariables: { focus: 'bugs' },
};

function thrown(fn: () => unknown): OrchestratorError {
  try {
    fn();
  } catch (error) {
    if (OrchestratorError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an OrchestratorError');
}

describe('TemplateRegistry', () => {
  it('renders system and user with defaults for optional variables', () => {
    const registry = new TemplateRegistry([review]);
    const rendered = registry.render('review', { code: 'x = 1', language: 'Python' });
    expect(rendered).toMatchObject({
      id: 'review',
      version: '1',
      system: 'You review Python code.',
      user: 'Review this:\nx = 1\nFocus: bugs',
    });
    expect(registry.render('review', { code: 'y', language: 'Go', focus: 'style' }).user).toContain(
      'Focus: style',
    );
  });

  it('names every missing required variable in one error', () => {
    const registry = new TemplateRegistry([review]);
    const error = thrown(() => registry.render('review', {}));
    expect(error.code).toBe('missing-variables');
    expect(error.names).toEqual(['code', 'language']);
    expect(error.message).toContain('code, language');
  });

  it('an undefined variable inside the template is an error, never an empty string', () => {
    const registry = new TemplateRegistry([
      { id: 't', version: '1', user: 'Hello {{ name }}, your plan is {{ plan }}.' },
      { id: 'member', version: '1', user: '{{ user.email }}' },
      { id: 'loop', version: '1', user: '{% for i in items %}{{ i.title }};{% endfor %}' },
    ]);
    const error = thrown(() => registry.render('t', { name: 'Ann' }));
    expect(error.code).toBe('undefined-variable');
    expect(error.names).toEqual(['plan']);
    expect(error.message).toContain('template "t" v1 user');
    expect(thrown(() => registry.render('member', { user: { name: 'x' } })).names).toEqual(['user.email']);
    expect(thrown(() => registry.render('loop', { items: [{ title: 'a' }, { name: 'b' }] })).names).toEqual([
      'i.title',
    ]);
    expect(registry.render('loop', { items: [{ title: 'a' }, { title: 'b' }] }).user).toBe('a;b;');
  });

  it('tests and the default filter still see undefined', () => {
    const registry = new TemplateRegistry([
      {
        id: 't',
        version: '1',
        user: '{% if extra is defined %}[{{ extra }}]{% endif %}{{ note | default("none") }} {{ range(3) | length }}',
      },
    ]);
    expect(registry.render('t', {}).user).toBe('none 3');
    expect(registry.render('t', { extra: 'x', note: 'n' }).user).toBe('[x]n 3');
  });

  it('serves the latest version unless one is asked for, comparing versions numerically', () => {
    const registry = new TemplateRegistry([
      { id: 'a', version: '1.9', user: 'nine' },
      { id: 'a', version: '1.10', user: 'ten' },
      { id: 'a', version: '1.2', user: 'two' },
    ]);
    expect(registry.render('a').user).toBe('ten');
    expect(registry.render('a', {}, '1.9').user).toBe('nine');
    expect(registry.versions('a')).toEqual(['1.2', '1.9', '1.10']);
    const error = thrown(() => registry.render('a', {}, '3'));
    expect(error.code).toBe('unknown-template');
    expect(error.message).toContain('1.2, 1.9, 1.10');
  });

  it('rejects duplicates, unknown ids, bad versions, unknown keys and syntax errors when added', () => {
    const registry = new TemplateRegistry([{ id: 'a', version: '1', user: 'x' }]);
    expect(thrown(() => registry.add({ id: 'a', version: '1.0', user: 'y' })).code).toBe(
      'duplicate-template',
    );
    const unknown = thrown(() => registry.get('b'));
    expect(unknown.code).toBe('unknown-template');
    expect(unknown.message).toContain('known templates: a');
    expect(thrown(() => registry.add({ id: 'c', version: 'v1', user: 'x' })).message).toContain('version');
    const typo = thrown(() =>
      registry.add({ id: 'c', version: '1', user: 'x', requiredVariable: [] } as never),
    );
    expect(typo.message).toContain('did you mean "requiredVariables"');
    const syntax = thrown(() => registry.add({ id: 'd', version: '1', user: '{% for x in %}' }));
    expect(syntax.code).toBe('template-syntax');
  });

  it('an orchestrator can share a registry that keeps growing', async () => {
    const { Router } = await import('@llmo/core');
    const { createMockProvider } = await import('@llmo/provider-mock');
    const { createOrchestrator } = await import('../index.js');
    const router = new Router({ onWarning: false }).addProvider(
      createMockProvider({ name: 'm', latencyMs: 0 }),
    );
    const registry = new TemplateRegistry([{ id: 'a', version: '1', user: 'one' }]);
    const orchestrator = createOrchestrator({
      router,
      tasks: { t: { templateId: 'a' } },
      templates: registry,
    });
    registry.add({ id: 'a', version: '2', user: 'two' });
    expect((await orchestrator.process({ taskType: 't' })).value).toBe('Mock response to: two');
    await router.close();
  });
});
