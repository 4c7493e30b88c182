import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/testing/audit-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
