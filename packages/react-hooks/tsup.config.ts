import { defineConfig } from 'tsup';

const common = { format: 'esm', dts: true, target: 'es2022', sourcemap: true } as const;

export default defineConfig([
  // Two bundles, not shared chunks: esbuild would drop a 'use client' directive inside a chunk.
  { ...common, entry: ['src/index.ts'], banner: { js: "'use client';" } },
  { ...common, entry: ['src/server.ts'] },
]);
