import { LlmoError } from '../errors/llmo-error.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import { type ReadyParts, readyPartsOf, type StreamPart } from '../spec/stream-part.js';
import { PartStream } from './part-stream.js';
import { redactSecrets } from './redact.js';

/** Header names whose values are credentials (`authorization`, `x-api-key`, `api-key`, `cookie`, …). */
const SENSITIVE_HEADER = /auth|key|token|secret|cookie|credential|password|signature/i;
/** How many distinct credential values one provider remembers (rotated keys stay redacted for a while). */
const MAX_SECRETS = 32;
const MAX_DEPTH = 6;

/**
 * The one place that removes a provider's credentials from everything built out of upstream bytes: HTTP
 * error bodies, error events inside a 200 stream, transport errors and their `cause` chains. A provider
 * owns one; `callApi` tells it every credential a request carries (the resolved key, the token, the values
 * of credential headers), and `redactProvider` passes every error the provider throws through it, so a key
 * an upstream echoes never reaches `attempts[].errorMessage`, `JSON.stringify(err)`, `util.inspect(err)`,
 * logs or usage records.
 */
export class SecretRedactor {
  readonly #secrets = new Set<string>();

  /** Remembers credential values (4+ characters; shorter ones would redact ordinary words). */
  remember(...values: readonly (string | undefined)[]): void {
    for (const value of values) {
      if (!value || value.length < 4 || this.#secrets.has(value)) continue;
      if (this.#secrets.size >= MAX_SECRETS) this.#secrets.delete(this.#secrets.values().next().value!);
      this.#secrets.add(value);
    }
  }

  /** Remembers the values of credential headers, and the token after an auth scheme (`Bearer sk-…`). */
  rememberHeaders(headers: Record<string, string | undefined> | undefined): void {
    if (!headers) return;
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined || !SENSITIVE_HEADER.test(name)) continue;
      const space = value.indexOf(' ');
      this.remember(value, space > 0 ? value.slice(space + 1).trim() : undefined);
    }
  }

  /** The credentials remembered so far (for messages built before an error exists). */
  get secrets(): readonly string[] {
    return [...this.#secrets];
  }

  text(text: string): string {
    return this.#secrets.size === 0 ? text : redactSecrets(text, this.secrets);
  }

  /**
   * The error with every remembered credential removed from its message, stack, code and `cause` chain.
   * llmo's own errors are cleaned in place (same class, same identity); a foreign error that contains a
   * credential is replaced by a plain copy (name, message, code, stack, cause), since it is not ours to
   * change.
   */
  error<E>(error: E): E {
    if (this.#secrets.size === 0) return error;
    return this.#clean(error, 0) as E;
  }

  #clean(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.text(value);
    if (!(value instanceof Error) || depth > MAX_DEPTH) {
      if (value === null || typeof value !== 'object') return value;
      let json: string | undefined;
      try {
        json = JSON.stringify(value);
      } catch {
        return '[unserialisable cause removed]';
      }
      return json !== undefined && this.text(json) !== json ? this.text(json) : value;
    }
    const cause = 'cause' in value ? this.#clean(value.cause, depth + 1) : undefined;
    if (LlmoError.isInstance(value)) {
      const target = value as Error & { code?: unknown };
      setOwn(target, 'message', this.text(target.message));
      if (typeof target.stack === 'string') setOwn(target, 'stack', this.text(target.stack));
      if (typeof target.code === 'string') setOwn(target, 'code', this.text(target.code));
      if ('cause' in value) setOwn(target, 'cause', cause);
      return value;
    }
    const code = (value as Error & { code?: unknown }).code;
    const changed =
      this.text(value.message) !== value.message ||
      (typeof value.stack === 'string' && this.text(value.stack) !== value.stack) ||
      (typeof code === 'string' && this.text(code) !== code) ||
      cause !== (value as { cause?: unknown }).cause;
    if (!changed) return value;
    const copy = new Error(this.text(value.message), 'cause' in value ? { cause } : undefined);
    copy.name = value.name;
    if (typeof value.stack === 'string') copy.stack = this.text(value.stack);
    if (code !== undefined) setOwn(copy, 'code', typeof code === 'string' ? this.text(code) : code);
    return copy;
  }
}

function setOwn(target: object, key: string, value: unknown): void {
  const existing = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, {
    value,
    writable: true,
    configurable: true,
    enumerable: existing?.enumerable ?? false,
  });
}

/**
 * The provider with every error it throws (generate, stream, health check, model listing) passed through
 * `redactor`: the single exit through which upstream-derived messages leave a provider.
 */
export function redactProvider<P extends ProviderV1>(provider: P, redactor: SecretRedactor): P {
  const wrapped: ProviderV1 = {
    ...provider,
    generate: async (request) => {
      try {
        return await provider.generate(request);
      } catch (error) {
        throw redactor.error(error);
      }
    },
    stream: (request) => redactStream(() => provider.stream(request), redactor),
    healthCheck: async (options) => {
      try {
        return await provider.healthCheck(options);
      } catch (error) {
        throw redactor.error(error);
      }
    },
  };
  if (provider.listModels) {
    const listModels = provider.listModels.bind(provider);
    wrapped.listModels = async (options) => {
      try {
        return await listModels(options);
      } catch (error) {
        throw redactor.error(error);
      }
    };
  }
  return wrapped as P;
}

/** A pass-through async iterable whose errors go through the redactor (no extra generator per part). */
function redactStream(
  open: () => AsyncIterable<StreamPart>,
  redactor: SecretRedactor,
): AsyncIterable<StreamPart> {
  const fail = (error: unknown): never => {
    throw redactor.error(error);
  };
  return {
    [Symbol.asyncIterator]() {
      let iterator: AsyncIterator<StreamPart>;
      try {
        iterator = open()[Symbol.asyncIterator]();
      } catch (error) {
        return fail(error);
      }
      // A partStream redacts its own errors: no wrapper, so no extra promise per part.
      if (iterator instanceof PartStream) return iterator.mapErrors((error) => redactor.error(error));
      const wrapped: AsyncIterator<StreamPart> & Partial<ReadyParts> = {
        next: () => iterator.next().catch(fail),
        return: (value?: unknown) =>
          iterator.return
            ? iterator.return(value as never).catch(fail)
            : Promise.resolve({ done: true as const, value: undefined as never }),
        throw: (error?: unknown) =>
          iterator.throw ? iterator.throw(error).catch(fail) : Promise.reject(redactor.error(error)),
      };
      // Parts the stream has ready pass through too (see ReadyParts), their errors redacted the same way.
      const take = readyPartsOf(iterator);
      if (take) {
        wrapped.takeReady = () => {
          try {
            return take();
          } catch (error) {
            return fail(error);
          }
        };
      }
      return wrapped;
    },
  };
}
