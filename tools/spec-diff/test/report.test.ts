import { describe, expect, it } from 'vitest';
import type { SpecChange } from '../src/compare';
import { formatChangelog } from '../src/report';

const moments = {
  operationId: 'getMomentList',
  method: 'POST',
  path: '/cgi-bin/externalcontact/get_moment_list',
};

describe('formatChangelog', () => {
  it('groups changes by kind, then by operation', () => {
    const changes: SpecChange[] = [
      {
        kind: 'breaking',
        area: 'api',
        operation: moments,
        message: 'response 200: field `next_cursor` removed',
        pointer: '/a',
      },
      {
        kind: 'breaking',
        area: 'api',
        operation: moments,
        message: 'request body: maximum of `limit` lowered from 20 to 10',
        pointer: '/b',
      },
      {
        kind: 'non-breaking',
        area: 'api',
        message: 'errcode 6000 (Data version conflict) added, class transient',
        pointer: '/c',
      },
      {
        kind: 'documentation',
        area: 'api',
        operation: moments,
        message: 'description changed',
        pointer: '/d',
      },
    ];
    expect(formatChangelog(changes, { base: 'main', head: 'the working tree' })).toBe(
      `Spec changes from main to the working tree: 2 breaking, 1 non-breaking, 1 documentation

Breaking (2)
  getMomentList  POST /cgi-bin/externalcontact/get_moment_list
    - response 200: field \`next_cursor\` removed
    - request body: maximum of \`limit\` lowered from 20 to 10

Non-breaking (1)
  Whole spec
    - errcode 6000 (Data version conflict) added, class transient

Documentation (1)
  getMomentList  POST /cgi-bin/externalcontact/get_moment_list
    - description changed
`,
    );
  });

  it('opens with runtime behaviour, each line marked, and says what breaks at runtime', () => {
    const changes: SpecChange[] = [
      {
        kind: 'breaking',
        area: 'runtime',
        operation: moments,
        message: 'x-wecom-window.maxDays 30 → 60',
        pointer: '/w',
        impact: 'the runtime sends windows longer than WeCom accepts: those calls fail',
      },
      {
        kind: 'non-breaking',
        area: 'runtime',
        message: 'errcode 6000 (Data version conflict) added, class transient',
        pointer: '/c',
      },
      {
        kind: 'breaking',
        area: 'api',
        operation: moments,
        message: 'response 200: field `next_cursor` removed',
        pointer: '/a',
        impact: 'code reading the response gets values its types no longer promise',
      },
    ];
    expect(formatChangelog(changes, { base: 'main', head: 'the working tree' })).toBe(
      `Spec changes from main to the working tree: 2 breaking, 1 non-breaking, 0 documentation

Runtime behaviour (2)
  getMomentList  POST /cgi-bin/externalcontact/get_moment_list
    - [breaking] x-wecom-window.maxDays 30 → 60
      at runtime: the runtime sends windows longer than WeCom accepts: those calls fail
  Whole spec
    - [non-breaking] errcode 6000 (Data version conflict) added, class transient

Breaking (1)
  getMomentList  POST /cgi-bin/externalcontact/get_moment_list
    - response 200: field \`next_cursor\` removed
      at runtime: code reading the response gets values its types no longer promise
`,
    );
  });

  it('says so when nothing changed', () => {
    expect(formatChangelog([], { base: 'v1.0.0', head: 'the working tree' })).toBe(
      'No spec changes between v1.0.0 and the working tree.\n',
    );
  });
});
