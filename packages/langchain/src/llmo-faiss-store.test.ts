import { Document } from '@langchain/core/documents';
import { Embeddings } from '@langchain/core/embeddings';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { RunnablePassthrough, RunnableSequence } from '@langchain/core/runnables';
import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatLlmo } from './chat-llmo.js';
import { LlmoFaissStore } from './llmo-faiss-store.js';

/** Bag of words hashed into 256 dimensions: deterministic, and similar texts get similar vectors. */
class WordEmbeddings extends Embeddings {
  constructor() {
    super({});
  }
  private embed(text: string): number[] {
    const vector = new Array<number>(256).fill(0);
    for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
      let h = 2166136261;
      for (const c of word) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
      vector[(h >>> 0) % 256]! += 1;
    }
    return vector;
  }
  async embedDocuments(texts: string[]) {
    return texts.map((t) => this.embed(t));
  }
  async embedQuery(text: string) {
    return this.embed(text);
  }
}

const docs = [
  new Document({ pageContent: 'reset password email link', metadata: { topic: 'account' }, id: 'a' }),
  new Document({ pageContent: 'reset password email link again', metadata: { topic: 'account' }, id: 'a2' }),
  new Document({ pageContent: 'password policy length rules', metadata: { topic: 'security' }, id: 'b' }),
  new Document({ pageContent: 'billing invoice refund', metadata: { topic: 'billing' }, id: 'c' }),
];

describe('LlmoFaissStore: a LangChain vector store over @llmo/retrieval (real faiss)', () => {
  let store: LlmoFaissStore;
  beforeAll(async () => {
    store = await LlmoFaissStore.fromDocuments(docs, new WordEmbeddings(), { metric: 'cosine', size: 1 });
  });
  afterAll(() => store.close());

  it('similarity search with scores, filters and ids', async () => {
    const hits = await store.similaritySearchWithScore('reset password', 2);
    expect(hits.map(([d]) => d.id)).toEqual(['a', 'a2']);
    expect(hits[0]![1]).toBeCloseTo(2 / (Math.SQRT2 * 2), 5); // cosine similarity
    const billing = await store.similaritySearch('reset password', 1, { topic: 'billing' });
    expect(billing.map((d) => d.id)).toEqual(['c']);
  });

  it('asRetriever: similarity and mmr', async () => {
    const similar = await store.asRetriever({ k: 2 }).invoke('reset password');
    expect(similar.map((d) => d.id)).toEqual(['a', 'a2']);
    // MMR skips the near-duplicate for the next most relevant different document.
    const diverse = await store
      .asRetriever({ searchType: 'mmr', k: 2, searchKwargs: { fetchK: 3, lambda: 0.3 } })
      .invoke('reset password');
    expect(diverse.map((d) => d.id)).toEqual(['a', 'b']);
  });

  it('adds and deletes documents', async () => {
    const [id] = await store.addDocuments(
      [new Document({ pageContent: 'refund policy days', metadata: {} })],
      {
        ids: ['r'],
      },
    );
    expect(id).toBe('r');
    expect((await store.similaritySearch('refund policy days', 1))[0]!.id).toBe('r');
    await store.delete({ ids: ['r'] });
    expect((await store.similaritySearch('refund policy days', 1))[0]!.id).not.toBe('r');
  });

  it('a retrieval chain: retriever → prompt → ChatLlmo (mock provider) → string', async () => {
    const router = new Router();
    router.addProvider(
      createMockProvider({
        name: 'mock',
        latencyMs: 1,
        // Echo the system message, so the test sees what the retriever put in the prompt.
        response: (request) => `I was told: ${request.messages[0]!.content}`,
      }),
    );
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', 'Answer from this context: {context}'],
      ['human', '{question}'],
    ]);
    const chain = RunnableSequence.from([
      {
        context: store
          .asRetriever({ k: 1 })
          .pipe((found: Document[]) => found.map((d) => d.pageContent).join('\n')),
        question: new RunnablePassthrough(),
      },
      prompt,
      new ChatLlmo({ router }),
      new StringOutputParser(),
    ]);
    expect(await chain.invoke('how do I reset my password')).toBe(
      'I was told: Answer from this context: reset password email link',
    );
  });
});
