import { describe, expect, it } from 'vitest';
import { COMMENT_MARKER, formatPullRequestComment, type SpecDiffJson } from '../src/comment';

const links = { repositoryUrl: 'https://github.com/wecom-kit/wecom-kit', baseSha: 'b1', headSha: 'h2' };
const task = {
  operationId: 'addMomentTask',
  method: 'POST',
  path: '/cgi-bin/externalcontact/add_moment_task',
};

const report: SpecDiffJson = {
  base: 'origin/main',
  majorChangesets: [],
  gate: {
    required: ['@wecom-kit/client', '@wecom-kit/core'],
    missing: ['@wecom-kit/core'],
    majorChangesets: [],
  },
  changes: [
    {
      kind: 'breaking',
      area: 'api',
      operation: { operationId: 'addExternalContactEvent', method: 'WEBHOOK', path: 'addExternalContact' },
      message: 'payload: field `WelcomeCode` removed',
      pointer: '/webhooks/addExternalContact/post/requestBody',
      impact: 'handlers typed from the old payload read a field that is gone | or retyped',
      packages: ['@wecom-kit/core'],
      source: { side: 'base', file: 'spec/components/schemas/CallbackAddExternalContact.yaml', line: 17 },
    },
    {
      kind: 'breaking',
      area: 'runtime',
      operation: task,
      message: 'x-wecom-idempotent false → true',
      pointer: '/paths/~1cgi-bin~1externalcontact~1add_moment_task/post/x-wecom-idempotent',
      impact: 'the runtime retries this write',
      packages: ['@wecom-kit/client'],
      source: { side: 'head', file: 'spec/paths/moments/add_moment_task.yaml', line: 30 },
    },
    { kind: 'documentation', area: 'api', operation: task, message: 'description changed', pointer: '/x' },
  ],
};

describe('formatPullRequestComment', () => {
  it('puts the verdict, runtime behaviour and breaking changes first, with links to the spec lines', () => {
    expect(formatPullRequestComment(report, links)).toBe(`${COMMENT_MARKER}
## Spec changes against \`origin/main\`

2 breaking, 0 non-breaking, 1 documentation.

**Needs a changeset of this pull request with a major bump of @wecom-kit/core** (changesets already on the base branch do not count).

### Runtime behaviour

| | where | change | at runtime | spec |
|---|---|---|---|---|
| breaking | \`addMomentTask\` | x-wecom-idempotent false → true | the runtime retries this write | [paths/moments/add_moment_task.yaml#L30](https://github.com/wecom-kit/wecom-kit/blob/h2/spec/paths/moments/add_moment_task.yaml#L30) |

### Breaking

| where | change | at runtime | spec |
|---|---|---|---|
| \`addExternalContactEvent\` | payload: field \`WelcomeCode\` removed | handlers typed from the old payload read a field that is gone \\| or retyped | [components/schemas/CallbackAddExternalContact.yaml#L17](https://github.com/wecom-kit/wecom-kit/blob/b1/spec/components/schemas/CallbackAddExternalContact.yaml#L17) |

<details><summary>Documentation (1)</summary>

- \`addMomentTask\`: description changed

</details>
`);
  });

  it('says when nothing changed, and when the breaks are declared', () => {
    expect(formatPullRequestComment({ base: 'main', changes: [], majorChangesets: [] }, links)).toBe(
      `${COMMENT_MARKER}\n## Spec changes against \`main\`\n\nNo spec changes.\n`,
    );
    const declared = formatPullRequestComment(
      { ...report, gate: { required: ['@wecom-kit/core'], missing: [], majorChangesets: ['drop.md'] } },
      links,
    );
    expect(declared).toContain(
      'Breaking changes declared by a major bump of @wecom-kit/core in `.changeset/drop.md`.',
    );
  });
});
