// `pnpm codegen` writes the generated files from spec/dist/openapi.json (run after `spec:bundle`);
// `pnpm codegen --check` fails, listing them, when any committed file differs from what the spec gives.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodegenError } from './errors';
import { generate } from './generate';
import { readPathFiles } from './path-files';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const check = process.argv.includes('--check');

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const bundled = join(repoRoot, 'spec/dist/openapi.json');
  const spec = JSON.parse(await readFile(bundled, 'utf8'));
  const files = await generate(spec, await readPathFiles(repoRoot));
  const stale: string[] = [];
  for (const file of files) {
    const target = join(repoRoot, file.path);
    if ((await readIfExists(target)) === file.content) continue;
    stale.push(file.path);
    if (!check) {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.content);
    }
  }
  if (check && stale.length > 0) {
    console.error(`Generated files are stale; run \`pnpm codegen\` and commit:\n  ${stale.join('\n  ')}`);
    process.exitCode = 1;
    return;
  }
  console.log(
    check
      ? `codegen: ${files.length} generated files are up to date.`
      : `codegen: wrote ${stale.length} of ${files.length} files.`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof CodegenError ? `codegen: ${error.message}` : error);
  process.exitCode = 1;
});
