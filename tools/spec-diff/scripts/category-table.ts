// Measures how spec:diff handles each category of test/categories.ts on the real spec and prints
// the table: was the change detected at all, and did the most severe kind come out right?
//   tsx tools/spec-diff/scripts/category-table.ts [--implementation <path to a compare.ts>]
// --implementation measures another diffSpecs (e.g. an older checkout) against the same edits.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleSpec } from '../src/bundle';
import type { ChangeKind, OpenApiDocument } from '../src/compare';
import { categories, specsOf, worstKind } from '../test/categories';

type DiffSpecs = (before: OpenApiDocument, after: OpenApiDocument) => { kind: ChangeKind; message: string }[];

const { values } = parseArgs({ options: { implementation: { type: 'string' } } });
const module = (await import(values.implementation ? resolve(values.implementation) : '../src/compare')) as {
  diffSpecs: DiffSpecs;
};
const bundled = await bundleSpec(join(import.meta.dirname, '../../../spec'));

const results = categories.map((category) => {
  const changes = module.diffSpecs(...specsOf(category, bundled));
  const expected = worstKind(category.expected.map((item) => item.kind));
  const reported = worstKind(changes.map((change) => change.kind));
  return { category, expected, reported, detected: changes.length > 0, classified: reported === expected };
});
const mark = (ok: boolean) => (ok ? 'yes' : '**no**');
const rows = [
  '| # | category | from | expected | reported | detected | classified |',
  '|---|---|---|---|---|---|---|',
];
results.forEach(({ category, expected, reported, detected, classified }, index) => {
  rows.push(
    `| ${index + 1} | \`${category.id}\` | ${category.source} | ${expected} | ${reported ?? 'nothing'} | ${mark(detected)} | ${mark(classified)} |`,
  );
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
