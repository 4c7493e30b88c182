import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { FigureSet } from '../lib/figures';
import { repoRoot } from '../lib/processes';
import { round } from '../lib/stats';

const run = promisify(execFile);
const KB = 1000;

interface Bundle {
  gzipBytes: number;
  minifiedBytes: number;
  /** Minified bytes each input contributes, largest first. */
  inputs: [string, number][];
}

/** What a browser app pays: the entry bundled for the browser, minified and gzipped, as size-limit measures it. */
async function bundle(entry: string, external: string[] = []): Promise<Bundle> {
  const result = await build({
    stdin: { contents: entry, resolveDir: join(repoRoot, 'bench'), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external,
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const output = Object.values((result.metafile as Metafile).outputs)[0];
  const inputs = Object.entries(output?.inputs ?? {})
    .map(
      ([path, { bytesInOutput }]) =>
        [path.replace(/^.*node_modules\//, '').replace(/^\.\.\//, ''), bytesInOutput] as [string, number],
    )
    .sort((a, b) => b[1] - a[1]);
  return { gzipBytes: gzipSync(code, { level: 9 }).length, minifiedBytes: code.length, inputs };
}

function largest(inputs: [string, number][]): string {
  return inputs
    .slice(0, 4)
    .map(([path, bytes]) => `${path.replace(/^.*\/packages\//, 'packages/')} ${round(bytes / KB, 1)} kB`)
    .join(', ');
}

/** The project's own budget check (.size-limit.json), so the bench and `size-limit` report the same number. */
async function sizeLimitBytes(): Promise<number | undefined> {
  try {
    const { stdout } = await run(join(repoRoot, 'node_modules/.bin/size-limit'), ['--json'], {
      cwd: repoRoot,
    });
    return (JSON.parse(stdout) as { size: number }[])[0]?.size;
  } catch (error) {
    // size-limit exits 1 when over budget but still prints the JSON.
    const stdout = (error as { stdout?: string }).stdout;
    return stdout ? (JSON.parse(stdout) as { size: number }[])[0]?.size : undefined;
  }
}

export async function bundleSize(): Promise<FigureSet> {
  const figures = new FigureSet('bundle size');
  const client = await bundle("export { createWecomClient } from '@wecom-kit/client';");
  const bySizeLimit = await sizeLimitBytes();
  figures.add({
    name: '@wecom-kit/client browser entry (createWecomClient), min+gzip',
    value: (bySizeLimit ?? client.gzipBytes) / KB,
    digits: 3,
    unit: 'kB',
    target: { op: '<=', value: 12 },
    detail: `${bySizeLimit ?? client.gzipBytes} bytes (${bySizeLimit === undefined ? 'esbuild+gzip' : 'size-limit'}); minified ${round(client.minifiedBytes / KB, 1)} kB; largest inputs: ${largest(client.inputs)}`,
  });
  const hooksEntry = join(repoRoot, 'packages/react-hooks/dist/index.js');
  if (!existsSync(hooksEntry)) {
    figures.unmeasured(
      [
        {
          name: '@wecom-kit/react-hooks beyond React Query, min+gzip',
          unit: 'kB',
          target: { op: '<=', value: 4 },
        },
      ],
      'packages/react-hooks is not built',
    );
    return figures;
  }
  // React, React Query and the client (counted above) are what the hooks build on, not what they add.
  const hooks = await bundle("export * from '@wecom-kit/react-hooks';", [
    'react',
    'react-dom',
    '@tanstack/react-query',
    '@wecom-kit/client',
    '@wecom-kit/core',
  ]);
  figures.add({
    name: '@wecom-kit/react-hooks beyond React Query, min+gzip',
    value: hooks.gzipBytes / KB,
    digits: 3,
    unit: 'kB',
    target: { op: '<=', value: 4 },
    detail: `${hooks.gzipBytes} bytes (esbuild+gzip), react, @tanstack/react-query and the client external; largest inputs: ${largest(hooks.inputs)}`,
  });
  return figures;
}
