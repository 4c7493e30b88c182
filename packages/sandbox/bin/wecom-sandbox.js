#!/usr/bin/env node
// The `wecom-sandbox` bin. It is committed, unlike dist/, so that a workspace install can link the
// bin before anything is built (pnpm warns about a bin whose file is missing).
try {
  await import('../dist/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli.js')) throw error;
  console.error('wecom-sandbox is not built yet: run `pnpm build` (or `pnpm sandbox`, which builds first).');
  process.exit(1);
}
