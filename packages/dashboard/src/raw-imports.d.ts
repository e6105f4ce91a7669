// `import text from './file?raw'`: the file's contents as a string, embedded at build time (tsup.config.ts has
// the plugin; vitest reads the same suffix natively).
declare module '*?raw' {
  const contents: string;
  export default contents;
}
