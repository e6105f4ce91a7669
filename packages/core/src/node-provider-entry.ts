// On Node (the `node` export condition), `@llmo/core/provider`, `/zod`, `/transport` and `/node` all resolve to
// this one module, and `@llmo/core` to the router's; code both use goes to one shared chunk. Node's ESM loader
// pays per module (resolve with realpath, read, compile, link): the split build below made a provider's cold
// start load eleven modules, this one loads two. Edge and browser bundlers take the `default` files instead,
// split per entry so they tree-shake well. The entries' names do not overlap (node-provider-entry.test.ts), so
// a name imported from the subpath its types declare it in is the same binding as on any other runtime.
export * from './node.js';
export * from './provider.js';
export * from './transport-node.js';
export * from './zod.js';
