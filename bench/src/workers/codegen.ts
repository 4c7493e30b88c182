// Generates every file from a bundled spec the way `pnpm codegen` does, without writing them.
import { readFile } from 'node:fs/promises';
import { repoRoot, reportResult, workerInput } from '../lib/processes';

interface Input {
  bundledSpec: string;
}

export interface CodegenResult {
  files: number;
  bytes: number;
}

type Generate = (spec: unknown) => Promise<{ path: string; content: string }[]>;

const { bundledSpec } = workerInput<Input>();
// Loaded by path: the codegen tool is not a library, and its internals are not the bench's types.
const generatorUrl = new URL('tools/codegen/src/generate.ts', `file://${repoRoot}`).href;
const { generate } = (await import(generatorUrl)) as { generate: Generate };
const files = await generate(JSON.parse(await readFile(bundledSpec, 'utf8')));
const result: CodegenResult = {
  files: files.length,
  bytes: files.reduce((sum, file) => sum + file.content.length, 0),
};
reportResult(result);
