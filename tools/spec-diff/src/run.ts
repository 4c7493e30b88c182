import { join } from 'node:path';
import { bundleSpec, bundleSpecAtRef, repositoryRoot } from './bundle';
import { CLIENT_PACKAGE, findMajorChangesets } from './changesets';
import { diffSpecs, type SpecChange } from './compare';
import { countByKind, formatChangelog } from './report';

export interface SpecDiffOptions {
  /** Any folder inside the repository. */
  cwd: string;
  /** A git ref. Default `main`. */
  base?: string;
  /** Print the changes as JSON instead of the changelog. */
  json?: boolean;
  write?: (text: string) => void;
}

export interface SpecDiffResult {
  exitCode: number;
  changes: SpecChange[];
  /** Pending changesets that declare the major bump breaking changes need. */
  majorChangesets: string[];
}

/**
 * `pnpm spec:diff [base]`: the changelog between the spec at `base` and the working tree. Fails
 * on a breaking change unless a pending changeset already declares a major bump of the client,
 * which is how a reviewer sees that the break is intended.
 */
export async function runSpecDiff(options: SpecDiffOptions): Promise<SpecDiffResult> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const base = options.base ?? 'main';
  const root = await repositoryRoot(options.cwd);
  const [before, after] = await Promise.all([bundleSpecAtRef(root, base), bundleSpec(join(root, 'spec'))]);
  const changes = diffSpecs(before, after);
  const majorChangesets = await findMajorChangesets(join(root, '.changeset'));
  const breaking = countByKind(changes).breaking;
  const exitCode = breaking > 0 && majorChangesets.length === 0 ? 1 : 0;

  if (options.json) {
    write(`${JSON.stringify({ base, changes, majorChangesets }, null, 2)}\n`);
    return { exitCode, changes, majorChangesets };
  }
  write(formatChangelog(changes, { base, head: 'the working tree' }));
  if (breaking > 0 && exitCode === 0) {
    write(
      `\nThe breaking changes are declared by a major bump of ${CLIENT_PACKAGE} in .changeset/${majorChangesets.join(', .changeset/')}.\n`,
    );
  } else if (exitCode !== 0) {
    write(
      `\n${breaking} breaking change${breaking === 1 ? '' : 's'} and no pending changeset with a major bump of ${CLIENT_PACKAGE}.\n` +
        `If the break is intended, run \`pnpm changeset\`, choose ${CLIENT_PACKAGE} → major and tell users how to migrate;\n` +
        'otherwise keep the spec compatible (add instead of rename, widen instead of narrow).\n',
    );
  }
  return { exitCode, changes, majorChangesets };
}
