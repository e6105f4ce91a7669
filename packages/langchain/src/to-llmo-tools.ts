import type { BindToolsInput, ToolChoice } from '@langchain/core/language_models/chat_models';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import type { ToolChoice as LlmoToolChoice, ToolDefinition } from '@llmo/core';
import { LlmoError } from '@llmo/core';

/** LangChain tools (tool objects, zod-schema tools, OpenAI-format definitions) → the router's tool definitions. */
export function toLlmoTools(tools: BindToolsInput[]): ToolDefinition[] {
  return tools.map((tool) => {
    const { function: fn } = convertToOpenAITool(tool);
    return {
      name: fn.name,
      ...(fn.description ? { description: fn.description } : {}),
      parameters: (fn.parameters as Record<string, unknown> | undefined) ?? {
        type: 'object',
        properties: {},
      },
    };
  });
}

/** LangChain's `tool_choice` ("auto", "any", "none", a tool name, or OpenAI's object) → the router's. */
export function toLlmoToolChoice(choice: ToolChoice | undefined): LlmoToolChoice | undefined {
  if (choice === undefined) return undefined;
  if (choice === 'auto' || choice === 'none') return choice;
  if (choice === 'any' || choice === 'required') return 'required';
  if (typeof choice === 'string') return { type: 'tool', name: choice };
  const name = (choice as { function?: { name?: unknown }; name?: unknown }).function?.name ?? choice.name;
  if (typeof name === 'string') return { type: 'tool', name };
  throw new LlmoError({
    name: 'InvalidToolChoiceError',
    message: `tool_choice ${JSON.stringify(choice)} is not understood; use "auto", "any", "none" or a tool name`,
  });
}
