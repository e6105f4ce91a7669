import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/auth.ts', 'src/node.ts'],
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  external: ['@llmo/core', '@llmo/provider-gemini', '@llmo/provider-anthropic'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
});
