import { z } from '@llmo/core/provider';

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', {
    error: `must be a function (${what})`,
  });
const object = (what: string) =>
  z.custom<object>((v) => typeof v === 'object' && v !== null, { error: `must be an object (${what})` });

// Built on first use: a top-level call would stay in every bundle that imports anything from this package.
let built: ReturnType<typeof buildOrchestratorOptionsSchema> | undefined;

/**
 * The top-level keys `createOrchestrator` takes, strictly: a misspelt one (`cach`, `defaultModle`) is an
 * error naming the closest key, never an option silently ignored. Values are checked for their kind only;
 * tasks and templates are checked in depth by their registries.
 */
export const orchestratorOptionsSchema = () => (built ??= buildOrchestratorOptionsSchema());

function buildOrchestratorOptionsSchema() {
  return z.strictObject(
    {
      router: object('a Router from @llmo/core'),
      tasks: z.optional(
        z.record(z.string(), z.unknown(), { error: 'must map task types to their settings' }),
      ),
      templates: z.optional(object('a list of templates or a TemplateRegistry')),
      cache: z.optional(
        z.union([z.boolean(), object('a CacheStore')], { error: 'must be true, false or a CacheStore' }),
      ),
      semanticCache: z.optional(
        z.strictObject(
          { embed: fn('text → vector'), index: z.optional(object('a VectorIndex')) },
          { error: 'must be { embed, index? }' },
        ),
      ),
      defaultModel: z.optional(z.string({ error: 'must be a provider name or model id' })),
      tokenCounter: z.optional(object('a TokenCounter such as createTokenCounter()')),
      logger: z.optional(object('a Logger with info and warn')),
      onWarning: z.optional(
        z.union([fn('message → void'), z.literal(false)], { error: 'must be a function or false' }),
      ),
      validators: z.optional(
        z.record(z.string(), z.array(fn('a ResponseValidator')), {
          error: 'must map task types to lists of validators',
        }),
      ),
      now: z.optional(fn('the clock, in ms')),
    },
    { error: 'must be an object with a router' },
  );
}
