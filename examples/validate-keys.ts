// Checks API keys the way a SaaS onboarding form would, and prints what is wrong with each.
//   GIGACHAT_CREDENTIALS=… YC_API_KEY=… YC_FOLDER_ID=… OPENAI_API_KEY=… ANTHROPIC_API_KEY=… GEMINI_API_KEY=… \
//     pnpm --filter @llmo/examples run validate-keys
// Only the keys you set are checked. With none set, it runs against local fake servers (no network) so you can
// see every part: GigaChat scope auto-detection with progress, a wrong key, and a folder without access.
import { readFileSync } from 'node:fs';
import { GigaChatFakeServer, OpenAIFakeServer, YandexGPTFakeServer } from '@llmo/testkit';
import { type KeyCheck, type ValidationResult, validateMany } from '@llmo/validators';
import { createGigaChatFetch } from '@llmo/validators/node';

const onScopeAttempt = (scope: string, current: number, total: number) =>
  console.log(`  gigachat: trying ${scope} (${current}/${total})…`);

function print(results: ValidationResult[]) {
  for (const r of results) {
    const mark = r.valid ? '✓' : '✗';
    console.log(`${mark} ${r.provider.padEnd(10)} ${r.errorCode.padEnd(20)} ${r.message}`);
    if (Object.keys(r.details).length > 0) console.log(`  details: ${JSON.stringify(r.details)}`);
    if (r.retryAfter !== null) console.log(`  retry after ${r.retryAfter} s`);
  }
}

// The custom-CA fetch holds a connection pool: closed at the end so the process can exit.
let gigachatFetch: ReturnType<typeof createGigaChatFetch> | undefined;

function checksFromEnv(): KeyCheck[] {
  const env = process.env;
  const checks: KeyCheck[] = [];
  if (env.GIGACHAT_CREDENTIALS) {
    // The Russian Trusted Root CA: pass it here, or start Node with NODE_EXTRA_CA_CERTS.
    if (env.GIGACHAT_CA_BUNDLE)
      gigachatFetch = createGigaChatFetch({ ca: readFileSync(env.GIGACHAT_CA_BUNDLE, 'utf8') });
    checks.push({
      provider: 'gigachat',
      credentials: env.GIGACHAT_CREDENTIALS,
      fetch: gigachatFetch,
      onScopeAttempt,
    });
  }
  if (env.YC_FOLDER_ID && (env.YC_API_KEY || env.YC_IAM_TOKEN)) {
    checks.push(
      env.YC_API_KEY
        ? { provider: 'yandexgpt', folderId: env.YC_FOLDER_ID, apiKey: env.YC_API_KEY }
        : { provider: 'yandexgpt', folderId: env.YC_FOLDER_ID, iamToken: env.YC_IAM_TOKEN },
    );
  }
  if (env.OPENAI_API_KEY)
    checks.push({ provider: 'openai', apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL });
  if (env.ANTHROPIC_API_KEY) checks.push({ provider: 'anthropic', apiKey: env.ANTHROPIC_API_KEY });
  if (env.GEMINI_API_KEY) checks.push({ provider: 'gemini', apiKey: env.GEMINI_API_KEY });
  return checks;
}

async function demo() {
  console.log('No keys in the environment: checking against local fake servers.\n');
  const gigachat = await GigaChatFakeServer.start({ scopes: ['GIGACHAT_API_CORP'] });
  const openai = await OpenAIFakeServer.start();
  openai.http.enqueue('GET', '/v1/models', {
    status: 401,
    body: {
      error: {
        message: 'Incorrect API key provided',
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      },
    },
  });
  const yandex = await YandexGPTFakeServer.start();
  yandex.reply({ type: 'error', status: 403, message: 'Permission denied' });
  try {
    print(
      await validateMany([
        {
          provider: 'gigachat',
          credentials: 'Y2xpZW50OnNlY3JldA==',
          authURL: gigachat.authURL,
          baseURL: gigachat.baseURL,
          onScopeAttempt,
        },
        { provider: 'openai', apiKey: 'sk-wrong', baseURL: openai.baseURL },
        { provider: 'yandexgpt', folderId: 'b1gdemo', apiKey: 'AQVN-demo', baseURL: yandex.baseURL },
      ]),
    );
  } finally {
    await Promise.all([gigachat.close(), openai.close(), yandex.close()]);
  }
}

const checks = checksFromEnv();
if (checks.length === 0) await demo();
else {
  print(await validateMany(checks));
  await gigachatFetch?.close();
}
