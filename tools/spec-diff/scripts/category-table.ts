// Measures how spec:diff handles each category of test/categories.ts on the real spec and prints
// the table: was the change detected at all, and did the most severe kind come out right?
//   tsx tools/spec-diff/scripts/category-table.ts [--implementation <path to a compare.ts>] [--tsc]
// --implementation measures another diffSpecs (e.g. an older checkout) against the same edits.
// --tsc adds the ground truth: the packages regenerated from each edited spec, and whether the fixed
// consumer (consumer/consumer.ts) still compiles. It rewrites packages/*/src/generated/ while it runs
// and restores them afterwards; expect minutes.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { generate } from '../../codegen/src/generate';
import type { BundledSpec } from '../../codegen/src/operations';
import { readPathFiles } from '../../codegen/src/path-files';
import { bundleSpec } from '../src/bundle';
import type { ChangeKind, OpenApiDocument } from '../src/compare';
import { categories, specsOf, worstKind } from '../test/categories';

type DiffSpecs = (before: OpenApiDocument, after: OpenApiDocument) => { kind: ChangeKind; message: string }[];

const { values } = parseArgs({ options: { implementation: { type: 'string' }, tsc: { type: 'boolean' } } });
const repoRoot = join(import.meta.dirname, '../../..');

/** Regenerates the packages from `spec` and type-checks the consumer against them. */
async function consumerCompiles(spec: OpenApiDocument): Promise<'compiles' | 'breaks' | 'codegen refuses'> {
  let files: Awaited<ReturnType<typeof generate>>;
  try {
    files = await generate(spec as unknown as BundledSpec, await readPathFiles(repoRoot));
  } catch {
    return 'codegen refuses';
  }
  const originals = await Promise.all(files.map((file) => readFile(join(repoRoot, file.path), 'utf8')));
  try {
    await Promise.all(files.map((file) => writeFile(join(repoRoot, file.path), file.content)));
    const tsc = join(repoRoot, 'node_modules/.bin/tsc');
    const buildInfo = join(tmpdir(), 'spec-diff-consumer.tsbuildinfo');
    const args = [
      '-p',
      join(import.meta.dirname, '../consumer'),
      '--incremental',
      '--tsBuildInfoFile',
      buildInfo,
    ];
    return await promisify(execFile)(tsc, args).then(
      () => 'compiles' as const,
      () => 'breaks' as const,
    );
  } finally {
    await Promise.all(
      files.map((file, index) => writeFile(join(repoRoot, file.path), originals[index] as string)),
    );
  }
}
const module = (await import(values.implementation ? resolve(values.implementation) : '../src/compare')) as {
  diffSpecs: DiffSpecs;
};
const bundled = await bundleSpec(join(import.meta.dirname, '../../../spec'));

const results = [];
for (const category of categories) {
  const [before, after] = specsOf(category, bundled);
  const changes = module.diffSpecs(before, after);
  const expected = worstKind(category.expected.map((item) => item.kind));
  const reported = worstKind(changes.map((change) => change.kind));
  const consumer = values.tsc ? await consumerCompiles(after) : undefined;
  if (consumer) process.stderr.write(`${category.id}: ${consumer}\n`);
  results.push({
    category,
    expected,
    reported,
    consumer,
    detected: changes.length > 0,
    classified: reported === expected,
  });
}
const mark = (ok: boolean) => (ok ? 'yes' : '**no**');
const tscColumn = values.tsc ? ' consumer tsc |' : '';
const rows = [
  `| # | category | from | expected | reported | detected | classified |${tscColumn}`,
  `|---|---|---|---|---|---|---|${values.tsc ? '---|' : ''}`,
];
results.forEach(({ category, expected, reported, consumer, detected, classified }, index) => {
  const cells = [
    index + 1,
    `\`${category.id}\``,
    category.source,
    expected,
    reported ?? 'nothing',
    mark(detected),
    mark(classified),
  ];
  if (consumer) cells.push(consumer);
  rows.push(`| ${cells.join(' | ')} |`);
});
rows.push('');
for (const source of ['oasdiff', 'wecom'] as const) {
  const mine = results.filter((result) => result.category.source === source);
  const count = (key: 'detected' | 'classified') => mine.filter((result) => result[key]).length;
  rows.push(
    `${source}: ${count('detected')}/${mine.length} detected, ${count('classified')}/${mine.length} classified`,
  );
}
console.log(rows.join('\n'));
