// `pnpm codegen` writes the generated files from spec/dist/openapi.json (run after `spec:bundle`);
// `pnpm codegen --check` fails, listing them, when any committed file differs from what the spec gives.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { CodegenError } from './errors';
import { generate } from './generate';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const check = process.argv.includes('--check');

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** API path → the spec file of its path item, from the `$ref`s of spec/openapi.yaml's `paths`. */
async function readPathFiles(): Promise<Record<string, string>> {
  const root = parse(await readFile(join(repoRoot, 'spec/openapi.yaml'), 'utf8')) as {
    paths: Record<string, { $ref?: string }>;
  };
  return Object.fromEntries(
    Object.entries(root.paths)
      .filter(([, item]) => typeof item.$ref === 'string')
      .map(([path, item]) => [path, `spec/${(item.$ref as string).replace(/^\.\//, '')}`]),
  );
}

async function main(): Promise<void> {
  const bundled = join(repoRoot, 'spec/dist/openapi.json');
  const spec = JSON.parse(await readFile(bundled, 'utf8'));
  const files = await generate(spec, await readPathFiles());
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
