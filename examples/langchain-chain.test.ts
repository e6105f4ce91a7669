// Runs examples/langchain-chain.ts and asserts its three parts: a streamed chain, metadata after a fallback,
// and a retrieval chain over a real FAISS index.
import { expect, it } from 'vitest';
import { runExample } from './run-example.test-helper.js';

it('langchain-chain streams, reports the fallback and answers from the retrieved document', async () => {
  const stdout = await runExample('langchain-chain.ts');
  expect(stdout).toContain('stream: From the docs: llmo routes LLM calls');
  expect(stdout).toMatch(/answered by backup \(0 USD\) after \[ 'primary:error', 'backup:success' \]/);
  expect(stdout).toContain('rag: From the docs: To reset your password, open the email link.');
}, 60_000);
