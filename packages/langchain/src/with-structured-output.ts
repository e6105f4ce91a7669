import type {
  BaseLanguageModelInput,
  StructuredOutputMethodOptions,
} from '@langchain/core/language_models/base';
import { type AIMessageChunk, type BaseMessage, isAIMessage } from '@langchain/core/messages';
import {
  JsonOutputParser,
  OutputParserException,
  StructuredOutputParser,
} from '@langchain/core/output_parsers';
import { JsonOutputKeyToolsParser } from '@langchain/core/output_parsers/openai_tools';
import type { ChatGeneration } from '@langchain/core/outputs';
import { type Runnable, RunnableLambda, RunnableSequence } from '@langchain/core/runnables';
import { toJsonSchema } from '@langchain/core/utils/json_schema';
import { type InteropZodType, isInteropZodSchema } from '@langchain/core/utils/types';
import type { JsonSchema, ResponseFormat } from '@llmo/core';
import { LlmoError } from '@llmo/core';
import type { ChatLlmoCallOptions } from './chat-llmo.js';

/** The model the structured-output runnables are bound to (only `withConfig` is needed). */
interface ConfigurableModel {
  withConfig(
    config: Partial<ChatLlmoCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, ChatLlmoCallOptions>;
}

type Parser = Runnable<BaseMessage, unknown>;

/** A Standard Schema (valibot, arktype…) that can validate; zod schemas are one too but take zod's path. */
interface StandardSchema {
  '~standard': {
    validate(value: unknown): StandardResult | Promise<StandardResult>;
  };
}
type StandardResult = { value: unknown; issues?: undefined } | { issues: readonly unknown[] };

function isStandardSchema(schema: unknown): schema is StandardSchema {
  const standard = (schema as { '~standard'?: { validate?: unknown } } | null)?.['~standard'];
  return typeof standard?.validate === 'function';
}

const METHODS = ['functionCalling', 'jsonMode', 'jsonSchema'] as const;
type Method = (typeof METHODS)[number];
const isMethod = (method: string): method is Method => (METHODS as readonly string[]).includes(method);

/**
 * `ChatLlmo.withStructuredOutput`, the way LangChain's own chat models (`ChatOpenAI`) do it, over the router:
 *
 * - `functionCalling` (default): one tool from the schema, forced with `tool_choice` (the router's
 *   `toolChoice: { type: 'tool', name }`), so the model cannot answer in prose; the tool call's arguments
 *   are the result.
 * - `jsonMode`: `responseFormat: { type: 'json' }`; the text is parsed as JSON (and validated by a zod schema).
 * - `jsonSchema`: `responseFormat: { type: 'json-schema', schema, name, strict }`, and only providers that
 *   declare JSON-schema support are routed to; the text is parsed and validated.
 *
 * Zod (v3 and v4) schemas are validated; a Standard Schema is validated with its own `validate`; a plain
 * JSON schema is not. A result that does not parse or validate throws LangChain's `OutputParserException`;
 * with `includeRaw: true` the runnable returns `{ raw, parsed: null, parsing_error }` instead (LangChain.js
 * returns `parsed: null`; the error is kept as LangChain's Python does).
 */
export function withStructuredOutput(
  model: ConfigurableModel,
  schema: unknown,
  config: StructuredOutputMethodOptions<boolean> = {},
): Runnable<BaseLanguageModelInput, unknown> {
  const method = config.method ?? 'functionCalling';
  if (!isMethod(method)) {
    throw invalid(`method "${method}" is not supported; use ${METHODS.map((m) => `"${m}"`).join(', ')}`);
  }
  if (schema === null || typeof schema !== 'object') {
    throw invalid('pass a zod schema, a Standard Schema or a JSON schema object');
  }
  if (config.strict !== undefined && method !== 'jsonSchema') {
    // The router's tool definitions carry no strict flag, and JSON mode has no schema to be strict about.
    throw invalid(`"strict" applies to method "jsonSchema" only (the provider enforces the schema)`);
  }
  const { llm, parser } =
    method === 'functionCalling'
      ? functionCalling(model, schema, config.name)
      : responseFormat(model, schema, method, config);
  if (!config.includeRaw) return llm.pipe(parser).withConfig({ runName: 'StructuredOutput' });
  return RunnableSequence.from<BaseLanguageModelInput, unknown>([
    { raw: llm },
    RunnableLambda.from(async ({ raw }: { raw: BaseMessage }, options) => {
      try {
        return { raw, parsed: await parser.invoke(raw, options) };
      } catch (error) {
        return { raw, parsed: null, parsing_error: error };
      }
    }),
  ]).withConfig({ runName: 'StructuredOutputRunnable' });
}

function functionCalling(model: ConfigurableModel, schema: object, name: string | undefined) {
  let functionName = name ?? 'extract';
  let fn: { name: string; description?: string; parameters: JsonSchema };
  const record = schema as Record<string, unknown>;
  if (isInteropZodSchema(schema) || isStandardSchema(schema)) {
    const parameters = toJsonSchema(schema as InteropZodType) as JsonSchema;
    fn = { name: functionName, ...describe(parameters), parameters };
  } else if (typeof record.name === 'string' && isObject(record.parameters)) {
    // An OpenAI-style function definition: { name, description, parameters }.
    functionName = name ?? record.name;
    fn = { name: functionName, ...describe(record), parameters: record.parameters };
  } else {
    functionName = name ?? (typeof record.title === 'string' ? record.title : functionName);
    fn = { name: functionName, ...describe(record), parameters: record };
  }
  const llm = model.withConfig({
    tools: [{ type: 'function', function: fn }],
    tool_choice: functionName,
    ls_structured_output_format: {
      kwargs: { method: 'function_calling' },
      schema: { title: functionName, ...fn.parameters },
    },
  });
  return { llm, parser: new ToolCallOutputParser(functionName, schema) as Parser };
}

function responseFormat(
  model: ConfigurableModel,
  schema: object,
  method: 'jsonMode' | 'jsonSchema',
  config: StructuredOutputMethodOptions<boolean>,
) {
  const jsonSchema = toJsonSchema(schema as InteropZodType) as JsonSchema;
  const name = config.name ?? (typeof jsonSchema.title === 'string' ? jsonSchema.title : 'extract');
  const format: ResponseFormat =
    method === 'jsonMode'
      ? { type: 'json' }
      : {
          type: 'json-schema',
          schema: jsonSchema,
          name,
          ...describe(jsonSchema),
          ...(config.strict !== undefined ? { strict: config.strict } : {}),
        };
  const llm = model.withConfig({
    responseFormat: format,
    ls_structured_output_format: {
      kwargs: { method: method === 'jsonMode' ? 'json_mode' : 'json_schema' },
      schema: { title: name, ...jsonSchema },
    },
  });
  return { llm, parser: contentParser(schema) };
}

/** The parsers LangChain's own models use for JSON text: zod-validated, or plain JSON. */
function contentParser(schema: object): Parser {
  if (isInteropZodSchema(schema)) return StructuredOutputParser.fromZodSchema(schema) as Parser;
  const json = new JsonOutputParser();
  if (!isStandardSchema(schema)) return json as Parser;
  return json.pipe(RunnableLambda.from((value: unknown) => validateStandard(schema, value)));
}

async function validateStandard(schema: StandardSchema, value: unknown): Promise<unknown> {
  const result = await schema['~standard'].validate(value);
  if (result.issues) {
    const text = JSON.stringify(value, null, 2);
    throw new OutputParserException(
      `Failed to parse. Text: "${text}". Error: ${JSON.stringify(result.issues)}`,
      text,
    );
  }
  return result.value;
}

/**
 * LangChain's tool-call parser (it streams partial arguments and validates zod schemas), except that a reply
 * without the call is an `OutputParserException` rather than `undefined`: a provider that ignored the forced
 * tool choice, or arguments that are not JSON, must not pass for a result.
 */
class ToolCallOutputParser extends JsonOutputKeyToolsParser<Record<string, unknown>> {
  private readonly standard: StandardSchema | undefined;

  constructor(keyName: string, schema: object) {
    const zod = isInteropZodSchema(schema);
    super({
      keyName,
      returnSingle: true,
      ...(zod ? { zodSchema: schema as InteropZodType<Record<string, unknown>> } : {}),
    });
    this.standard = !zod && isStandardSchema(schema) ? schema : undefined;
  }

  override async parseResult(generations: ChatGeneration[]): Promise<unknown> {
    const parsed: unknown = await super.parseResult(generations);
    if (parsed !== undefined) return this.standard ? validateStandard(this.standard, parsed) : parsed;
    const message = generations[0]?.message;
    const text = message?.text ?? '';
    const invalid = message && isAIMessage(message) ? message.invalid_tool_calls : undefined;
    const bad = invalid?.find((call) => call.name === this.keyName);
    throw new OutputParserException(
      bad
        ? `The model called "${this.keyName}" with arguments that are not a JSON object: ${bad.args}`
        : `The model did not call "${this.keyName}"${text ? `; it answered: ${text}` : ''}`,
      bad?.args ?? text,
    );
  }
}

function describe(schema: Record<string, unknown>): { description?: string } {
  return typeof schema.description === 'string' ? { description: schema.description } : {};
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): LlmoError {
  return new LlmoError({ name: 'InvalidStructuredOutputError', message: `withStructuredOutput: ${message}` });
}
