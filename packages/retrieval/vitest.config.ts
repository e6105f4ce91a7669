import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Generous: the search workers run at niceness 10 and yield every core to other busy processes, so on a
  // shared, loaded machine a test that respawns workers can take tens of seconds (seen in CI: 20 s) without
  // hanging. A real hang still fails here.
  test: { include: ['src/**/*.test.ts'], testTimeout: 120_000 },
});
