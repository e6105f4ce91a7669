// `@llmo/langchain/retrieval`: a LangChain vector store over @llmo/retrieval (Node only; an optional peer).
export { LlmoFaissStore } from './llmo-faiss-store.js';
