import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { OpenApiDocument } from './compare';
import { SpecSource } from './source';

const run = promisify(execFile);

export class SpecDiffError extends Error {
  override name = 'SpecDiffError';
}

/** The same Redocly CLI that `pnpm spec:bundle` runs, so both sides bundle exactly as the build does. */
function redoclyCli(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@redocly/cli/package.json');
  const { bin } = require(manifest) as { bin: Record<string, string> };
  return join(dirname(manifest), bin.redocly as string);
}

/** Bundles `<specDir>/openapi.yaml` with its redocly.yaml into one document, in a temporary file. */
export async function bundleSpec(specDir: string): Promise<OpenApiDocument> {
  const workDir = await mkdtemp(join(tmpdir(), 'spec-diff-bundle-'));
  const output = join(workDir, 'openapi.json');
  try {
    await run(
      process.execPath,
      [redoclyCli(), 'bundle', 'openapi.yaml', '--config', 'redocly.yaml', '-o', output],
      // Redocly would otherwise phone home (telemetry, update check), which fails offline.
      {
        cwd: specDir,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 16 * 1024 * 1024,
      },
    ).catch((error: { stderr?: string }) => {
      throw new SpecDiffError(`redocly bundle failed in ${specDir}:\n${error.stderr ?? String(error)}`);
    });
    return JSON.parse(await readFile(output, 'utf8')) as OpenApiDocument;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** A spec folder bundled, with its source files kept to trace changes back to their lines. */
export interface LoadedSpec {
  document: OpenApiDocument;
  source: SpecSource;
}

export async function loadSpec(specDir: string): Promise<LoadedSpec> {
  const [document, source] = await Promise.all([bundleSpec(specDir), SpecSource.read(specDir)]);
  return { document, source };
}

/**
 * Loads the spec as it is at a git ref. The files come out through `git archive`, which reads
 * the object store only: no checkout, no worktree, nothing in the repository changes.
 */
export async function loadSpecAtRef(repoRoot: string, ref: string, specPath = 'spec'): Promise<LoadedSpec> {
  const commit = await resolveCommit(repoRoot, ref);
  const workDir = await mkdtemp(join(tmpdir(), 'spec-diff-ref-'));
  try {
    const archive = join(workDir, 'spec.tar');
    await run('git', ['archive', '--format=tar', '-o', archive, commit, '--', specPath], {
      cwd: repoRoot,
    }).catch(() => {
      throw new SpecDiffError(`${specPath}/ does not exist at ${ref} (${commit.slice(0, 12)}).`);
    });
    await run('tar', ['-xf', archive, '-C', workDir]);
    return await loadSpec(join(workDir, specPath));
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The commit a ref names, or a SpecDiffError that says how to pass one. */
export async function resolveCommit(repoRoot: string, ref: string): Promise<string> {
  return run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repoRoot })
    .then(({ stdout }) => stdout.trim())
    .catch(() => {
      throw new SpecDiffError(
        `"${ref}" is not a commit in this repository. Pass a branch, tag or commit (e.g. \`pnpm spec:diff origin/main\`); in a shallow CI clone, fetch the base first.`,
      );
    });
}

export async function repositoryRoot(cwd: string): Promise<string> {
  try {
    const { stdout } = await run('git', ['rev-parse', '--show-toplevel'], { cwd });
    return stdout.trim();
  } catch {
    throw new SpecDiffError(`${cwd} is not inside a git repository; spec:diff compares against a git ref.`);
  }
}
