// LangChain.js chains over the llmo router, with no keys and no network (mock providers, a local FAISS index).
//   pnpm --filter @llmo/examples run langchain-chain
import { Document } from '@langchain/core/documents';
import { Embeddings } from '@langchain/core/embeddings';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { RunnablePassthrough, RunnableSequence } from '@langchain/core/runnables';
import { Router } from '@llmo/core';
import { ChatLlmo } from '@llmo/langchain';
import { LlmoFaissStore } from '@llmo/langchain/retrieval';
import { createMockProvider } from '@llmo/provider-mock';

// A router whose first provider is down: every call falls back, inside one LangChain model call.
const router = new Router({ strategy: 'first-available', retry: { maxRetries: 0 } });
router.addProvider(createMockProvider({ name: 'primary', model: 'mock-server-error', latencyMs: 5 }));
router.addProvider(
  createMockProvider({
    name: 'backup',
    latencyMs: 5,
    chunkDelayMs: 5,
    // Answers with the context the retriever put into the system message, so you can see retrieval work.
    response: (request) => `From the docs: ${request.messages[0]?.content.replace(/^.*?: /, '')}`,
  }),
);
const model = new ChatLlmo({ router });

// 1. prompt | model | parser, streamed token by token.
const prompt = ChatPromptTemplate.fromMessages([
  ['system', 'Context: {context}'],
  ['human', '{question}'],
]);
const chain = prompt.pipe(model).pipe(new StringOutputParser());
process.stdout.write('stream: ');
for await (const token of await chain.stream({
  context: 'llmo routes LLM calls',
  question: 'What is llmo?',
})) {
  process.stdout.write(token);
}
console.log();

// 2. Who answered, and what it cost, is in response_metadata.
const message = await model.invoke('Hello');
const { provider, cost, attempts } = message.response_metadata as {
  provider: string;
  cost: { amount: number; currency: string };
  attempts: { provider: string; outcome: string }[];
};
console.log(
  `answered by ${provider} (${cost.amount} ${cost.currency}) after`,
  attempts.map((a) => `${a.provider}:${a.outcome}`),
);
console.log('usage:', message.usage_metadata);

// 3. A retrieval chain over a real FAISS index, searched off the event loop.
class WordEmbeddings extends Embeddings {
  constructor() {
    super({});
  }
  embed(text: string): number[] {
    const v = new Array<number>(128).fill(0);
    for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
      let h = 0;
      for (const c of word) h = (h * 31 + c.charCodeAt(0)) >>> 0;
      v[h % 128]! += 1;
    }
    return v;
  }
  async embedDocuments(texts: string[]) {
    return texts.map((t) => this.embed(t));
  }
  async embedQuery(text: string) {
    return this.embed(text);
  }
}
await using store = await LlmoFaissStore.fromDocuments(
  [
    new Document({
      pageContent: 'To reset your password, open the email link.',
      metadata: { topic: 'account' },
    }),
    new Document({ pageContent: 'Refunds take five business days.', metadata: { topic: 'billing' } }),
    new Document({ pageContent: 'Passwords need twelve characters.', metadata: { topic: 'security' } }),
  ],
  new WordEmbeddings(),
  { metric: 'cosine', size: 1 },
);
const rag = RunnableSequence.from([
  {
    context: store
      .asRetriever({ k: 1 })
      .pipe((docs: Document[]) => docs.map((d) => d.pageContent).join('\n')),
    question: new RunnablePassthrough(),
  },
  prompt,
  model,
  new StringOutputParser(),
]);
console.log('rag:', await rag.invoke('How do I reset my password?'));
await router.close();
