import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  // Served by `pnpm start` at /demo/, next to the portal.
  base: '/demo/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
});
