// `@llmo/core/zod`: the zod/mini functions llmo's packages use (`import * as z from '@llmo/core/zod'`). Core's
// build bundles them, so a process loads one file instead of zod's many modules (import and construct of a
// provider measured ~150 ms before, most of it zod's module loading), and the provider packages share core's
// copy instead of each importing zod; a namespace import keeps edge bundles tree-shaken to the functions used.
// Add a function here before using it elsewhere.

import type * as zod from 'zod/mini';

// Types as aliases, not `export type { … } from 'zod/mini'`: the declaration bundler drops `type` from a
// re-export, which made `z.input`, `z.output`, `z.infer` and `z.core` look like values in the .d.ts (they
// type-checked as values and were undefined at run time).
export type input<T> = zod.input<T>;
export type output<T> = zod.output<T>;
export {
  array,
  boolean,
  custom,
  discriminatedUnion,
  enum,
  extend,
  gte,
  int,
  literal,
  looseObject,
  lte,
  minLength,
  nullable,
  number,
  object,
  optional,
  partial,
  pick,
  pipe,
  positive,
  record,
  refine,
  regex,
  strictObject,
  string,
  transform,
  tuple,
  union,
  unknown,
  ZodMiniType,
} from 'zod/mini';
export type { output as infer };
