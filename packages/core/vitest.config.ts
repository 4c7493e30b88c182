import { defineConfig } from 'vitest/config';

// The transport tests run twice: once sending through fetch (the browser's way and core's default)
// and once through node:http (the client's default on servers), so every fault is met by both.
const transportTests = ['src/transport*.test.ts', 'src/limit-gate.test.ts', 'src/paginate.test.ts'];

export default defineConfig({
  test: {
    setupFiles: ['src/testing/audit-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      { extends: true, test: { name: 'core', include: ['src/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'node-http', include: transportTests, env: { WECOM_KIT_TEST_SEND: 'node-http' } },
      },
    ],
  },
});
