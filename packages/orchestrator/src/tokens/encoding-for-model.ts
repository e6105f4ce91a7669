/** The BPE encodings this package can count with exactly (through gpt-tokenizer). */
export type EncodingName = 'o200k_base' | 'cl100k_base';

// Prefixes as OpenAI's own tiktoken maps models (model.py); dated snapshots share their family's encoding.
// Order matters: `gpt-4o` must match before `gpt-4`.
const PREFIXES: readonly [string, EncodingName][] = [
  ['gpt-5', 'o200k_base'],
  ['gpt-4.1', 'o200k_base'],
  ['gpt-4.5', 'o200k_base'],
  ['gpt-4o', 'o200k_base'],
  ['chatgpt-4o', 'o200k_base'],
  ['gpt-oss', 'o200k_base'],
  ['o1', 'o200k_base'],
  ['o3', 'o200k_base'],
  ['o4', 'o200k_base'],
  ['gpt-4', 'cl100k_base'],
  ['gpt-3.5', 'cl100k_base'],
  ['gpt-35', 'cl100k_base'],
  ['text-embedding-3', 'cl100k_base'],
  ['text-embedding-ada-002', 'cl100k_base'],
];

/**
 * The encoding of an OpenAI model, or undefined when the model's tokenizer is not public (Claude, Gemini,
 * GigaChat, YandexGPT, Llama…): those are estimated, and the count says so.
 */
export function encodingForModel(model: string | undefined): EncodingName | undefined {
  if (!model) return undefined;
  const name = model.toLowerCase().replace(/^openai\//, '');
  for (const [prefix, encoding] of PREFIXES) if (name.startsWith(prefix)) return encoding;
  return undefined;
}
