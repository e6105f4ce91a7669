// Fake provider servers on 127.0.0.1 for the README samples that call a real provider, started from the
// @llmo/testkit the consumer project installed from its tarball. The samples read their endpoints from
// the environment, as the READMEs show (`baseURL: process.env.OPENAI_BASE_URL`, …): these variables
// point them here instead of at the real services, and the keys are fakes the servers accept.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Starts the fakes; resolves with the environment for the samples and a `close()`. */
export async function startFakes(project) {
  const testkitPath = createRequire(join(project, 'package.json')).resolve('@llmo/testkit');
  const {
    AnthropicFakeServer,
    BEDROCK_TEST_CREDENTIALS,
    BedrockFakeServer,
    GeminiFakeServer,
    GigaChatFakeServer,
    OllamaFakeServer,
    OpenAIFakeServer,
    TEST_TLS,
    VertexFakeServer,
    YandexGPTFakeServer,
  } = await import(pathToFileURL(testkitPath).href);

  const answer = (text) => ({ type: 'text', text, usage: { promptTokens: 12, completionTokens: 9 } });
  const openai = (await OpenAIFakeServer.start()).setDefault(answer('Python is a programming language.'));
  const vllm = (await OpenAIFakeServer.start()).setDefault(answer('Python is a language (from vLLM).'));
  // GigaChat's hosts use a certificate from a CA Node does not trust: so does this fake (a throwaway CA),
  // and the samples pass that CA as they would pass the Russian Trusted Root CA.
  const gigachat = (await GigaChatFakeServer.start({ tls: TEST_TLS })).setDefault(
    answer('Python — это язык программирования.'),
  );
  const yandex = (await YandexGPTFakeServer.start()).setDefault(answer('Python — язык программирования.'));
  const ollama = (await OllamaFakeServer.start({ models: ['llama3.2'] })).setDefault(
    answer('Python is a programming language (from Ollama).'),
  );
  const anthropic = (await AnthropicFakeServer.start({ models: ['claude-sonnet-4-5'] })).setDefault(
    answer('Python is a programming language (from Claude).'),
  );
  // Its origin serves both the provider's samples and @llmo/validators' key check (both add /v1beta).
  const gemini = (await GeminiFakeServer.start({ validKeys: ['AIza-consumer-test'] })).setDefault(
    answer('Python is a programming language (from Gemini).'),
  );
  // Vertex AI: one fake for both families, whose token endpoint verifies the sample's service-account JWTs
  // (the key's token_uri points at it); the samples read the key and the host from the environment.
  const vertex = await VertexFakeServer.start();
  const vertexAccount = await vertex.createServiceAccount({ projectId: 'consumer-project' });
  vertex.gemini.setDefault(answer('Python is a programming language (from Gemini on Vertex AI).'));
  vertex.claude.setDefault(answer('Python is a programming language (from Claude on Vertex AI).'));
  // One origin for Bedrock's runtime and control plane (the provider's controlPlaneURL defaults to baseURL off
  // AWS hosts); every request SigV4-verified with the AWS example keys the samples get below.
  const bedrock = (await BedrockFakeServer.start()).setDefault(
    answer('Python is a programming language (from Bedrock).'),
  );

  const caBundle = join(project, 'test-root-ca.pem');
  writeFileSync(caBundle, TEST_TLS.ca);
  const env = {
    OPENAI_API_KEY: 'sk-consumer-test',
    OPENAI_BASE_URL: openai.baseURL,
    VLLM_BASE_URL: vllm.baseURL,
    GIGACHAT_CREDENTIALS: Buffer.from('consumer-client:consumer-secret').toString('base64'),
    GIGACHAT_CA_BUNDLE: caBundle,
    GIGACHAT_BASE_URL: gigachat.baseURL,
    GIGACHAT_AUTH_URL: gigachat.authURL,
    YC_FOLDER_ID: 'b1gconsumertest',
    YC_API_KEY: 'AQVN-consumer-test',
    YANDEXGPT_BASE_URL: yandex.baseURL,
    OLLAMA_BASE_URL: ollama.baseURL,
    ANTHROPIC_API_KEY: 'sk-ant-consumer-test',
    ANTHROPIC_BASE_URL: anthropic.url,
    GEMINI_API_KEY: 'AIza-consumer-test',
    GEMINI_BASE_URL: gemini.url,
    GOOGLE_SERVICE_ACCOUNT_JSON: JSON.stringify(vertexAccount.key),
    VERTEX_BASE_URL: vertex.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: BEDROCK_TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: BEDROCK_TEST_CREDENTIALS.secretAccessKey,
    AWS_BEARER_TOKEN_BEDROCK: 'bedrock-api-key-test',
    BEDROCK_BASE_URL: bedrock.baseURL,
    // Samples that pass no CA of their own (validateGigaChat without `fetch`) trust it the other way the
    // READMEs document, as a user on Node would trust the Russian Trusted Root CA.
    NODE_EXTRA_CA_CERTS: caBundle,
    // The Prometheus sample serves /metrics: any free port, so it never meets another test's server.
    METRICS_PORT: '0',
  };
  const servers = [openai, vllm, gigachat, yandex, ollama, anthropic, gemini, vertex, bedrock];
  return {
    env,
    /** Chat requests each fake received (to show that the samples reached them). */
    counts: () => ({
      openai: openai.chatRequests.length,
      vllm: vllm.chatRequests.length,
      gigachat: gigachat.chatRequests.length,
      yandexgpt: yandex.chatRequests.length,
      ollama: ollama.chatRequests.length,
      anthropic: anthropic.requests.length, // model listing (validators) and chat
      gemini: gemini.requests.length, // model listing (validators), chat, countTokens, embeddings
      vertex: vertex.http.requests.length, // token, countTokens (health checks), chat
      bedrock: bedrock.requests.length, // chat and ListFoundationModels
    }),
    close: () => Promise.all(servers.map((server) => server.close())),
  };
}
