import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ChangeKind, diffSpecs, type OpenApiDocument } from '../src/compare';

async function fixture(name: string): Promise<OpenApiDocument> {
  return parse(await readFile(join(import.meta.dirname, 'fixtures', `${name}.yaml`), 'utf8'));
}

function valueAt(document: unknown, path: string[]): Record<string, unknown> {
  return path.reduce((node, key) => (node as Record<string, unknown>)[key], document) as Record<
    string,
    unknown
  >;
}

async function changesOf(name: string) {
  return diffSpecs(await fixture('base'), await fixture(name)).map((change) => ({
    kind: change.kind,
    operationId: change.operation?.operationId,
    message: change.message,
  }));
}

// One fixture per class of change: base.yaml is "before", <case>.yaml is "after".
const cases: { name: string; expected: { kind: ChangeKind; operationId?: string; message: string }[] }[] = [
  {
    name: 'removed-operation',
    expected: [{ kind: 'breaking', operationId: 'updateCustomerRemark', message: 'operation removed' }],
  },
  {
    name: 'removed-response-field',
    expected: [
      {
        kind: 'breaking',
        operationId: 'getMomentList',
        message: 'response 200: field `next_cursor` removed',
      },
    ],
  },
  {
    name: 'retyped-response-field',
    expected: [
      {
        kind: 'breaking',
        operationId: 'getMomentList',
        message: 'response 200: type of `moment_list[].create_time` changed from integer to string',
      },
    ],
  },
  {
    name: 'new-required-request-field',
    expected: [
      {
        kind: 'breaking',
        operationId: 'getMomentList',
        message: 'request body: required field `creator` added',
      },
    ],
  },
  {
    name: 'new-required-query-parameter',
    expected: [
      {
        kind: 'breaking',
        operationId: 'getExternalContact',
        message: 'required query parameter `userid` added',
      },
    ],
  },
  {
    name: 'narrowed-enum',
    expected: [
      {
        kind: 'breaking',
        operationId: 'getMomentList',
        message: 'request body: value 2 no longer allowed in `filter_type`',
      },
    ],
  },
  {
    name: 'lowered-limit',
    expected: [
      {
        kind: 'breaking',
        operationId: 'getMomentList',
        message: 'request body: maximum of `limit` lowered from 20 to 10',
      },
    ],
  },
  {
    name: 'renamed-operation-id',
    expected: [
      {
        kind: 'breaking',
        operationId: 'listMoments',
        message: 'operationId renamed from getMomentList to listMoments',
      },
    ],
  },
  {
    name: 'changed-path',
    expected: [
      {
        kind: 'breaking',
        operationId: 'getMomentList',
        message:
          'moved from POST /cgi-bin/externalcontact/get_moment_list to POST /cgi-bin/externalcontact/moment/list',
      },
    ],
  },
  {
    name: 'removed-webhook-field',
    expected: [
      {
        kind: 'breaking',
        operationId: 'addExternalContactEvent',
        message: 'payload: field `WelcomeCode` removed',
      },
    ],
  },
  {
    name: 'added-operation',
    expected: [{ kind: 'non-breaking', operationId: 'getMomentTask', message: 'operation added' }],
  },
  {
    name: 'added-optional-fields',
    expected: [
      {
        kind: 'non-breaking',
        operationId: 'getExternalContact',
        message: 'optional query parameter `userid` added',
      },
      { kind: 'non-breaking', operationId: 'getMomentList', message: 'request body: field `creator` added' },
      {
        kind: 'non-breaking',
        operationId: 'getMomentList',
        message: 'response 200: field `moment_list[].visible_type` added',
      },
    ],
  },
  {
    name: 'description-changes',
    expected: [
      {
        kind: 'documentation',
        operationId: 'getExternalContact',
        message: 'response 200: description changed',
      },
      { kind: 'documentation', operationId: 'getMomentList', message: 'description changed' },
      {
        kind: 'documentation',
        operationId: 'getMomentList',
        message: 'request body: example `example` changed',
      },
      { kind: 'documentation', operationId: 'getMomentList', message: 'summary changed' },
    ],
  },
  {
    name: 'errcode-catalog',
    expected: [
      {
        kind: 'non-breaking',
        operationId: undefined,
        message:
          'errcode 40003 (Invalid userid) reclassified from client to permanent: the runtime now handles it as permanent',
      },
      {
        kind: 'non-breaking',
        operationId: undefined,
        message: 'errcode 6000 (Data version conflict) added, class transient',
      },
      { kind: 'documentation', operationId: undefined, message: 'errcode -1: meaning reworded' },
    ],
  },
];

describe('diffSpecs', () => {
  it.each(cases)('$name', async ({ name, expected }) => {
    expect(await changesOf(name)).toEqual(expected);
  });

  it('reports document-wide changes, and judges the info and tags as documentation', async () => {
    const after = await fixture('base');
    (after.info as Record<string, unknown>).title = 'Renamed fixture';
    after.servers = [{ url: 'https://qyapi.weixin.qq.com' }];
    expect(diffSpecs(await fixture('base'), after).map(({ kind, message }) => ({ kind, message }))).toEqual([
      { kind: 'non-breaking', message: 'servers added' },
      { kind: 'documentation', message: 'info.title changed' },
    ]);
  });

  it('finds nothing between a spec and itself', async () => {
    expect(diffSpecs(await fixture('base'), await fixture('base'))).toEqual([]);
  });

  it('is deterministic and orders breaking changes first', async () => {
    const before = await fixture('base');
    const after = await fixture('added-optional-fields');
    // Both kinds in one document: the added fields, and next_cursor removed from the response.
    const properties = valueAt(after, [
      'paths',
      '/cgi-bin/externalcontact/get_moment_list',
      'post',
      'responses',
      '200',
      'content',
      'application/json',
      'schema',
      'properties',
    ]);
    delete properties.next_cursor;
    const first = diffSpecs(before, after);
    expect(diffSpecs(before, after)).toEqual(first);
    expect(first.map((change) => change.kind)).toEqual([
      'breaking',
      'non-breaking',
      'non-breaking',
      'non-breaking',
    ]);
  });
});
