// `pnpm bench`: runs every benchmark, prints the table, writes results.json and the README's table.
// `pnpm bench --only overhead,pagination` runs some groups and only prints them.
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleSize } from './benchmarks/bundle-size';
import { codegenAndTypes } from './benchmarks/codegen-types';
import { overhead } from './benchmarks/overhead';
import { pagination } from './benchmarks/pagination';
import { rateLimit } from './benchmarks/rate-limit';
import { reference } from './benchmarks/reference';
import { sandbox } from './benchmarks/sandbox';
import { specCheck } from './benchmarks/spec-check';
import { telemetry } from './benchmarks/telemetry';
import { tenants } from './benchmarks/tenants';
import { tokenStampede } from './benchmarks/token-stampede';
import { type Figure, FigureSet, markdownTable } from './lib/figures';
import { repoRoot } from './lib/processes';
import { round } from './lib/stats';

const benchmarks: Record<string, () => Promise<FigureSet>> = {
  overhead,
  'token-stampede': tokenStampede,
  pagination,
  'rate-limit': rateLimit,
  'bundle-size': bundleSize,
  'codegen-types': codegenAndTypes,
  sandbox,
  'spec-check': specCheck,
  tenants,
  telemetry,
  reference,
};

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const selected = values.only ? values.only.split(',').map((name) => name.trim()) : Object.keys(benchmarks);
const unknown = selected.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  console.error(
    `Unknown benchmark(s) ${unknown.join(', ')}; choose from ${Object.keys(benchmarks).join(', ')}.`,
  );
  process.exit(2);
}

const cpu = cpus();
const machine =
  `${cpu[0]?.model.trim() ?? 'unknown CPU'} × ${cpu.length}, ${round(totalmem() / 2 ** 30, 0)} GiB, ` +
  `${type()} ${release()}, Node ${process.version}, load average ${loadavg()
    .map((load) => round(load, 1))
    .join(' ')} at start`;
const date = new Date().toISOString();
console.error(`wecom-kit bench on ${machine}`);

const figures: Figure[] = [];
const started = performance.now();
for (const name of selected) {
  const groupStarted = performance.now();
  console.error(`\n▸ ${name} …`);
  try {
    const set = await (benchmarks[name] as () => Promise<FigureSet>)();
    figures.push(...set.figures);
  } catch (error) {
    // A benchmark that breaks is a failed figure in the table, not a missing row.
    const failed = new FigureSet(name);
    failed.add({
      name: `${name} did not finish`,
      value: null,
      unit: '',
      target: { op: '==', value: 0 },
      detail: error instanceof Error ? error.message : String(error),
    });
    figures.push(...failed.figures);
  }
  console.error(`  ${name}: ${round((performance.now() - groupStarted) / 1000, 1)} s`);
}
const minutes = round((performance.now() - started) / 60_000, 1);

const table = markdownTable(figures);
const details = figures
  .filter((figure) => figure.detail)
  .map((figure) => `- ${figure.group} / ${figure.name}: ${figure.detail}`)
  .join('\n');
const failing = figures.filter((figure) => figure.pass === false).length;
console.log(`\n${table}\n\n${details}\n`);
console.log(`${figures.length} figures, ${failing} missing their target; ${minutes} min on ${machine}.`);

if (!values.only) {
  const bench = join(repoRoot, 'bench');
  const results = {
    machine,
    date,
    durationMinutes: minutes,
    figures: figures.map(({ group, name, value, unit, target, pass, detail }) => ({
      name: `${group}: ${name}`,
      value,
      unit,
      target,
      pass,
      ...(detail !== undefined && { detail }),
    })),
  };
  await writeFile(join(bench, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const readmePath = join(bench, 'README.md');
  const readme = await readFile(readmePath, 'utf8');
  const section = `<!-- results:begin -->\nLatest run: ${date.slice(0, 10)}, ${minutes} min, on ${machine}.\n\n${table}\n\n${details}\n<!-- results:end -->`;
  await writeFile(readmePath, readme.replace(/<!-- results:begin -->[\s\S]*<!-- results:end -->/, section));
}
// Undici keeps idle sockets to the stopped servers; nothing else is pending.
process.exit(failing > 0 ? 1 : 0);
