import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CodegenError } from '../src/errors';
import { generate } from '../src/generate';
import { type BundledSpec, readOperations } from '../src/operations';

async function loadFixture(): Promise<BundledSpec> {
  return parse(await readFile(join(import.meta.dirname, 'fixture.yaml'), 'utf8'));
}

/** Each fixture path as if its path item lived in spec/paths/fixture/<last segment>.yaml. */
function fixturePathFiles(spec: BundledSpec): Record<string, string> {
  return Object.fromEntries(
    Object.keys(spec.paths).map((path) => [path, `spec/paths/fixture/${path.split('/').pop()}.yaml`]),
  );
}

async function generateFixture() {
  const spec = await loadFixture();
  return generate(spec, fixturePathFiles(spec));
}

function byPath(files: { path: string; content: string }[], suffix: string): string {
  const file = files.find((candidate) => candidate.path.endsWith(suffix));
  if (!file) throw new Error(`no generated file ${suffix}`);
  return file.content;
}

describe('generate', () => {
  it('writes the schema types, the operation table, the input constraints and the errcode catalog', async () => {
    const files = await generateFixture();
    expect(files.map((file) => file.path)).toEqual([
      'packages/client/src/generated/schema.ts',
      'packages/client/src/generated/operations.ts',
      'packages/client/src/generated/constraints.ts',
      'packages/client/src/generated/response-shapes.ts',
      'packages/core/src/generated/errcodes.ts',
      'packages/core/src/generated/errcode-classes.ts',
      'packages/core/src/generated/callback-events.ts',
      'packages/react-hooks/src/generated/options.ts',
      'packages/react-hooks/src/generated/hooks.ts',
    ]);
    expect(byPath(files, 'schema.ts')).toMatchSnapshot();
    expect(byPath(files, 'operations.ts')).toMatchSnapshot();
    expect(byPath(files, 'operations.ts')).not.toContain('"constraints"');
    expect(byPath(files, 'constraints.ts')).toMatchSnapshot();
    expect(byPath(files, 'response-shapes.ts')).toMatchSnapshot();
    expect(byPath(files, 'errcodes.ts')).toMatchSnapshot();
    expect(byPath(files, 'errcode-classes.ts')).toMatchSnapshot();
    expect(byPath(files, 'options.ts')).toMatchSnapshot();
    expect(byPath(files, 'hooks.ts')).toMatchSnapshot();
  });

  it('is deterministic: the same spec gives the same bytes', async () => {
    const [first, second] = await Promise.all([generateFixture(), generateFixture()]);
    expect(second).toEqual(first);
  });
});

describe('readOperations', () => {
  it('reads input kind, pagination, window, limits, invalidation and constraints', async () => {
    const table = Object.fromEntries(
      readOperations(await loadFixture()).map((entry) => [entry.operationId, entry]),
    );
    expect(table.getToken).toMatchObject({
      method: 'GET',
      input: 'query',
      token: 'none',
      idempotent: true,
    });
    expect(table.finishExternalUseridMigration?.token).toBe('provider');
    expect(table.getMomentList?.token).toBeUndefined();
    expect(table.getToken?.pagination).toBeUndefined();
    expect(table.getMomentList?.pagination).toMatchObject({
      style: 'cursor',
      itemsField: 'moment_list',
      maxLimit: 20,
    });
    expect(table.getMomentList?.window).toEqual({
      startField: 'start_time',
      endField: 'end_time',
      maxDays: 30,
      interval: 'open',
      unit: 'second',
    });
    expect(table.getMomentList?.window).not.toHaveProperty('maxAgeDays');
    expect(table.getGroupChatStatistic?.window).toEqual({
      startField: 'day_begin_time',
      endField: 'day_end_time',
      maxDays: 30,
      maxAgeDays: 180,
      interval: 'closed',
      unit: 'day',
      errcode: 600018,
    });
    expect(table.getGroupChatStatistic?.constraints.fields?.owner_filter?.fields?.userid_list?.maxItems).toBe(
      100,
    );
    expect(table.getMomentList?.constraints.fields?.limit).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 20,
    });
    expect(table.updateExternalContactRemark).toMatchObject({
      idempotent: false,
      invalidates: ['getExternalContact', 'getMomentList'],
      constraints: { required: ['userid', 'external_userid'], anyOf: [['remark'], ['description']] },
    });
    expect(table.updateExternalContactRemark?.constraints.fields?.external_userid).toEqual({
      type: 'string',
      errcodes: { required: 41035 },
    });
    expect(table.addMomentTask).toMatchObject({ rateLimitPerMinute: 10, deprecated: true });
  });

  it('resolves component references inside constraints', async () => {
    const spec = await loadFixture();
    const post = spec.paths['/cgi-bin/externalcontact/get_moment_list']?.post;
    const schema = post?.requestBody?.content?.['application/json']?.schema;
    if (!schema?.properties) throw new Error('fixture changed');
    schema.properties.sample = { $ref: '#/components/schemas/Moment' };
    const entry = readOperations(spec).find((candidate) => candidate.operationId === 'getMomentList');
    expect(entry?.constraints.fields?.sample?.required).toEqual(['moment_id']);
  });

  const broken: [string, (spec: BundledSpec) => void, RegExp][] = [
    [
      'an x-wecom-errcode naming an unknown rule',
      (spec) => {
        const schema =
          spec.paths['/cgi-bin/externalcontact/remark']!.post!.requestBody!.content!['application/json']!
            .schema!;
        schema.properties!.userid!['x-wecom-errcode'] = { requried: 41035 };
      },
      /x-wecom-errcode .*requried.*expected \{ <rule>: <integer errcode> \}/,
    ],
    [
      'a missing operationId',
      (spec) => {
        delete spec.paths['/cgi-bin/externalcontact/remark']!.post!.operationId;
      },
      /POST \/cgi-bin\/externalcontact\/remark has no operationId/,
    ],
    [
      'a read without x-wecom-pagination',
      (spec) => {
        delete spec.paths['/cgi-bin/externalcontact/get_moment_list']!.post!['x-wecom-pagination'];
      },
      /getMomentList .* is a read without x-wecom-pagination/,
    ],
    [
      'an unknown pagination style',
      (spec) => {
        spec.paths['/cgi-bin/externalcontact/get_moment_list']!.post!['x-wecom-pagination'] = {
          style: 'token',
        };
      },
      /style "token"; use cursor, offset, page or none/,
    ],
    [
      'a cursor style without its fields',
      (spec) => {
        spec.paths['/cgi-bin/externalcontact/get_moment_list']!.post!['x-wecom-pagination'] = {
          style: 'cursor',
        };
      },
      /style cursor needs "cursorParam"/,
    ],
    [
      'a look-back that is not a whole number of days',
      (spec) => {
        const window = spec.paths['/cgi-bin/externalcontact/groupchat/statistic']!.post!['x-wecom-window'];
        spec.paths['/cgi-bin/externalcontact/groupchat/statistic']!.post!['x-wecom-window'] = {
          ...window,
          maxAgeDays: '180 days',
        };
      },
      /getGroupChatStatistic .*x-wecom-window\.maxAgeDays is "180 days"; use a positive whole number of days/,
    ],
    [
      'a duplicated operationId',
      (spec) => {
        spec.paths['/cgi-bin/externalcontact/remark']!.post!.operationId = 'getMomentList';
      },
      /"getMomentList" is used by both/,
    ],
    [
      'an operation without x-wecom-idempotent',
      (spec) => {
        delete spec.paths['/cgi-bin/externalcontact/remark']!.post!['x-wecom-idempotent'];
      },
      /lacks x-wecom-idempotent/,
    ],
    [
      'an operation whose security scheme is no token query parameter',
      (spec) => {
        spec.paths['/cgi-bin/externalcontact/remark']!.post!.security = [{ oauth: [] }];
      },
      /remark.*uses security scheme "oauth", which is not an apiKey in the query/,
    ],
    [
      'an operation that asks for two tokens',
      (spec) => {
        spec.paths['/cgi-bin/externalcontact/remark']!.post!.security = [
          { accessToken: [] },
          { suiteAccessToken: [] },
        ];
      },
      /must name exactly one security scheme/,
    ],
  ];

  it.each(broken)('fails with a clear message on %s', async (_name, breakIt, message) => {
    const spec = await loadFixture();
    breakIt(spec);
    expect(() => readOperations(spec)).toThrow(CodegenError);
    expect(() => readOperations(spec)).toThrow(message);
  });
});
