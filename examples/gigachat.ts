// Calls Sber GigaChat for real.
//   GIGACHAT_CREDENTIALS=<authorization key> GIGACHAT_CA_BUNDLE=./russian_trusted_root_ca.pem pnpm --filter @llmo/examples run gigachat
// GIGACHAT_SCOPE: GIGACHAT_API_PERS (default), GIGACHAT_API_B2B or GIGACHAT_API_CORP.
import { readFileSync } from 'node:fs';
import { createGigaChat, type GigaChatScope } from '@llmo/provider-gigachat';
import { createGigaChatFetch } from '@llmo/provider-gigachat/node';
import { requireEnv, runProviderExample } from './run-provider-example.js';

const env = requireEnv(
  ['GIGACHAT_CREDENTIALS'],
  'The authorization key is in your GigaChat personal account (developers.sber.ru). Also set GIGACHAT_CA_BUNDLE to the\n' +
    'Russian Trusted Root CA (https://www.gosuslugi.ru/crt), or start Node with NODE_EXTRA_CA_CERTS pointing to it.',
);
if (env) {
  const caPath = process.env.GIGACHAT_CA_BUNDLE;
  const fetch = caPath ? createGigaChatFetch({ ca: readFileSync(caPath, 'utf8') }) : undefined;
  await runProviderExample(
    createGigaChat({
      name: 'gigachat',
      model: process.env.GIGACHAT_MODEL ?? 'GigaChat-2',
      credentials: env.GIGACHAT_CREDENTIALS,
      scope: (process.env.GIGACHAT_SCOPE as GigaChatScope | undefined) ?? 'GIGACHAT_API_PERS',
      fetch,
    }),
  );
  await fetch?.close();
}
