// @llmo/retrieval: FAISS similarity search off the event loop. Node only.
export { FaissStore, type FaissStoreOptions, type MmrOptions } from './faiss-store.js';
export {
  FaissVectorIndex,
  type FaissVectorIndexOptions,
  type FaissVectorMatch,
} from './faiss-vector-index.js';
export { type FaissPoolOptions, FaissWorkerPool, type SearchHits } from './faiss-worker-pool.js';
export { maximalMarginalRelevance } from './maximal-marginal-relevance.js';
export { RetrievalError, type RetrievalErrorCode } from './retrieval-error.js';
export {
  type Document,
  type Embeddings,
  type Filter,
  type Metric,
  type ScoreOrder,
  scoreOrderOf,
} from './types.js';
