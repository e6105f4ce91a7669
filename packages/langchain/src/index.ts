// @llmo/langchain: LangChain.js models over the llmo router. The FAISS vector store is in `@llmo/langchain/retrieval`.

export { ChatLlmo, type ChatLlmoCallOptions, type ChatLlmoFields } from './chat-llmo.js';
export { LlmoLLM, type LlmoLLMCallOptions, type LlmoLLMFields } from './llmo-llm.js';
export { StreamRevisedError, TEXT_REVISED_EVENT } from './stream-revised-error.js';
export { toLlmoMessages } from './to-llmo-messages.js';
export { toLlmoToolChoice, toLlmoTools } from './to-llmo-tools.js';
