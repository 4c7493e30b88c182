import { randomBytes } from 'node:crypto';
import {
  type FieldRule,
  type OperationSpec,
  operations,
  type WecomClient,
  WecomValidationError,
} from '@wecom-kit/client';
import { type Sandbox, startSandbox } from '@wecom-kit/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditedClient, useRedactionAudit } from '../support/audit';
import { constraintsOf, sampleInput, sampleValue } from '../support/sample-input';

const DAY = 86_400;
const table: Readonly<Record<string, OperationSpec>> = operations;
const audit = useRedactionAudit();
let sandbox: Sandbox;
let wecom: WecomClient;
let fetches = 0;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    scale: 200,
    corpSecret: `validation-${randomBytes(8).toString('hex')}`,
  });
  wecom = auditedClient(audit, {
    corpId: sandbox.corpId,
    corpSecret: sandbox.corpSecret,
    baseUrl: sandbox.url,
    fetch: (input, init) => {
      fetches += 1;
      return globalThis.fetch(input, init);
    },
  });
});
afterAll(async () => {
  // Not one request of this file reached the network or the sandbox, gettoken included.
  expect(fetches).toBe(0);
  expect(sandbox.stats.calls).toEqual({});
  await sandbox.close();
});

/** Calls `operationId` with `input` through call(); the rejection must be a WecomValidationError. */
async function rejection(operationId: string, input: unknown): Promise<WecomValidationError> {
  const call = wecom.call as (operationId: string, input: unknown) => Promise<unknown>;
  const error = await audit.rejectionOf(call(operationId, input));
  expect(error, `${operationId} ${JSON.stringify(input).slice(0, 200)}`).toBeInstanceOf(WecomValidationError);
  return error as WecomValidationError;
}

function expectClear(error: WecomValidationError, operationId: string, field: string, rule: string): void {
  expect(error).toMatchObject({ operationId, field, rule });
  expect(error.message).toContain(operationId);
  expect(error.message).toContain(field.split('.').pop() as string);
  expect(error.message).not.toMatch(/undefined|\[object Object\]/);
}

/** A value of none of the rule's types; a primitive when one will do (see the known defect below). */
function wrongTypeFor(rule: FieldRule): unknown {
  const types = typeof rule.type === 'string' ? [rule.type] : (rule.type ?? []);
  const candidates: [string, unknown][] = [
    ['string', 'not-a-number'],
    ['integer', 12_345],
    ['boolean', true],
    ['array', []],
    ['object', { unexpected: true }],
  ];
  const fits = (name: string) => types.includes(name) || (name === 'integer' && types.includes('number'));
  return candidates.find(([name]) => !fits(name))?.[1];
}

const idsWith = (predicate: (spec: OperationSpec, operationId: string) => boolean) =>
  Object.keys(table).filter(
    (operationId) =>
      table[operationId]?.token !== 'none' && predicate(table[operationId] as OperationSpec, operationId),
  );

describe('bad input, one operation of each class', () => {
  const now = Math.floor(Date.now() / 1000);

  it('a GET read: missing and mistyped query fields', async () => {
    expectClear(
      await rejection('getExternalContact', {}),
      'getExternalContact',
      'external_userid',
      'required',
    );
    expectClear(
      await rejection('getExternalContact', { external_userid: 42 }),
      'getExternalContact',
      'external_userid',
      'type',
    );
    const error = await audit.rejectionOf(
      wecom.GET('/cgi-bin/externalcontact/get', { params: { query: {} as { external_userid: string } } }),
    );
    expect(error).toBeInstanceOf(WecomValidationError);
  });

  it('a paged POST read: over-max and mistyped lists, through call(), paginate() and POST()', async () => {
    const tooMany = Array.from({ length: 101 }, (_, index) => `member${index}`);
    const overMax = await rejection('batchGetByUser', { userid_list: tooMany });
    expectClear(overMax, 'batchGetByUser', 'userid_list', 'maxItems');
    expect(overMax.message).toMatch(/at most 100/);
    expectClear(
      await rejection('batchGetByUser', { userid_list: 'member0001' }),
      'batchGetByUser',
      'userid_list',
      'type',
    );
    const paged = wecom.paginate('batchGetByUser', { userid_list: tooMany });
    expect(await audit.rejectionOf(paged[Symbol.asyncIterator]().next())).toBeInstanceOf(
      WecomValidationError,
    );
    const posted = await audit.rejectionOf(
      wecom.POST('/cgi-bin/externalcontact/batch/get_by_user', { body: { userid_list: tooMany } }),
    );
    expect(posted).toBeInstanceOf(WecomValidationError);
  });

  it('a windowed read: over-long window through call(), missing bound, mistyped bound', async () => {
    const window = await rejection('getMomentList', { start_time: now - 31 * DAY, end_time: now });
    expectClear(window, 'getMomentList', 'end_time', 'window');
    expect(window.message).toMatch(/paginate/);
    expectClear(
      await rejection('getMomentList', { start_time: now - DAY }),
      'getMomentList',
      'end_time',
      'required',
    );
    expectClear(
      await rejection('getMomentList', { start_time: String(now - DAY), end_time: now }),
      'getMomentList',
      'start_time',
      'type',
    );
  });

  it('a read with a look-back: a start beyond 180 days through call(), paginate() and POST()', async () => {
    const owners = { owner_filter: { userid_list: ['zhangsan'] } };
    const old = { day_begin_time: now - 200 * DAY, day_end_time: now - 2 * DAY, ...owners };
    const called = await rejection('getGroupChatStatisticByDay', { ...old, day_end_time: now - 190 * DAY });
    expectClear(called, 'getGroupChatStatisticByDay', 'day_begin_time', 'maxAgeDays');
    expect(called.message).toMatch(
      /is 200 days ago; WeCom keeps only the last 180 days\. WeCom refuses it with 600018\. Move it later\./,
    );
    const paged = wecom.paginate('getGroupChatStatistic', old);
    const walked = await audit.rejectionOf(paged[Symbol.asyncIterator]().next());
    expect(walked).toBeInstanceOf(WecomValidationError);
    expect(walked).toMatchObject({ field: 'day_begin_time', rule: 'maxAgeDays' });
    const posted = await audit.rejectionOf(
      wecom.POST('/cgi-bin/externalcontact/get_user_behavior_data', {
        body: { userid: ['zhangsan'], start_time: now - 200 * DAY, end_time: now - 190 * DAY },
      }),
    );
    expect(posted).toMatchObject({ field: 'start_time', rule: 'maxAgeDays' });
  });

  it('a write: over-max attachments, over-long text, a value outside its enum', async () => {
    const follow = sandbox.state.people.follows[0];
    const base = { sender: follow?.userid, external_userid: [follow?.external_userid] };
    const image = { msgtype: 'image', image: { media_id: 'MEDIA' } };
    expectClear(
      await rejection('addMsgTemplate', { ...base, attachments: Array.from({ length: 10 }, () => image) }),
      'addMsgTemplate',
      'attachments',
      'maxItems',
    );
    expectClear(
      await rejection('addMsgTemplate', { ...base, text: { content: 'x'.repeat(4_001) } }),
      'addMsgTemplate',
      'text.content',
      'maxLength',
    );
    expectClear(
      await rejection('addMsgTemplate', { ...base, chat_type: 'everyone' }),
      'addMsgTemplate',
      'chat_type',
      'enum',
    );
  });
});

describe('bad input, every operation of the table', () => {
  it.each(idsWith((_spec, operationId) => (constraintsOf(operationId).required ?? []).length > 0))(
    '%s without its first required field',
    async (operationId) => {
      const constraints = constraintsOf(operationId);
      const missing = constraints.required?.[0] as string;
      const { [missing]: _left, ...input } = sampleInput(constraints);
      expectClear(await rejection(operationId, input), operationId, missing, 'required');
    },
  );

  const typedFields = Object.keys(table).flatMap((operationId) =>
    Object.entries(constraintsOf(operationId).fields ?? {})
      .filter(([, rule]) => rule.type !== undefined && table[operationId]?.token !== 'none')
      .map(([field]) => [operationId, field] as const),
  );
  it.each(typedFields)('%s with %s of the wrong type', async (operationId, field) => {
    const constraints = constraintsOf(operationId);
    const rule = constraints.fields?.[field] as FieldRule;
    const input = { ...sampleInput(constraints), [field]: wrongTypeFor(rule) };
    expectClear(await rejection(operationId, input), operationId, field, 'type');
  });

  const cappedLists = Object.keys(table).flatMap((operationId) =>
    Object.entries(constraintsOf(operationId).fields ?? {})
      .filter(([, rule]) => rule.maxItems !== undefined)
      .map(([field]) => [operationId, field] as const),
  );
  it.each(cappedLists)('%s with one item too many in %s', async (operationId, field) => {
    const constraints = constraintsOf(operationId);
    const rule = constraints.fields?.[field] as FieldRule;
    const item = rule.items ? sampleValue(rule.items) : 'x';
    const input = {
      ...sampleInput(constraints),
      [field]: Array.from({ length: (rule.maxItems as number) + 1 }, () => item),
    };
    expectClear(await rejection(operationId, input), operationId, field, 'maxItems');
  });

  it.each(idsWith((spec) => spec.window !== undefined))(
    '%s with a window one day too long',
    async (operationId) => {
      const spec = table[operationId] as OperationSpec;
      const window = spec.window as NonNullable<OperationSpec['window']>;
      const end = Math.floor(Date.now() / 1000 / DAY) * DAY;
      const input = {
        ...sampleInput(constraintsOf(operationId)),
        [window.startField]: end - (window.maxDays + 1) * DAY,
        [window.endField]: end,
      };
      expectClear(await rejection(operationId, input), operationId, window.endField, 'window');
    },
  );

  const lookBacks = idsWith((spec) => spec.window?.maxAgeDays !== undefined);
  it.each(lookBacks)('%s with a start two days beyond its look-back', async (operationId) => {
    const window = table[operationId]?.window as NonNullable<OperationSpec['window']>;
    // One day of slack is allowed for WeCom counting days in China time; two days is refused.
    const start = Math.floor(Date.now() / 1000) - ((window.maxAgeDays as number) + 2) * DAY;
    const input = {
      ...sampleInput(constraintsOf(operationId)),
      [window.startField]: start,
      [window.endField]: start + DAY,
    };
    expectClear(await rejection(operationId, input), operationId, window.startField, 'maxAgeDays');
  });

  it('names a refused object value in words', async () => {
    const error = await rejection('getMomentList', { start_time: { at: 1 }, end_time: 2 });
    expect(error.message).not.toMatch(/\[object Object\]/);
  });

  it('refuses an object without a callable toString with a WecomValidationError', async () => {
    await rejection('deleteProductAlbum', { product_id: { toString: true } });
  });

  it('covers every class of operation', () => {
    const classes = new Set(
      Object.values(table).map((spec) =>
        [
          spec.method,
          spec.idempotent ? 'read' : 'write',
          spec.pagination ? 'paged' : '',
          spec.window ? 'windowed' : '',
        ].join(' '),
      ),
    );
    expect(classes.size).toBeGreaterThanOrEqual(4);
    expect(typedFields.length).toBeGreaterThan(50);
    expect(cappedLists.length).toBeGreaterThan(5);
    expect(lookBacks.length).toBeGreaterThanOrEqual(4);
  });
});
