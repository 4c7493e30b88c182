import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    node: 'src/node/index.ts',
    redis: 'src/redis/index.ts',
    callbacks: 'src/callbacks/index.ts',
    errcodes: 'src/errcode-catalog.ts',
    internal: 'src/internal.ts',
  },
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'es2022',
  sourcemap: true,
});
