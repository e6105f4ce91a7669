import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import { createHttpClient, firstChoice, healthCheckBy } from './http-provider.js';
import { SecretRedactor } from './secret-redactor.js';

const schema = {
  safeParse: (value: unknown) =>
    value !== null && typeof value === 'object' && 'data' in value
      ? { success: true as const, data: value as { data: string[] } }
      : { success: false as const, error: { issues: [{ path: ['data'], message: 'required' }] } },
};

function recordingFetch(respond: (url: string, init: RequestInit) => Response) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} });
    return respond(String(input), init ?? {});
  };
  return { fetch, calls };
}

describe('createHttpClient', () => {
  it('joins the path to the base URL; a body makes a JSON POST, none a GET', async () => {
    const { fetch, calls } = recordingFetch(() => Response.json({ data: ['m'] }));
    const client = createHttpClient({ provider: 'p', baseURL: 'http://h/v1//', fetch, timeoutMs: 1000 });
    expect(client.baseURL).toBe('http://h/v1');
    await client.call({ path: '/chat', body: { a: 1 }, headers: { x: '1', y: undefined } });
    expect(await client.json({ path: '/models', schema, what: 'model list' })).toEqual({ data: ['m'] });
    expect(calls.map((c) => [c.url, c.init.method, c.init.body])).toEqual([
      ['http://h/v1/chat', 'POST', '{"a":1}'],
      ['http://h/v1/models', 'GET', undefined],
    ]);
    expect(calls[0]!.init.headers).toEqual({ x: '1', 'content-type': 'application/json' });
  });

  it("maps errors through the call's classifier (status alone without one) and keeps secrets out of them", async () => {
    const { fetch } = recordingFetch(() => new Response('bad key sk-secret-123', { status: 401 }));
    const client = createHttpClient({
      provider: 'p',
      baseURL: 'http://h',
      fetch,
      timeoutMs: 1000,
      redactor: new SecretRedactor(),
    });
    const classify = () => ({ kind: 'permission' as const });
    const error = await client
      .call({ path: '/x', secrets: ['sk-secret-123'], classify })
      .catch((e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).kind).toBe('permission');
    expect((error as ProviderError).message).not.toContain('sk-secret-123');
    const plain = await client.call({ path: '/x' }).catch((e: unknown) => e);
    expect((plain as ProviderError).kind).toBe('auth');
  });

  it('json(): a body that does not match the schema is invalid_response', async () => {
    const { fetch } = recordingFetch(() => Response.json({ nope: 1 }));
    const client = createHttpClient({ provider: 'p', baseURL: 'http://h', fetch, timeoutMs: 1000 });
    const error = await client.json({ path: '/m', schema, what: 'model list' }).catch((e: unknown) => e);
    expect((error as ProviderError).kind).toBe('invalid_response');
    expect((error as ProviderError).message).toBe('p: unexpected model list at data: required');
  });
});

describe('healthCheckBy', () => {
  it('resolves true when the probe resolves, false when it throws, and passes the signal on', async () => {
    const signal = new AbortController().signal;
    let seen: AbortSignal | undefined;
    expect(
      await healthCheckBy(async (s) => {
        seen = s;
      })({ signal }),
    ).toBe(true);
    expect(seen).toBe(signal);
    expect(
      await healthCheckBy(async () => {
        throw new Error('down');
      })(),
    ).toBe(false);
  });
});

describe('firstChoice', () => {
  it('returns the first choice, and throws invalid_response for none', () => {
    expect(firstChoice([1, 2], { provider: 'p' })).toBe(1);
    for (const choices of [[], null, undefined]) {
      let caught: unknown;
      try {
        firstChoice(choices, { provider: 'p' });
      } catch (error) {
        caught = error;
      }
      expect((caught as ProviderError).kind).toBe('invalid_response');
      expect((caught as ProviderError).message).toBe('p: the completion has no choices');
    }
  });
});
