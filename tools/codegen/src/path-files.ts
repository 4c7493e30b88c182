import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';

/** API path → the spec file of its path item, from the `$ref`s of spec/openapi.yaml's `paths`. */
export async function readPathFiles(repoRoot: string): Promise<Record<string, string>> {
  const root = parse(await readFile(join(repoRoot, 'spec/openapi.yaml'), 'utf8')) as {
    paths: Record<string, { $ref?: string }>;
  };
  return Object.fromEntries(
    Object.entries(root.paths)
      .filter(([, item]) => typeof item.$ref === 'string')
      .map(([path, item]) => [path, `spec/${(item.$ref as string).replace(/^\.\//, '')}`]),
  );
}
