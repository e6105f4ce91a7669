/**
 * LangChain calls `_streamResponseChunks` from two places. `stream()` (and `transform`, `streamEvents`) hands
 * each chunk to the caller as it comes; `invoke()` with a streaming callback handler attached (streamEvents
 * v2, LangGraph's "messages" mode) only concatenates the chunks into its result, and its handlers get the
 * tokens from `handleLLMNewToken`. The two need different answers to a text revision, so the models mark the
 * first kind of call (overriding `_streamIterator`) with this key in the call options.
 */
const toCaller = Symbol('@llmo/langchain: chunks go to the caller');

export function markToCaller<T extends object>(options: T | undefined): T {
  return { ...options, [toCaller]: true } as T;
}

export function goesToCaller(options: object): boolean {
  return (options as Record<symbol, unknown>)[toCaller] === true;
}
