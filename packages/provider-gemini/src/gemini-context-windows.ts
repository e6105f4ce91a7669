/** Context windows (input token limits) of the listed models, for the Router's `context_length` fallback. */
const CONTEXT_WINDOWS: Record<string, number> = {
  'gemini-3-pro-preview': 1_048_576,
  'gemini-2.5-pro': 1_048_576,
  'gemini-2.5-flash': 1_048_576,
  'gemini-2.5-flash-lite': 1_048_576,
  'gemini-2.0-flash': 1_048_576,
  'gemini-2.0-flash-lite': 1_048_576,
};

/** The context window of a listed model (`gemini-2.5-flash`, `models/gemini-2.5-flash`), else undefined. */
export function geminiContextWindow(model: string): number | undefined {
  const id = model.replace(/^(models|publishers\/google\/models)\//, '');
  return Object.hasOwn(CONTEXT_WINDOWS, id) ? CONTEXT_WINDOWS[id] : undefined;
}
