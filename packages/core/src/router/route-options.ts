import { z } from 'zod';
import type { CallSettings } from '../spec/chat-request.js';

export type Capability = 'streaming' | 'tools' | 'jsonSchema';

/** Per-request settings: generation parameters, plus routing hints and limits. */
export interface RouteOptions extends CallSettings {
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Try this provider first (when it is not excluded). */
  preferredProvider?: string;
  /** Never use these providers for this request. */
  excludeProviders?: string[];
  /** Only providers that declare these capabilities. */
  requiredCapabilities?: Capability[];
  /**
   * Skip providers whose estimated cost for this request exceeds this amount. Providers priced in another
   * currency cannot be compared and are skipped too, except free ones.
   */
  maxCost?: { amount: number; currency: string };
  /** Overrides the router's per-attempt timeout for this request. */
  timeoutMs?: number;
  /** Overrides the router's overall deadline for this request. */
  deadlineMs?: number;
  /** Attributed in usage records (overrides the router's). */
  tenantId?: string;
  platformKeyId?: string;
}

const finiteNumber = z.number().finite();

export const routeOptionsSchema = z
  .object({
    temperature: finiteNumber.min(0).optional(),
    topP: finiteNumber.min(0).max(1).optional(),
    maxTokens: z.number().int().positive({ message: 'must be a positive integer' }).optional(),
    stop: z.array(z.string()).optional(),
    seed: z.number().int().optional(),
    responseFormat: z
      .object({ type: z.enum(['text', 'json', 'json-schema']) })
      .loose()
      .optional(),
    tools: z
      .array(z.object({ name: z.string().min(1), parameters: z.record(z.string(), z.unknown()) }).loose())
      .optional(),
    signal: z
      .custom<AbortSignal>((v) => typeof v === 'object' && v !== null && 'aborted' in v, {
        message: 'must be an AbortSignal',
      })
      .optional(),
    headers: z.record(z.string(), z.string()).optional(),
    preferredProvider: z.string().optional(),
    excludeProviders: z.array(z.string()).optional(),
    requiredCapabilities: z.array(z.enum(['streaming', 'tools', 'jsonSchema'])).optional(),
    maxCost: z
      .strictObject({ amount: finiteNumber.min(0), currency: z.string().regex(/^[A-Z]{3}$/) })
      .optional(),
    timeoutMs: finiteNumber.positive().optional(),
    deadlineMs: finiteNumber.positive().optional(),
    tenantId: z.string().optional(),
    platformKeyId: z.string().optional(),
  })
  .loose();
