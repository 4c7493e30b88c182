import { defineConfig } from 'tsup';

export default defineConfig({
  entry: [
    'src/index.ts',
    'src/browser.ts',
    'src/edge.ts',
    'src/proxy.ts',
    'src/drift.ts',
    'src/drift-cli.ts',
  ],
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'es2022',
  sourcemap: true,
});
