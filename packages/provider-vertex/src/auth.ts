// `@llmo/provider-vertex/auth`: service-account tokens with Web Crypto (RS256 JWT → access token), for code
// that needs a Google access token without the provider (e.g. `@llmo/validators`). Edge-safe.

export {
  type AccessToken,
  base64Url,
  base64UrlJson,
  CLOUD_PLATFORM_SCOPE,
  DEFAULT_REFRESH_MARGIN_MS,
  fetchServiceAccountToken,
  GOOGLE_TOKEN_URL,
  JWT_LIFETIME_SECONDS,
  parseServiceAccount,
  pemToDer,
  type ServiceAccountKey,
  type ServiceAccountTokenOptions,
  signServiceAccountJwt,
  TokenCache,
  tokenErrors,
} from './vertex-auth.js';
export { type VertexFamily, vertexFamily, vertexHost, vertexModelPath } from './vertex-endpoints.js';
