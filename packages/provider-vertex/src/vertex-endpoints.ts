/** The two model families Vertex serves here, each with the body mapping of its own provider package. */
export type VertexFamily = 'gemini' | 'claude';

/** Locations served by the multi-region `rep` hosts (js-genai `MULTI_REGIONAL_LOCATIONS`). */
const MULTI_REGIONS = new Set(['us', 'eu']);

export const DEFAULT_LOCATION = 'global';
export const DEFAULT_API_VERSION = 'v1';

/**
 * The host for a location (pitfall 1): a region → `https://{location}-aiplatform.googleapis.com`; `global` →
 * `https://aiplatform.googleapis.com`; the multi-regions `us` / `eu` → `https://aiplatform.{location}.rep.googleapis.com`.
 * The path keeps `locations/{location}` in every case. Anything that is not a location name (settings are
 * validated after this runs) gets the global host.
 */
export function vertexHost(location: unknown): string {
  if (typeof location !== 'string' || !/^[a-z0-9-]+$/.test(location) || location === 'global')
    return 'https://aiplatform.googleapis.com';
  if (MULTI_REGIONS.has(location)) return `https://aiplatform.${location}.rep.googleapis.com`;
  return `https://${location}-aiplatform.googleapis.com`;
}

/**
 * The family of a model id, unless `family` is given: ids starting `claude-` (`claude-sonnet-4-5@20250929`) or
 * `publishers/anthropic/` are Claude (`publishers/anthropic`, rawPredict); everything else — `gemini-…`,
 * `publishers/google/…`, tuned `endpoints/…` — is Gemini (`publishers/google`, generateContent).
 */
export function vertexFamily(model: string, family?: VertexFamily): VertexFamily {
  if (family) return family;
  return /^(publishers\/anthropic\/(models\/)?)?claude-/.test(model) ? 'claude' : 'gemini';
}

const encodeSegments = (path: string) => path.split('/').map(encodeURIComponent).join('/');

/**
 * The model resource below `/{version}/`: `projects/{p}/locations/{l}/publishers/{google|anthropic}/models/{id}`,
 * or `projects/{p}/locations/{l}/endpoints/{id}` for a tuned model's endpoint; without a project (express
 * mode, Gemini only) `publishers/google/models/{id}`. Ids are URL-encoded per segment (`@` becomes `%40`,
 * which Vertex decodes).
 */
export function vertexModelPath(options: {
  model: string;
  family: VertexFamily;
  project?: string;
  location: string;
}): string {
  const publisher = options.family === 'claude' ? 'anthropic' : 'google';
  const id = options.model.replace(/^publishers\/[^/]+\/(models\/)?/, '').replace(/^models\//, '');
  const scope =
    options.project === undefined
      ? ''
      : `projects/${encodeURIComponent(options.project)}/locations/${encodeURIComponent(options.location)}/`;
  if (id.startsWith('endpoints/')) return `${scope}${encodeSegments(id)}`;
  return `${scope}publishers/${publisher}/models/${encodeSegments(id)}`;
}

/** Splits a base URL into its origin part and a trailing API version (`…/v1`, `…/v1beta1`), if any. */
export function splitApiVersion(baseURL: string): { base: string; version?: string } {
  const match = /^(.*)\/(v\d+(?:(?:alpha|beta)\d*)?)$/.exec(baseURL.replace(/\/+$/, ''));
  return match ? { base: match[1]!, version: match[2] } : { base: baseURL.replace(/\/+$/, '') };
}
