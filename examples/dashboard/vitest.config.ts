import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A real browser against the whole stack: generous, but bounded.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
