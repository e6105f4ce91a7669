export {
  type AccessToken,
  CLOUD_PLATFORM_SCOPE,
  GOOGLE_TOKEN_URL,
  type ServiceAccountKey,
} from './vertex-auth.js';
export { VERTEX_ANTHROPIC_VERSION } from './vertex-claude.js';
export {
  DEFAULT_API_VERSION,
  DEFAULT_LOCATION,
  type VertexFamily,
  vertexFamily,
  vertexHost,
  vertexModelPath,
} from './vertex-endpoints.js';
export { vertexClaudeErrors, vertexGeminiErrors } from './vertex-errors.js';
export { createVertex, type VertexProvider, type VertexSettings } from './vertex-provider.js';
