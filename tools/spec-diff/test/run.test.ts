import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSpecDiff } from '../src/run';

const fixtures = join(import.meta.dirname, 'fixtures');
let repo: string;

function git(...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=spec-diff', '-c', 'user.email=spec-diff@example.invalid', ...args], {
    cwd: repo,
    stdio: 'ignore',
  });
}

async function useSpec(fixture: string): Promise<void> {
  await copyFile(join(fixtures, `${fixture}.yaml`), join(repo, 'spec/openapi.yaml'));
}

async function specDiff(base?: string) {
  let output = '';
  const result = await runSpecDiff({ cwd: repo, ...(base && { base }), write: (text) => (output += text) });
  return { ...result, output };
}

// A throwaway repository with the fixture spec committed on main, so that the whole path runs
// for real: git archive of the base, redocly bundle of both sides, the diff, the changeset gate.
beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), 'spec-diff-repo-'));
  await mkdir(join(repo, 'spec'));
  await mkdir(join(repo, '.changeset'));
  await writeFile(join(repo, 'spec/redocly.yaml'), 'apis:\n  fixture:\n    root: ./openapi.yaml\n');
  await useSpec('base');
  git('init', '--quiet', '--initial-branch=main');
  git('add', '.');
  git('commit', '--quiet', '-m', 'base spec');
}, 30_000);

afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

// Each case bundles two specs with the Redocly CLI: seconds, not milliseconds, on a busy 2-core CI machine.
describe('runSpecDiff', { timeout: 30_000 }, () => {
  it('reports no change against the same spec', async () => {
    const { exitCode, output } = await specDiff();
    expect(exitCode).toBe(0);
    expect(output).toBe('No spec changes between main and the working tree.\n');
  });

  it('fails on a breaking change without a major changeset, and says what to do', async () => {
    await useSpec('removed-response-field');
    const { exitCode, output } = await specDiff('main');
    expect(exitCode).toBe(1);
    expect(output).toContain(
      'Breaking (1)\n  getMomentList  POST /cgi-bin/externalcontact/get_moment_list\n',
    );
    expect(output).toContain('- response 200: field `next_cursor` removed');
    expect(output).toContain('no pending changeset with a major bump of @wecom-kit/client');
  });

  it('passes a breaking change that a pending changeset declares as a major bump of the client', async () => {
    await useSpec('removed-response-field');
    await writeFile(
      join(repo, '.changeset/drop-next-cursor.md'),
      '---\n"@wecom-kit/client": major\n---\n\nDrop next_cursor.\n',
    );
    try {
      const { exitCode, output, majorChangesets } = await specDiff();
      expect(exitCode).toBe(0);
      expect(majorChangesets).toEqual(['drop-next-cursor.md']);
      expect(output).toContain(
        'declared by a major bump of @wecom-kit/client in .changeset/drop-next-cursor.md',
      );
    } finally {
      await rm(join(repo, '.changeset/drop-next-cursor.md'));
    }
  });

  it('passes additions', async () => {
    await useSpec('added-operation');
    const { exitCode, output } = await specDiff();
    expect(exitCode).toBe(0);
    expect(output).toContain(
      'Non-breaking (1)\n  getMomentTask  POST /cgi-bin/externalcontact/get_moment_task\n    - operation added\n',
    );
  });

  it('names an unknown base ref', async () => {
    await expect(specDiff('no-such-branch')).rejects.toThrow(
      '"no-such-branch" is not a commit in this repository',
    );
  });
});
