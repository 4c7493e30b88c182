import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runSpecDiff } from '../src/run';

// The real spec/ (its $refs, allOf components and webhooks as they are), committed on main of a
// throwaway repository: git archive of the base, redocly bundle of both sides, the diff and the
// changeset gate all run for real. Each case edits one source file and restores it afterwards.
const realSpec = join(import.meta.dirname, '../../../spec');
let repo: string;

function git(...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=spec-diff', '-c', 'user.email=spec-diff@example.invalid', ...args], {
    cwd: repo,
    stdio: 'ignore',
  });
}

const edited = new Map<string, string>();

async function edit(file: string, from: string, to: string): Promise<void> {
  const path = join(repo, file);
  const text = await readFile(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  if (!edited.has(path)) edited.set(path, text);
  await writeFile(path, text.replace(from, to));
}

async function specDiff(options: { base?: string; json?: boolean } = {}) {
  let output = '';
  const result = await runSpecDiff({ cwd: repo, ...options, write: (text) => (output += text) });
  return { ...result, output };
}

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), 'spec-diff-repo-'));
  await cp(realSpec, join(repo, 'spec'), {
    recursive: true,
    filter: (source) => !/[/\\](node_modules|dist|test)$/.test(source),
  });
  await cp(join(realSpec, '../.changeset'), join(repo, '.changeset'), { recursive: true });
  // A major changeset from an earlier pull request, merged and waiting for the release PR.
  await writeFile(
    join(repo, '.changeset/earlier-break.md'),
    '---\n"@wecom-kit/client": major\n---\n\nEarlier.\n',
  );
  git('init', '--quiet', '--initial-branch=main');
  git('add', '.');
  git('commit', '--quiet', '-m', 'base spec');
}, 30_000);

afterEach(async () => {
  for (const [path, text] of edited) await writeFile(path, text);
  edited.clear();
  await rm(join(repo, '.changeset/this-change.md'), { force: true });
});

afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

// Each case bundles the real spec twice with the Redocly CLI: seconds, not milliseconds.
describe('runSpecDiff on the real spec', { timeout: 60_000 }, () => {
  it('reports no change against the same spec', async () => {
    const { exitCode, output } = await specDiff();
    expect(exitCode).toBe(0);
    expect(output).toBe('No spec changes between main and the working tree.\n');
  });

  it('follows a webhook into its allOf component, fails, and points at the line', async () => {
    await edit(
      'spec/components/schemas/CallbackAddExternalContact.yaml',
      'WelcomeCode:\n        type: string',
      'WelcomeCode:\n        type: integer',
    );
    const { exitCode, output, changes } = await specDiff();
    expect(exitCode).toBe(1);
    expect(output).toContain('Breaking (1)\n  addExternalContactEvent  WEBHOOK addExternalContact\n');
    expect(output).toContain('- payload: type of `WelcomeCode` changed from string to integer');
    expect(output).toContain('no changeset added by this change declares one for @wecom-kit/core');
    const text = await readFile(
      join(repo, 'spec/components/schemas/CallbackAddExternalContact.yaml'),
      'utf8',
    );
    const line = text.split('\n').indexOf('        type: integer') + 1;
    expect(changes[0]?.source).toEqual({
      side: 'head',
      file: 'spec/components/schemas/CallbackAddExternalContact.yaml',
      line,
    });
  });

  it('does not let a changeset already pending at the base vouch for a new break', async () => {
    await edit(
      'spec/paths/moments/add_moment_task.yaml',
      'x-wecom-idempotent: false',
      'x-wecom-idempotent: true',
    );
    const { exitCode, output } = await specDiff();
    expect(exitCode).toBe(1);
    expect(output).toContain(
      'Runtime behaviour (1)\n  addMomentTask  POST /cgi-bin/externalcontact/add_moment_task\n',
    );
    expect(output).toContain('- [breaking] x-wecom-idempotent false → true');
    expect(output).toContain(
      '- addMomentTask: @wecom-kit/react-hooks exports removed: `addMomentTaskMutationOptions`, `useAddMomentTaskMutation`',
    );
    expect(output).toContain('the runtime retries this write on any transient failure');
    expect(output).toContain('Changesets already pending at the base do not count');
  });

  it('asks for a major of every package the break reaches, and passes once each is declared', async () => {
    await edit(
      'spec/paths/moments/get_moment_list.yaml',
      'operationId: getMomentList',
      'operationId: listMoments',
    );
    await writeFile(
      join(repo, '.changeset/this-change.md'),
      '---\n"@wecom-kit/client": major\n---\n\nRename.\n',
    );
    const partly = await specDiff();
    expect(partly.exitCode).toBe(1);
    expect(partly.gate).toEqual({
      required: ['@wecom-kit/client', '@wecom-kit/react-hooks'],
      missing: ['@wecom-kit/react-hooks'],
      majorChangesets: ['this-change.md'],
    });
    await writeFile(
      join(repo, '.changeset/this-change.md'),
      '---\n"@wecom-kit/client": major\n"@wecom-kit/react-hooks": major\n---\n\nRename.\n',
    );
    const declared = await specDiff({ json: true });
    expect(declared.exitCode).toBe(0);
    const printed = JSON.parse(declared.output);
    expect(Object.keys(printed)).toEqual(['base', 'changes', 'majorChangesets', 'gate']);
    expect(printed.changes[0]).toMatchObject({
      kind: 'breaking',
      operation: { operationId: 'listMoments' },
      message: 'operationId renamed from getMomentList to listMoments',
      source: { side: 'head', file: 'spec/paths/moments/get_moment_list.yaml', line: 2 },
    });
  });

  it('passes additions', async () => {
    await edit(
      'spec/components/schemas/Moment.yaml',
      'properties:\n',
      'properties:\n  pinned:\n    type: boolean\n    description: Whether the post is pinned.\n',
    );
    const { exitCode, output } = await specDiff();
    expect(exitCode).toBe(0);
    expect(output).toMatch(/Non-breaking \(\d+\)/);
    expect(output).toContain('response 200: field `moment_list[].pinned` added');
  });

  it('names an unknown base ref', async () => {
    await expect(specDiff({ base: 'no-such-branch' })).rejects.toThrow(
      '"no-such-branch" is not a commit in this repository',
    );
  });
});
