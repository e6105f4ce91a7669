import { booleanSetting, settingError, validateProviderSettings } from '@llmo/core/provider';
import * as z from '@llmo/core/zod';
import type { TracerProvider } from '@opentelemetry/api';

export interface RouterTracingOptions {
  /** Where spans go. Default: the global tracer provider (`trace.getTracerProvider()`), set by your SDK. */
  tracerProvider?: TracerProvider;
  /**
   * Record prompts and completions (`gen_ai.input.messages`, `gen_ai.output.messages` on the request span).
   * Default false: they may hold personal data, and the GenAI conventions make them opt-in.
   */
  captureContent?: boolean;
  /**
   * `gen_ai.provider.name` per llmo provider type, over the defaults (the type itself; `gcp.gemini`,
   * `gcp.vertex_ai` and `aws.bedrock` for gemini, vertex and bedrock), e.g. `{ openai: 'azure.ai.openai' }`.
   */
  providerNames?: Record<string, string>;
}

const schema = z.strictObject({
  tracerProvider: z.optional(
    z.custom<TracerProvider>((v) => typeof (v as TracerProvider | null)?.getTracer === 'function', {
      error: settingError('an OpenTelemetry TracerProvider (with getTracer), e.g. your NodeTracerProvider'),
    }),
  ),
  captureContent: z.optional(booleanSetting('record prompts and completions on spans')),
  providerNames: z.optional(
    z.record(z.string(), z.string({ error: settingError('a string (a gen_ai.provider.name value)') }), {
      error: settingError(
        "an object of provider type → gen_ai.provider.name, e.g. { openai: 'azure.ai.openai' }",
      ),
    }),
  ),
} satisfies Record<keyof RouterTracingOptions, z.ZodMiniType>);

export function validateTracingOptions(options: RouterTracingOptions): void {
  validateProviderSettings(options, 'instrumentRouter', schema);
}
