/**
 * The spec's history as the changelog page shows it, from `pnpm spec:diff --json` between
 * released versions. A release is a `@wecom-kit/client@<version>` git tag: `changeset publish`
 * (the release workflow) creates it, and the client's major version follows the spec's breaking
 * changes. What is not tagged yet is "Unreleased", compared with the last release; before the
 * first release there is nothing to compare with, and the page lists the pending changesets.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const RELEASE_TAG_PREFIX = '@wecom-kit/client@';
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?$/;

export type ChangeKind = 'breaking' | 'non-breaking' | 'documentation';

/** The part of spec:diff's `--json` output the page reads. */
export interface SpecChange {
  kind: ChangeKind;
  operation?: { operationId: string; method: string; path: string };
  message: string;
}

export interface ChangelogSection {
  /** A released version, or "Unreleased". */
  version: string;
  /** The version it is compared with; absent for the first release. */
  since?: string;
  changes: SpecChange[];
}

export interface Changelog {
  /** Newest first; the first release last. */
  sections: ChangelogSection[];
  /** Pending `.changeset/*.md` files: what the next release will say. */
  pending: { file: string; summary: string }[];
}

interface Release {
  /** e.g. 0.2.0 */
  version: string;
  tag: string;
  commit: string;
}

function compareVersions(a: string, b: string): number {
  const parts = (version: string) => version.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  const [left, right] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

async function readReleases(repoRoot: string): Promise<Release[]> {
  const { stdout } = await run(
    'git',
    ['tag', '--list', `${RELEASE_TAG_PREFIX}*`, '--format=%(refname:strip=2) %(*objectname)%(objectname)'],
    { cwd: repoRoot },
  ).catch((cause: unknown) => {
    throw new Error(
      `the changelog reads the release tags with git, which failed in ${repoRoot}; build the portal from a git clone (in CI, with the full history: fetch-depth 0).`,
      { cause },
    );
  });
  return (
    stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [tag = '', object = ''] = line.split(' ');
        // Annotated tags print the commit, then the tag object: the commit is the first 40 digits.
        return { tag, version: tag.slice(RELEASE_TAG_PREFIX.length), commit: object.slice(0, 40) };
      })
      // Versions end up in the pages' HTML and anchors: only what changesets writes counts.
      .filter((release) => SEMVER.test(release.version))
      .sort((a, b) => compareVersions(a.version, b.version))
  );
}

/** `pnpm spec:diff <base> --json`, run in `cwd` (whose working tree is the newer side). */
async function specDiff(toolRoot: string, cwd: string, base: string): Promise<SpecChange[]> {
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  const cli = join(toolRoot, 'tools/spec-diff/src/cli.ts');
  const output = await run(process.execPath, [tsx, cli, base, '--json'], { cwd, maxBuffer: 64 * 1024 * 1024 })
    // Exit 1 means "breaking changes without a major changeset": the JSON is still complete.
    .catch((error: { code?: number; stdout?: string; stderr?: string }) => {
      if (error.code === 1 && error.stdout) return { stdout: error.stdout };
      throw new Error(
        `spec:diff ${base} --json failed in ${cwd}: ${(error.stderr ?? String(error)).slice(-2000)}`,
      );
    });
  return (JSON.parse(output.stdout) as { changes: SpecChange[] }).changes;
}

/**
 * The changes from `from` to `to`, run in a throwaway shared clone whose working tree holds the
 * spec as tagged. Both tags are immutable, so the answer is cached under `cacheDir`.
 */
async function diffReleases(options: ChangelogOptions, from: Release, to: Release) {
  const { historyRoot, toolRoot, cacheDir } = options;
  const cached = join(cacheDir, `${from.commit}-${to.commit}-${await toolVersion(toolRoot)}.json`);
  try {
    return JSON.parse(await readFile(cached, 'utf8')) as SpecChange[];
  } catch {
    // Not cached yet.
  }
  const clone = await mkdtemp(join(tmpdir(), 'portal-changelog-'));
  try {
    await run('git', ['clone', '--quiet', '--shared', '--no-checkout', historyRoot, clone]);
    await run('git', ['checkout', '--quiet', to.tag, '--', 'spec'], { cwd: clone });
    const changes = await specDiff(toolRoot, clone, from.tag);
    await mkdir(cacheDir, { recursive: true });
    await writeFile(cached, JSON.stringify(changes));
    return changes;
  } finally {
    await rm(clone, { recursive: true, force: true });
  }
}

/**
 * A digest of spec:diff's own sources: the tags are immutable but the tool is not, and a diff
 * cached by an older spec:diff must not outlive it.
 */
async function toolVersion(toolRoot: string): Promise<string> {
  const dir = join(toolRoot, 'tools/spec-diff/src');
  const files = (await readdir(dir)).filter((file) => file.endsWith('.ts')).sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update(await readFile(join(dir, file)));
  return hash.digest('hex').slice(0, 12);
}

async function pendingChangesets(repoRoot: string): Promise<Changelog['pending']> {
  const dir = join(repoRoot, '.changeset');
  const files = (await readdir(dir).catch(() => [])).filter(
    (file) => file.endsWith('.md') && file !== 'README.md',
  );
  return Promise.all(
    files.sort().map(async (file) => {
      const text = await readFile(join(dir, file), 'utf8');
      return { file, summary: text.replace(/^---[\s\S]*?---\s*/, '').trim() };
    }),
  );
}

export interface ChangelogOptions {
  /** The repository whose tags and working tree are compared. */
  historyRoot: string;
  /** The repository whose tools/spec-diff runs (with its node_modules). */
  toolRoot: string;
  /** Where diffs between two releases are kept, keyed by their commits and spec:diff's sources. */
  cacheDir: string;
}

export async function collectChangelog(options: ChangelogOptions): Promise<Changelog> {
  const { historyRoot, toolRoot } = options;
  const releases = await readReleases(historyRoot);
  const pending = await pendingChangesets(historyRoot);
  const last = releases.at(-1);
  if (!last) return { sections: [], pending };
  const sections: ChangelogSection[] = [
    { version: 'Unreleased', since: last.version, changes: await specDiff(toolRoot, historyRoot, last.tag) },
  ];
  for (let i = releases.length - 1; i > 0; i -= 1) {
    const [from, to] = [releases[i - 1] as Release, releases[i] as Release];
    sections.push({
      version: to.version,
      since: from.version,
      changes: await diffReleases(options, from, to),
    });
  }
  sections.push({ version: (releases[0] as Release).version, changes: [] });
  return { sections, pending };
}

/** Per operationId: the release it first appeared in and the releases that changed it. */
export function operationHistory(
  changelog: Changelog,
  operationIds: string[],
): Map<string, { addedIn?: string; changedIn: string[] }> {
  const history = new Map(operationIds.map((id) => [id, { changedIn: [] as string[] }] as const));
  const released = changelog.sections.filter((section) => section.version !== 'Unreleased');
  const first = released.at(-1);
  const added = new Map<string, string>();
  for (const section of changelog.sections) {
    for (const change of section.changes) {
      const id = change.operation?.operationId;
      const entry = id ? history.get(id) : undefined;
      if (!id || !entry) continue;
      if (/^(operation|webhook) added$/.test(change.message)) added.set(id, section.version);
      else if (section.version !== 'Unreleased' && !entry.changedIn.includes(section.version)) {
        entry.changedIn.push(section.version);
      }
    }
  }
  return new Map(
    [...history].map(([id, entry]) => {
      const addedIn = added.get(id) ?? first?.version;
      return [id, addedIn && addedIn !== 'Unreleased' ? { ...entry, addedIn } : entry];
    }),
  );
}
