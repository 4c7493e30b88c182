import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const run = promisify(execFile);

export interface AddedChangeset {
  /** File name under .changeset/. */
  name: string;
  /** Package name → bump (`major`, `minor`, `patch`). */
  bumps: Record<string, string>;
}

/**
 * The changesets this change adds: `.changeset/*.md` files of the working tree that the base
 * commit does not have. A changeset merged earlier and still waiting for the release PR is at
 * the base, so it cannot vouch for a later change's breaks.
 */
export async function findAddedChangesets(repoRoot: string, baseCommit: string): Promise<AddedChangeset[]> {
  const dir = join(repoRoot, '.changeset');
  let names: string[];
  try {
    names = (await readdir(dir)).filter((file) => file.endsWith('.md') && file !== 'README.md').sort();
  } catch {
    return [];
  }
  const { stdout } = await run('git', ['ls-tree', '--name-only', baseCommit, '.changeset/'], {
    cwd: repoRoot,
  });
  const atBase = new Set(stdout.split('\n').map((path) => path.replace(/^\.changeset\//, '')));
  const added: AddedChangeset[] = [];
  for (const name of names.filter((file) => !atBase.has(file))) {
    added.push({ name, bumps: frontMatterOf(await readFile(join(dir, name), 'utf8')) });
  }
  return added;
}

export interface ChangesetGate {
  /** Every package a breaking change needs a major bump of. */
  required: string[];
  /** Of those, the ones no added changeset bumps by a major. */
  missing: string[];
  /** Added changesets with at least one major bump. */
  majorChangesets: string[];
}

export function gateOn(requiredPackages: Iterable<string>, added: AddedChangeset[]): ChangesetGate {
  const required = [...new Set(requiredPackages)].sort();
  const declared = (pkg: string) => added.some((changeset) => changeset.bumps[pkg] === 'major');
  return {
    required,
    missing: required.filter((pkg) => !declared(pkg)),
    majorChangesets: added
      .filter((changeset) => Object.values(changeset.bumps).includes('major'))
      .map((changeset) => changeset.name),
  };
}

function frontMatterOf(text: string): Record<string, string> {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  if (!match) return {};
  try {
    const value = parse(match[1] ?? '');
    return typeof value === 'object' && value !== null ? (value as Record<string, string>) : {};
  } catch {
    return {};
  }
}
