import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { operations } from '@wecom-kit/client';
import { consumerOperationCount, consumerSource } from '../lib/consumer';
import { FigureSet } from '../lib/figures';
import { repoRoot, runWorker } from '../lib/processes';
import { median, round } from '../lib/stats';
import type { CodegenResult } from '../workers/codegen';

const run = promisify(execFile);
const RUNS = 3;
const OPERATIONS = 50;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

export async function codegenAndTypes(): Promise<FigureSet> {
  const figures = new FigureSet('codegen and types');
  const scratch = await mkdtemp(join(tmpdir(), 'wecom-bench-'));
  try {
    await codegen(scratch, figures);
    await consumerTypes(figures);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return figures;
}

/** `pnpm codegen` without turbo's cache: bundle the split spec, then generate every file (not written). */
async function codegen(scratch: string, figures: FigureSet): Promise<void> {
  const bundled = join(scratch, 'openapi.json');
  const redocly = join(repoRoot, 'node_modules/.bin/redocly');
  const totals: number[] = [];
  const bundles: number[] = [];
  let generated: CodegenResult | undefined;
  for (let attempt = 0; attempt < RUNS; attempt++) {
    const bundle = await timed(() =>
      run(redocly, ['bundle', 'openapi.yaml', '--config', 'redocly.yaml', '-o', bundled], {
        cwd: join(repoRoot, 'spec'),
      }),
    );
    const generate = await timed(() =>
      runWorker<CodegenResult>('codegen.ts', { bundledSpec: bundled }, { timeoutMs: 120_000 }),
    );
    generated = generate.value;
    bundles.push(bundle.ms);
    totals.push(bundle.ms + generate.ms);
  }
  figures.add({
    name: 'codegen wall time, full spec (bundle + generate)',
    value: median(totals) / 1000,
    digits: 2,
    unit: 's',
    target: { op: '<=', value: 15 },
    detail: `median of ${RUNS}; of which redocly bundle ${round(median(bundles) / 1000, 2)} s; ${Object.keys(operations).length} operations, ${generated?.files} files, ${round((generated?.bytes ?? 0) / 1e6, 2)} MB generated`,
  });
}

interface Diagnostics {
  checkSeconds: number;
  totalSeconds: number;
  instantiations: number;
  types: number;
  memoryKb: number;
  errors: number;
}

function diagnosticsOf(output: string): Diagnostics {
  const number = (label: string) =>
    Number(output.match(new RegExp(`${label}:\\s+([\\d.]+)`))?.[1] ?? Number.NaN);
  return {
    checkSeconds: number('Check time'),
    totalSeconds: number('Total time'),
    instantiations: number('Instantiations'),
    types: number('Types'),
    memoryKb: number('Memory used'),
    errors: output.match(/error TS\d+/g)?.length ?? 0,
  };
}

/** tsc --extendedDiagnostics on an application file that calls 50 different operations. */
async function consumerTypes(figures: FigureSet): Promise<void> {
  // Inside bench/ so that @wecom-kit/client resolves as it does for an application.
  const project = join(repoRoot, 'bench/.tmp/consumer');
  await mkdir(project, { recursive: true });
  const source = consumerSource(operations, OPERATIONS);
  await writeFile(join(project, 'consumer.ts'), source);
  await writeFile(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        lib: ['ES2023', 'DOM'],
        types: [],
      },
      files: ['consumer.ts'],
    }),
  );
  const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
  const runs: Diagnostics[] = [];
  for (let attempt = 0; attempt < RUNS; attempt++) {
    const output = await run(process.execPath, [tsc, '-p', project, '--extendedDiagnostics'], {
      cwd: project,
    })
      .then(({ stdout }) => stdout)
      .catch((error: { stdout?: string }) => error.stdout ?? '');
    runs.push(diagnosticsOf(output));
  }
  const last = runs.at(-1) as Diagnostics;
  const errorNote = last.errors > 0 ? `; ${last.errors} type errors in the generated consumer file` : '';
  const calls = consumerOperationCount(source);
  figures.add({
    name: `tsc check time, consumer calling ${calls} operations`,
    value: median(runs.map((diagnostics) => diagnostics.checkSeconds)),
    digits: 2,
    unit: 's',
    target: { op: '<=', value: 2 },
    detail: `median of ${RUNS}; total tsc time ${round(median(runs.map((diagnostics) => diagnostics.totalSeconds)), 2)} s; ${last.types.toLocaleString('en-US')} types; ${round(last.memoryKb / 1024, 0)} MB${errorNote}`,
  });
  figures.add({
    name: `type instantiations, consumer calling ${calls} operations`,
    value: last.instantiations,
    unit: '',
    target: { op: '<=', value: 500_000 },
    ...(errorNote && { detail: errorNote.slice(2) }),
  });
}
