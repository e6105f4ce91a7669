import type { AIMessageChunk } from '@langchain/core/messages';
import { OutputParserException } from '@langchain/core/output_parsers';
import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { createOpenAI } from '@llmo/provider-openai';
import { OpenAIFakeServer } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import * as z3 from 'zod/v3';
import { ChatLlmo } from './index.js';

const retry = { maxRetries: 0, initialDelayMs: 1, maxDelayMs: 2 };
const person = z.object({ name: z.string(), age: z.number() }).describe('A person');

let server: OpenAIFakeServer;
beforeAll(async () => {
  server = await OpenAIFakeServer.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/**
 * A mock provider first (it declares neither tools nor JSON schema, so the router skips it when those are
 * required), then OpenAI against the fake server, whose captured request bodies show what reached the wire.
 */
function model(options: { mockFirst?: boolean } = {}) {
  const router = new Router({
    strategy: 'first-available',
    retry,
    circuitBreaker: false,
    prices: { openai: { 'gpt-4o-mini': { inputPer1K: 0, outputPer1K: 0, currency: 'USD' } } },
  });
  if (options.mockFirst) router.addProvider(createMockProvider({ name: 'mock', latencyMs: 0 }));
  router.addProvider(
    createOpenAI({ name: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-test', baseURL: server.baseURL }),
  );
  return new ChatLlmo({ router });
}

type Body = Record<string, unknown> & {
  tools?: { type: string; function: { name: string; description?: string; parameters: unknown } }[];
};
const sent = (i = 0) => server.chatRequests[i]!.body as Body;

describe('withStructuredOutput: functionCalling (the default)', () => {
  it('forces the tool with tool_choice and returns its parsed arguments', async () => {
    server.reply({ type: 'tool-call', name: 'extract', arguments: { name: 'Ada', age: 36 } });
    const structured = model({ mockFirst: true }).withStructuredOutput(person);
    expect(await structured.invoke('Ada Lovelace was 36.')).toEqual({ name: 'Ada', age: 36 });

    const body = sent();
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'extract' } });
    expect(body.tools).toHaveLength(1);
    expect(body.tools![0]!.function).toMatchObject({
      name: 'extract',
      description: 'A person',
      parameters: { type: 'object', properties: { name: { type: 'string' } }, required: ['name', 'age'] },
    });
    expect(body.response_format).toBeUndefined();
  });

  it('takes a zod v3 schema and a name; validates the arguments', async () => {
    const schema = z3.object({ city: z3.string(), celsius: z3.number() });
    server.reply(
      { type: 'tool-call', name: 'weather', arguments: { city: 'Kazan', celsius: 21 } },
      { type: 'tool-call', name: 'weather', arguments: { city: 'Kazan', celsius: 'warm' } },
    );
    const structured = model().withStructuredOutput(schema, { name: 'weather' });
    expect(await structured.invoke('Weather?')).toEqual({ city: 'Kazan', celsius: 21 });
    expect(sent().tool_choice).toEqual({ type: 'function', function: { name: 'weather' } });
    await expect(structured.invoke('Weather?')).rejects.toThrow(OutputParserException);
  });

  it('takes a plain JSON schema (its title names the tool) without validating it', async () => {
    server.reply({ type: 'tool-call', name: 'Person', arguments: { name: 'Ada', extra: true } });
    const structured = model().withStructuredOutput({
      title: 'Person',
      type: 'object',
      properties: { name: { type: 'string' } },
      required: ['name'],
    });
    expect(await structured.invoke('Ada')).toEqual({ name: 'Ada', extra: true });
    expect(sent().tool_choice).toEqual({ type: 'function', function: { name: 'Person' } });
  });

  it('an answer in prose instead of the call is an OutputParserException, not undefined', async () => {
    server.reply({ type: 'text', text: 'Ada Lovelace was 36 years old.' });
    const structured = model().withStructuredOutput(person);
    const error = await structured.invoke('Ada').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputParserException);
    expect((error as Error).message).toMatch(/did not call "extract".*Ada Lovelace was 36 years old/);
  });

  it('streams the parsed object', async () => {
    server.reply({ type: 'tool-call', name: 'extract', arguments: { name: 'Ada', age: 36 } });
    const chunks: unknown[] = [];
    for await (const chunk of await model().withStructuredOutput(person).stream('Ada')) chunks.push(chunk);
    expect(chunks.at(-1)).toEqual({ name: 'Ada', age: 36 });
    expect(sent().stream).toBe(true);
    expect(sent().tool_choice).toEqual({ type: 'function', function: { name: 'extract' } });
  });
});

describe('withStructuredOutput: jsonMode', () => {
  it('asks for JSON (response_format json_object), without tools, and parses the text', async () => {
    server.reply({ type: 'text', text: '{"name": "Ada", "age": 36}' });
    const structured = model().withStructuredOutput(person, { method: 'jsonMode' });
    expect(await structured.invoke('Answer in JSON: who was Ada?')).toEqual({ name: 'Ada', age: 36 });
    expect(sent().response_format).toEqual({ type: 'json_object' });
    expect(sent().tools).toBeUndefined();
    expect(sent().tool_choice).toBeUndefined();
  });

  it('text that is not JSON is a parse error', async () => {
    server.reply({ type: 'text', text: 'Ada was 36.' });
    const structured = model().withStructuredOutput(person, { method: 'jsonMode' });
    await expect(structured.invoke('JSON please')).rejects.toThrow(OutputParserException);
  });
});

describe('withStructuredOutput: jsonSchema', () => {
  it('sends the schema as response_format and routes only to providers that support JSON schema', async () => {
    server.reply({ type: 'text', text: '{"name":"Ada","age":36}' });
    const structured = model({ mockFirst: true }).withStructuredOutput(person, {
      method: 'jsonSchema',
      name: 'person',
      strict: true,
      includeRaw: true,
    });
    const { raw, parsed } = await structured.invoke('Who was Ada?');
    expect(parsed).toEqual({ name: 'Ada', age: 36 });
    // The mock provider (no JSON-schema support) was skipped, not asked and left to answer in prose.
    expect(raw.response_metadata).toMatchObject({ provider: 'openai', attempts: [{ provider: 'openai' }] });
    expect(sent().response_format).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'person',
        description: 'A person',
        strict: true,
        schema: expect.objectContaining({
          type: 'object',
          properties: { name: { type: 'string' }, age: { type: 'number' } },
          required: ['name', 'age'],
        }),
      },
    });
    expect(sent().tools).toBeUndefined();
  });

  it('a call’s routing hints do not drop the response format', async () => {
    server.reply({ type: 'text', text: '{"name":"Ada","age":36}' });
    const structured = model().withStructuredOutput(person, { method: 'jsonSchema' });
    const result = await structured.invoke('Who?', { route: { temperature: 0 } } as never);
    expect(result).toEqual({ name: 'Ada', age: 36 });
    expect(sent().temperature).toBe(0);
    expect((sent().response_format as { type: string }).type).toBe('json_schema');
  });

  it('with no provider that supports JSON schema, the router says so instead of falling back to prose', async () => {
    const router = new Router({ retry, circuitBreaker: false });
    router.addProvider(createMockProvider({ name: 'mock', latencyMs: 0 }));
    const structured = new ChatLlmo({ router }).withStructuredOutput(person, { method: 'jsonSchema' });
    await expect(structured.invoke('Who?')).rejects.toThrow(
      /No provider can take this request.*requiredCapabilities/,
    );
  });
});

describe('withStructuredOutput: includeRaw and failures', () => {
  it('includeRaw returns the raw message and parsed: null with the parsing error when it does not validate', async () => {
    server.reply({ type: 'text', text: '{"name":"Ada"}' });
    const structured = model().withStructuredOutput(person, { method: 'jsonMode', includeRaw: true });
    const result = (await structured.invoke('Who?')) as {
      raw: AIMessageChunk;
      parsed: unknown;
      parsing_error?: unknown;
    };
    expect(result.parsed).toBeNull();
    expect(result.raw.content).toBe('{"name":"Ada"}');
    expect(result.parsing_error).toBeInstanceOf(OutputParserException);
    expect((result.parsing_error as Error).message).toMatch(/age/);
  });

  it('includeRaw with functionCalling: the raw message holds the tool call', async () => {
    server.reply({ type: 'tool-call', name: 'extract', arguments: { name: 'Ada', age: 36 }, id: 'call_1' });
    const structured = model().withStructuredOutput(person, { includeRaw: true });
    const { raw, parsed } = await structured.invoke('Ada');
    expect(parsed).toEqual({ name: 'Ada', age: 36 });
    expect((raw as AIMessageChunk).tool_calls).toEqual([
      { type: 'tool_call', id: 'call_1', name: 'extract', args: { name: 'Ada', age: 36 } },
    ]);
  });

  it('rejects options it cannot honour at once', () => {
    const llm = model();
    expect(() => llm.withStructuredOutput(person, { method: 'xml' })).toThrow(/method "xml"/);
    expect(() => llm.withStructuredOutput(person, { strict: true })).toThrow(/"strict".*jsonSchema/);
    expect(() => llm.withStructuredOutput(person, { method: 'jsonMode', strict: true })).toThrow(/strict/);
  });
});
