// Calls Gemini or Claude on Google Vertex AI for real, with a service-account key.
//   GOOGLE_SERVICE_ACCOUNT_JSON="$(cat key.json)" pnpm --filter @llmo/examples run vertex
//   VERTEX_MODEL=claude-sonnet-4-5@20250929 GOOGLE_CLOUD_LOCATION=us-east5 GOOGLE_SERVICE_ACCOUNT_JSON=… pnpm --filter @llmo/examples run vertex
import { createVertex } from '@llmo/provider-vertex';
import { requireEnv, runProviderExample } from './run-provider-example.js';

const env = requireEnv(
  ['GOOGLE_SERVICE_ACCOUNT_JSON'],
  'Create a key for a service account with the Vertex AI User role (IAM → Service accounts → Keys → JSON).',
);
if (env) {
  await runProviderExample(
    createVertex({
      name: 'vertex',
      model: process.env.VERTEX_MODEL ?? 'gemini-2.5-flash',
      project: process.env.GOOGLE_CLOUD_PROJECT, // unset: the key's project_id
      location: process.env.GOOGLE_CLOUD_LOCATION ?? 'global',
      serviceAccount: env.GOOGLE_SERVICE_ACCOUNT_JSON,
      baseURL: process.env.VERTEX_BASE_URL,
    }),
  );
}
