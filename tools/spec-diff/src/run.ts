import { join } from 'node:path';
import { type LoadedSpec, loadSpec, loadSpecAtRef, repositoryRoot, resolveCommit } from './bundle';
import { type ChangesetGate, findAddedChangesets, gateOn } from './changesets';
import { diffSpecs, type SpecChange } from './compare';
import { formatChangelog, operationTitle } from './report';

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
  /** Changesets this change adds that declare a major bump. */
  majorChangesets: string[];
  gate: ChangesetGate;
}

/**
 * `pnpm spec:diff [base]`: the changelog between the spec at `base` and the working tree. Fails
 * on a breaking change unless a changeset that this change adds (one the base does not have)
 * declares a major bump of every package the break reaches.
 */
export async function runSpecDiff(options: SpecDiffOptions): Promise<SpecDiffResult> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const base = options.base ?? 'main';
  const root = await repositoryRoot(options.cwd);
  const baseCommit = await resolveCommit(root, base);
  const [before, after] = await Promise.all([loadSpecAtRef(root, baseCommit), loadSpec(join(root, 'spec'))]);
  const changes = diffSpecs(before.document, after.document).map((change) =>
    withSource(change, before, after),
  );
  const breaking = changes.filter((change) => change.kind === 'breaking');
  const gate = gateOn(
    breaking.flatMap((change) => change.packages ?? []),
    await findAddedChangesets(root, baseCommit),
  );
  const exitCode = gate.missing.length > 0 ? 1 : 0;
  const result = { exitCode, changes, majorChangesets: gate.majorChangesets, gate };

  if (options.json) {
    write(`${JSON.stringify({ base, changes, majorChangesets: gate.majorChangesets, gate }, null, 2)}\n`);
    return result;
  }
  write(formatChangelog(changes, { base, head: 'the working tree' }));
  write(formatGate(gate, breaking));
  return result;
}

/** Points a change at its line in spec/: in the working tree, or at the base when it is gone there. */
function withSource(change: SpecChange, before: LoadedSpec, after: LoadedSpec): SpecChange {
  const path = change.pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
  const head = after.source.locate(path);
  const old = before.source.locate(path);
  const useBase = old !== undefined && (head === undefined || old.depth > head.depth);
  const found = useBase ? old : head;
  if (!found) return change;
  return {
    ...change,
    source: { side: useBase ? 'base' : 'head', file: `spec/${found.source.file}`, line: found.source.line },
  };
}

export function formatGate(gate: ChangesetGate, breaking: SpecChange[]): string {
  if (gate.required.length === 0) return '';
  const list = (packages: string[]) => packages.join(', ');
  if (gate.missing.length === 0) {
    return `\nThe breaking changes are declared by a major bump of ${list(gate.required)} in .changeset/${gate.majorChangesets.join(', .changeset/')}.\n`;
  }
  const lines = [
    '',
    `${breaking.length} breaking change${breaking.length === 1 ? '' : 's'} need${breaking.length === 1 ? 's' : ''} a major bump of ${list(gate.required)}; no changeset added by this change declares one for ${list(gate.missing)}.`,
    'What breaks at runtime for users who upgrade:',
  ];
  for (const change of breaking.filter((item) => item.packages?.some((pkg) => gate.missing.includes(pkg)))) {
    const where = change.operation ? operationTitle(change).split('  ')[0] : 'spec';
    lines.push(`  - ${where}: ${change.message} → ${change.impact ?? 'see above'}`);
  }
  lines.push(
    'Changesets already pending at the base do not count: each change declares its own breaks.',
    `If the break is intended, run \`pnpm changeset\`, choose major for ${list(gate.missing)} and tell users how to migrate;`,
    'otherwise keep the spec compatible (add instead of rename, widen instead of narrow).',
  );
  return `${lines.join('\n')}\n`;
}
