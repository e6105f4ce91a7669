import { invalidInput } from './invalid-input-error.js';
import { type AnthropicKeyCheck, checkAnthropicInput, validateAnthropic } from './validate-anthropic.js';
import { type BedrockKeyCheck, checkBedrockInput, validateBedrock } from './validate-bedrock.js';
import { checkGeminiInput, type GeminiKeyCheck, validateGemini } from './validate-gemini.js';
import { checkGigaChatInput, type GigaChatKeyCheck, validateGigaChat } from './validate-gigachat.js';
import { checkOpenAIInput, type OpenAIKeyCheck, validateOpenAI } from './validate-openai.js';
import { checkYandexGPTInput, validateYandexGPT, type YandexGPTKeyCheck } from './validate-yandexgpt.js';
import type { ValidationResult } from './validation-result.js';

/** One key to check, tagged with its provider. */
export type KeyCheck =
  | ({ provider: 'gigachat' } & GigaChatKeyCheck)
  | ({ provider: 'yandexgpt' } & YandexGPTKeyCheck)
  | ({ provider: 'openai' } & OpenAIKeyCheck)
  | ({ provider: 'anthropic' } & AnthropicKeyCheck)
  | ({ provider: 'gemini' } & GeminiKeyCheck)
  | ({ provider: 'bedrock' } & BedrockKeyCheck);

const VALIDATORS = {
  gigachat: [checkGigaChatInput, validateGigaChat],
  yandexgpt: [checkYandexGPTInput, validateYandexGPT],
  openai: [checkOpenAIInput, validateOpenAI],
  anthropic: [checkAnthropicInput, validateAnthropic],
  gemini: [checkGeminiInput, validateGemini],
  bedrock: [checkBedrockInput, validateBedrock],
} as const;

function validatorFor(check: KeyCheck) {
  const entry = VALIDATORS[check?.provider as keyof typeof VALIDATORS];
  if (!entry) {
    throw invalidInput(
      'validateMany',
      `provider must be one of ${Object.keys(VALIDATORS).join(', ')}, got ${JSON.stringify(check?.provider)}`,
    );
  }
  return entry as unknown as [(c: KeyCheck) => void, (c: KeyCheck) => Promise<ValidationResult>];
}

/**
 * Checks several keys concurrently, at most `concurrency` at a time (default 4), and resolves with the results
 * in the order of `checks`. Every input is checked first: one bad input rejects the call before any request.
 */
export async function validateMany(
  checks: readonly KeyCheck[],
  options: { concurrency?: number } = {},
): Promise<ValidationResult[]> {
  if (!Array.isArray(checks)) throw invalidInput('validateMany', 'pass an array of { provider, … } checks');
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw invalidInput('validateMany', 'concurrency must be an integer ≥ 1');
  const runners = checks.map((check, index) => {
    const [checkInput, validate] = validatorFor(check);
    try {
      checkInput(check);
    } catch (error) {
      throw invalidInput('validateMany', `check ${index} (${check.provider}): ${(error as Error).message}`);
    }
    return () => validate(check);
  });
  const results: ValidationResult[] = new Array(runners.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, runners.length) }, async () => {
      while (next < runners.length) {
        const index = next++;
        results[index] = await runners[index]!();
      }
    }),
  );
  return results;
}
