// `pnpm docs:build`: the portal as static files in docs/dist/ (see buildPortal).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPortal } from './portal';

const docsDir = join(dirname(fileURLToPath(import.meta.url)), '..');

buildPortal({ outDir: join(docsDir, 'dist') })
  .then(({ files }) => console.log(`docs: wrote ${files.length} files to docs/dist/`))
  .catch((error: unknown) => {
    console.error(`docs: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
