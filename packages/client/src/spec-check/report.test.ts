import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { formatDriftReport, summarizeDrift } from './report';

const drift = (operationId: string, pointer: string, kind: string) =>
  JSON.stringify({ type: 'spec-drift', operationId, pointer, kind });

// What three processes of an app might log: their drift (each process reports a drift once),
// other events, a logger's envelope, noise, and lines that only pretend to be drift.
const LOG = [
  drift('getExternalContact', '/external_contact/nickname_hint', 'unknown-field'),
  drift('getExternalContact', '/follow_user/*/remark', 'missing-required'),
  JSON.stringify({
    type: 'response',
    operationId: 'getExternalContact',
    attempt: 1,
    durationMs: 12,
    status: 200,
  }),
  drift('getExternalContact', '/external_contact/nickname_hint', 'unknown-field'),
  JSON.stringify({
    level: 30,
    time: 1764763200000,
    event: JSON.parse(drift('getExternalContact', '/follow_user/*/createtime', 'wrong-type')),
  }),
  'GET /healthz 200',
  '',
  drift('getGroupMsgListV2', '/group_msg_list/*/attachments/*/msgtype', 'unknown-enum-value'),
  drift('getExternalContact', '/brand_new_top_level', 'unknown-field'),
  drift('getExternalContact', '/external_contact/nickname_hint', 'unknown-field'),
  drift('getFutureThing', '/x', 'unknown-field'),
  drift('getExternalContact', '/follow_user/*/remark | <b>value</b>', 'missing-required'),
  drift('getExternalContact', '/remark', 'renamed'),
];

describe('summarizeDrift', () => {
  it('groups drift by operation with counts and the spec file to edit for each finding', async () => {
    const report = await summarizeDrift(LOG);
    expect(report.events).toBe(8);
    expect(report.skippedLines).toBe(3);
    expect(report.invalidLines).toEqual([12, 13]);
    expect(report.operations).toEqual([
      {
        operationId: 'getExternalContact',
        file: 'spec/paths/customers/get.yaml',
        drift: [
          {
            pointer: '/brand_new_top_level',
            kind: 'unknown-field',
            events: 1,
            file: 'spec/paths/customers/get.yaml',
            action: 'describe the new field under properties',
          },
          {
            pointer: '/external_contact/nickname_hint',
            kind: 'unknown-field',
            events: 3,
            file: 'spec/components/schemas/ExternalContact.yaml',
            action: 'describe the new field under properties',
          },
          {
            pointer: '/follow_user/*/createtime',
            kind: 'wrong-type',
            events: 1,
            file: 'spec/components/schemas/FollowUser.yaml',
            action: 'retype it as WeCom sends it',
          },
          {
            pointer: '/follow_user/*/remark',
            kind: 'missing-required',
            events: 1,
            file: 'spec/components/schemas/FollowUser.yaml',
            action: 'WeCom leaves it out: drop it from required',
          },
        ],
      },
      {
        operationId: 'getFutureThing',
        drift: [
          { pointer: '/x', kind: 'unknown-field', events: 1, file: 'unknown', action: expect.any(String) },
        ],
      },
      {
        operationId: 'getGroupMsgListV2',
        file: 'spec/paths/messages/get_groupmsg_list_v2.yaml',
        drift: [
          {
            pointer: '/group_msg_list/*/attachments/*/msgtype',
            kind: 'unknown-enum-value',
            events: 1,
            file: 'spec/components/schemas/MessageAttachment.yaml',
            action: 'add the new value to the enum',
          },
        ],
      },
    ]);
  });

  it('formats a Markdown table per operation, and never echoes a line it refused', async () => {
    const text = formatDriftReport(await summarizeDrift(LOG));
    expect(text).toContain(
      '6 finding(s) in 3 operation(s), from 8 spec-drift event(s); 3 other line(s) skipped.',
    );
    expect(text).toContain('## getExternalContact — spec/paths/customers/get.yaml');
    expect(text).toContain(
      '| unknown-field | `/external_contact/nickname_hint` | 3 | spec/components/schemas/ExternalContact.yaml | describe the new field under properties |',
    );
    expect(text).toContain('## getFutureThing — not in this client’s spec');
    expect(text).toContain('at line(s) 12, 13');
    expect(text).not.toContain('<b>');
    expect(text).not.toContain('renamed');
  });
});

// Each case starts Node with tsx, which takes seconds on a busy machine.
describe('wecom-kit-drift', { timeout: 60_000 }, () => {
  const run = promisify(execFile);
  const cli = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../drift-cli.ts'), ...args]);

  it('reads JSONL files and prints the report, as JSON with --json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wecom-drift-'));
    const [first, second] = [join(dir, 'a.jsonl'), join(dir, 'b.jsonl')];
    await writeFile(first, `${LOG.slice(0, 6).join('\n')}\n`);
    await writeFile(second, LOG.slice(6).join('\r\n'));
    const markdown = await cli([first, second]);
    expect(markdown.stdout).toBe(formatDriftReport(await summarizeDrift(LOG)));
    const json = await cli(['--json', first, second]);
    expect(JSON.parse(json.stdout)).toEqual(await summarizeDrift(LOG));
  });

  it('names a file it cannot read and an unknown flag, with exit code 2', async () => {
    await expect(cli(['/nonexistent/drift.jsonl'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('/nonexistent/drift.jsonl'),
    });
    await expect(cli(['--verbose'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/verbose[\s\S]*Usage: wecom-kit-drift/),
    });
  });
});
