// Calls YandexGPT for real.
//   YC_FOLDER_ID=b1g… YC_API_KEY=AQVN… pnpm --filter @llmo/examples run yandexgpt
//   (or YC_IAM_TOKEN=t1.… instead of YC_API_KEY)
import { createYandexGPT } from '@llmo/provider-yandexgpt';
import { requireEnv, runProviderExample } from './run-provider-example.js';

const useIam = Boolean(process.env.YC_IAM_TOKEN);
const env = requireEnv(
  ['YC_FOLDER_ID', useIam ? 'YC_IAM_TOKEN' : 'YC_API_KEY'],
  'Create a service account with the ai.languageModels.user role and an API key for it in the Yandex Cloud console,\n' +
    'or use `yc iam create-token` for an IAM token. The folder id is the b1g… id of the folder.',
);
if (env) {
  await runProviderExample(
    createYandexGPT({
      name: 'yandexgpt',
      model: process.env.YC_MODEL ?? 'yandexgpt-lite',
      folderId: env.YC_FOLDER_ID!,
      ...(useIam ? { iamToken: env.YC_IAM_TOKEN! } : { apiKey: env.YC_API_KEY! }),
    }),
  );
}
