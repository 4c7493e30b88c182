#!/usr/bin/env node
// Committed, unlike dist/, so a workspace install can link the bin before anything is built.
import('../dist/drift-cli.js').catch((error) => {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  console.error('wecom-kit-drift is not built yet: run `pnpm build` first.');
  process.exit(1);
});
