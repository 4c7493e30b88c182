import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AddedChangeset, findAddedChangesets, gateOn } from '../src/changesets';

let repo: string;

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], {
    cwd: repo,
    encoding: 'utf8',
  }).trim();
}

async function changeset(name: string, text: string): Promise<void> {
  await writeFile(join(repo, '.changeset', name), text);
}

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), 'spec-diff-changesets-'));
  await mkdir(join(repo, '.changeset'));
  git('init', '--quiet', '--initial-branch=main');
  await changeset('README.md', '---\n"@wecom-kit/client": major\n---\nnot a changeset');
  // Merged by an earlier pull request, waiting for the release PR.
  await changeset('earlier-break.md', '---\n"@wecom-kit/client": major\n---\n\nRename getMomentList.\n');
  git('add', '.');
  git('commit', '--quiet', '-m', 'base');
});

afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

describe('findAddedChangesets', () => {
  it('returns only the changesets the base does not have, with their bumps', async () => {
    await changeset('brave-cats.md', "---\n'@wecom-kit/client': major\n'@wecom-kit/core': patch\n---\n\nx\n");
    await changeset('quiet-dogs.md', '---\n"@wecom-kit/react-hooks": minor\n---\n\ny\n');
    await changeset('empty.md', '---\n---\n\nnothing\n');
    const added = await findAddedChangesets(repo, git('rev-parse', 'HEAD'));
    expect(added).toEqual([
      { name: 'brave-cats.md', bumps: { '@wecom-kit/client': 'major', '@wecom-kit/core': 'patch' } },
      { name: 'empty.md', bumps: {} },
      { name: 'quiet-dogs.md', bumps: { '@wecom-kit/react-hooks': 'minor' } },
    ]);
  });

  it('finds none without a .changeset folder', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'spec-diff-no-changesets-'));
    expect(await findAddedChangesets(empty, 'HEAD')).toEqual([]);
    await rm(empty, { recursive: true });
  });
});

describe('gateOn', () => {
  const added: AddedChangeset[] = [
    { name: 'a.md', bumps: { '@wecom-kit/client': 'major', '@wecom-kit/core': 'minor' } },
    { name: 'b.md', bumps: { '@wecom-kit/core': 'patch' } },
  ];

  it('asks for a major of every package a breaking change reaches', () => {
    expect(gateOn(['@wecom-kit/react-hooks', '@wecom-kit/client', '@wecom-kit/client'], added)).toEqual({
      required: ['@wecom-kit/client', '@wecom-kit/react-hooks'],
      missing: ['@wecom-kit/react-hooks'],
      majorChangesets: ['a.md'],
    });
  });

  it('is satisfied when each is declared, and asks nothing without breaking changes', () => {
    expect(gateOn(['@wecom-kit/client'], added).missing).toEqual([]);
    expect(gateOn([], [])).toEqual({ required: [], missing: [], majorChangesets: [] });
  });
});
