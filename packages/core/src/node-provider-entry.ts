// The Node build's one module for the provider-side subpaths (the `node` export condition): `@llmo/core/provider`,
// `/zod`, `/transport` and `/node` each resolve to a generated facade in dist/node/ that re-exports its own names
// from this module (scripts/write-node-facades.mjs), and `@llmo/core` to the router's module; code both use
// goes to one shared chunk. Node's ESM loader pays per module (resolve with realpath, read, compile, link): the
// per-entry files and the chunks split between them made a provider's cold start load eleven modules, large
// and small; this loads three large ones and a facade per subpath. Edge and browser bundlers take the
// `default` files instead, split per entry so they tree-shake well. The entries' names do not overlap
// (node-provider-entry.test.ts), so each name is one binding whichever subpath it comes from.
export * from './node.js';
export * from './provider.js';
export * from './transport-node.js';
export * from './zod.js';
// `/provider` declares the type under this name, `/zod` the zod/mini value (and type): the value is the runtime one.
export { ZodMiniType } from './zod.js';
