// The clients under test, each behind one small interface so the harness treats them alike. Every client
// sends the same prompt and returns the text (the completion, or the stream's deltas concatenated), which the
// harness checks against the server's. Each uses its library the way its README shows, with its defaults
// (transport, connection pool), except that retries are off where a library has them (no request fails here).
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { type ChatMessage, Router } from '@llmo/core';
import type { ProviderV1 } from '@llmo/core/provider';
import { createOpenAI } from '@llmo/provider-openai';
import { generateText, type LanguageModel, type ModelMessage, streamText } from 'ai';
import OpenAI from 'openai';
import { Agent, request } from 'undici';
import { modelFor, PROMPT } from './wire.js';

/** Set by a stream the first time it hands the caller a text delta (performance.now()). */
export interface FirstMark {
  at: number;
}

export interface BenchClient {
  /** One non-streaming call; resolves with the completion's text. */
  generate(): Promise<string>;
  /** One stream of `chunks` content chunks, consumed to the end; resolves with the deltas concatenated. */
  stream(chunks: number, first: FirstMark): Promise<string>;
  close(): Promise<void>;
}

export interface ClientDefinition {
  id: ClientId;
  /** Column header. */
  label: string;
  create(baseURL: string): BenchClient;
}

export const CLIENT_IDS = [
  'floor',
  'openai',
  'ai-sdk',
  'llmo-provider',
  'llmo-router',
  'llmo-router-3',
] as const;
export type ClientId = (typeof CLIENT_IDS)[number];

// One message array per library, built once, in each library's own type.
const messages: ChatMessage[] = [{ role: 'user', content: PROMPT }];
const openAIMessages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: PROMPT }];
const aiSdkMessages: ModelMessage[] = [{ role: 'user', content: PROMPT }];

/** A per-stream-length cache: the llmo providers and the AI SDK take the model at construction. */
function perModel<T>(create: (chunks: number) => T): (chunks: number) => T {
  const cache = new Map<number, T>();
  return (chunks) => {
    let value = cache.get(chunks);
    if (value === undefined) {
      value = create(chunks);
      cache.set(chunks, value);
    }
    return value;
  };
}

/**
 * The floor: undici's `request()` on a keep-alive Agent, JSON.parse of the body, and for streams the least an
 * SSE client must do: decode, split events with indexOf, JSON.parse each `data:` and take the delta.
 */
function floorClient(baseURL: string): BenchClient {
  const agent = new Agent({ keepAliveTimeout: 60_000 });
  const url = `${baseURL}/chat/completions`;
  const headers = { 'content-type': 'application/json', authorization: 'Bearer bench' };
  return {
    async generate() {
      const body = JSON.stringify({ model: modelFor(0), messages });
      const response = await request(url, { method: 'POST', headers, body, dispatcher: agent });
      const json = JSON.parse(await response.body.text());
      if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
      return json.choices[0].message.content;
    },
    async stream(chunks, first) {
      const body = JSON.stringify({
        model: modelFor(chunks),
        messages,
        stream: true,
        stream_options: { include_usage: true },
      });
      const response = await request(url, { method: 'POST', headers, body, dispatcher: agent });
      if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
      const decoder = new TextDecoder();
      let buffer = '';
      let text = '';
      for await (const bytes of response.body) {
        buffer += decoder.decode(bytes, { stream: true });
        let start = 0;
        let end = buffer.indexOf('\n\n', start);
        while (end !== -1) {
          if (buffer.startsWith('data: ', start)) {
            const data = buffer.slice(start + 6, end);
            if (data !== '[DONE]') {
              const delta = JSON.parse(data).choices[0]?.delta?.content;
              if (delta) {
                if (first.at === 0) first.at = performance.now();
                text += delta;
              }
            }
          }
          start = end + 2;
          end = buffer.indexOf('\n\n', start);
        }
        buffer = buffer.slice(start);
      }
      return text;
    },
    close: () => agent.close(),
  };
}

/** The official `openai` SDK, default fetch (Node's global fetch). */
function openAIClient(baseURL: string): BenchClient {
  const client = new OpenAI({ apiKey: 'bench', baseURL, maxRetries: 0 });
  return {
    async generate() {
      const completion = await client.chat.completions.create({
        model: modelFor(0),
        messages: openAIMessages,
      });
      return completion.choices[0]?.message.content ?? '';
    },
    async stream(chunks, first) {
      const stream = await client.chat.completions.create({
        model: modelFor(chunks),
        messages: openAIMessages,
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta?.content;
        if (delta) {
          if (first.at === 0) first.at = performance.now();
          text += delta;
        }
      }
      return text;
    },
    close: async () => {},
  };
}

/** The AI SDK 5: `generateText` / `streamText` over `@ai-sdk/openai-compatible`. */
function aiSdkClient(baseURL: string): BenchClient {
  const provider = createOpenAICompatible({ name: 'bench', baseURL, apiKey: 'bench', includeUsage: true });
  const model = perModel((chunks): LanguageModel => provider.chatModel(modelFor(chunks)));
  return {
    async generate() {
      const result = await generateText({ model: model(0), messages: aiSdkMessages, maxRetries: 0 });
      return result.text;
    },
    async stream(chunks, first) {
      const result = streamText({ model: model(chunks), messages: aiSdkMessages, maxRetries: 0 });
      let text = '';
      for await (const delta of result.textStream) {
        if (first.at === 0) first.at = performance.now();
        text += delta;
      }
      return text;
    },
    close: async () => {},
  };
}

const provider = (baseURL: string, name: string, chunks: number): ProviderV1 =>
  createOpenAI({ name, model: modelFor(chunks), baseURL, apiKey: 'bench' });

/** llmo's provider, `generate()` / `stream()` called directly. */
function llmoProviderClient(baseURL: string): BenchClient {
  const model = perModel((chunks) => provider(baseURL, 'bench', chunks));
  return {
    async generate() {
      return (await model(0).generate({ messages })).text;
    },
    async stream(chunks, first) {
      let text = '';
      for await (const part of model(chunks).stream({ messages })) {
        if (part.type === 'text-delta') {
          if (first.at === 0) first.at = performance.now();
          text += part.delta;
        }
      }
      return text;
    },
    close: async () => {},
  };
}

/** llmo's Router (default strategy, round-robin) over `providers` providers on the same server. */
function llmoRouterClient(baseURL: string, providers: number): BenchClient {
  const routers: Router[] = [];
  const router = perModel((chunks) => {
    const created = new Router({ onWarning: false });
    for (let i = 0; i < providers; i++) created.addProvider(provider(baseURL, `bench-${i}`, chunks));
    routers.push(created);
    return created;
  });
  return {
    async generate() {
      return (await router(0).route(messages)).text;
    },
    async stream(chunks, first) {
      let text = '';
      for await (const part of router(chunks).routeStream(messages).parts) {
        if (part.type === 'text-delta') {
          if (first.at === 0) first.at = performance.now();
          text += part.delta;
        }
      }
      return text;
    },
    close: async () => {
      await Promise.all(routers.map((r) => r.close()));
    },
  };
}

export const CLIENTS: Record<ClientId, ClientDefinition> = {
  floor: { id: 'floor', label: 'floor (undici.request)', create: floorClient },
  openai: { id: 'openai', label: 'openai SDK 6', create: openAIClient },
  'ai-sdk': { id: 'ai-sdk', label: 'AI SDK 5', create: aiSdkClient },
  'llmo-provider': { id: 'llmo-provider', label: 'llmo provider', create: llmoProviderClient },
  'llmo-router': { id: 'llmo-router', label: 'llmo router', create: (url) => llmoRouterClient(url, 1) },
  'llmo-router-3': {
    id: 'llmo-router-3',
    label: 'llmo router (3 providers)',
    create: (url) => llmoRouterClient(url, 3),
  },
};
