// Calls a model on Amazon Bedrock for real, through Converse.
//   AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… [AWS_SESSION_TOKEN=…] pnpm --filter @llmo/examples run bedrock
//   AWS_BEARER_TOKEN_BEDROCK=… AWS_REGION=eu-central-1 BEDROCK_MODEL=eu.amazon.nova-lite-v1:0 pnpm --filter @llmo/examples run bedrock
import { type BedrockSettings, createBedrock } from '@llmo/provider-bedrock';
import { requireEnv, runProviderExample } from './run-provider-example.js';

const apiKey = process.env.AWS_BEARER_TOKEN_BEDROCK;
let auth: Pick<BedrockSettings, 'apiKey' | 'credentials'> | undefined;
if (apiKey) auth = { apiKey };
else {
  const env = requireEnv(
    ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
    'Use IAM credentials allowed bedrock:InvokeModel, or a Bedrock API key in AWS_BEARER_TOKEN_BEDROCK.',
  );
  if (env)
    auth = {
      credentials: {
        accessKeyId: env.AWS_ACCESS_KEY_ID!,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
        sessionToken: process.env.AWS_SESSION_TOKEN,
      },
    };
}
if (auth) {
  await runProviderExample(
    createBedrock({
      name: 'bedrock',
      model: process.env.BEDROCK_MODEL ?? 'amazon.nova-lite-v1:0',
      region: process.env.AWS_REGION ?? 'us-east-1',
      ...auth,
      baseURL: process.env.BEDROCK_BASE_URL,
    }),
  );
}
