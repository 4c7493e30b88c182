import { WecomValidationError } from '@wecom-kit/core';
import { describe, expect, it } from 'vitest';
import { inputConstraints } from './generated/constraints';
import { operations } from './generated/operations';
import { createWecomClient } from './index';
import type { OperationSpec } from './table';
import type { OperationId } from './types';
import { findViolation, specValidation } from './validate';

const DAY = 86_400;
const check = (operationId: OperationId, input: unknown) => specValidation(operationId, input);

function rejection(operationId: OperationId, input: unknown): WecomValidationError {
  try {
    check(operationId, input);
  } catch (error) {
    if (error instanceof WecomValidationError) return error;
    throw error;
  }
  throw new Error(`${operationId} accepted ${JSON.stringify(input)}`);
}

describe('specValidation', () => {
  it('accepts inputs that follow the spec', () => {
    expect(() => check('getMomentList', { start_time: 1, end_time: 1 + 30 * DAY, limit: 20 })).not.toThrow();
    expect(() => check('getExternalContact', { external_userid: 'wm1' })).not.toThrow();
    expect(() => check('getFollowUserList', undefined)).not.toThrow();
  });

  it('names a missing required field', () => {
    const error = rejection('getMomentList', { start_time: 1 });
    expect(error).toMatchObject({ field: 'end_time', rule: 'required', operationId: 'getMomentList' });
    expect(error.message).toBe('getMomentList: "end_time" is required.');
  });

  it("names WeCom's dedicated errcode from the spec's x-wecom-errcode, when the check has one", () => {
    const missing = rejection('sendWelcomeMsg', { text: { content: 'hi' } });
    expect(missing).toMatchObject({ field: 'welcome_code', rule: 'required' });
    expect(missing.message).toBe('sendWelcomeMsg: "welcome_code" is required. WeCom refuses it with 41049.');
    const attachments = Array.from({ length: 10 }, () => ({ msgtype: 'image', image: { media_id: 'm' } }));
    expect(rejection('sendWelcomeMsg', { welcome_code: 'c', attachments }).message).toBe(
      'sendWelcomeMsg: "attachments" has 10 items; WeCom accepts at most 9 per call. WeCom refuses it with 41064. Split it into batches.',
    );
  });

  it("findViolation keeps the problem apart from the advice, for answers in WeCom's own words", () => {
    const rules = { constraints: inputConstraints.addMsgTemplate ?? {} };
    const input = { attachments: [{ msgtype: 'gif' }] };
    expect(findViolation('addMsgTemplate', rules, input)).toEqual({
      field: 'attachments[0].msgtype',
      rule: 'enum',
      problem: '"attachments[0].msgtype" must be one of "image", "link", "miniprogram", "video", "file".',
      errcode: 41065,
    });
    const tooMany = { userid_list: Array.from({ length: 101 }, (_, index) => `u${index}`) };
    const batch = findViolation(
      'batchGetByUser',
      { constraints: inputConstraints.batchGetByUser ?? {} },
      tooMany,
    );
    expect(batch).toMatchObject({ rule: 'maxItems', advice: 'Split it into batches.', errcode: undefined });
    expect(batch?.problem).not.toContain('Split');
    expect(findViolation('batchGetByUser', { constraints: {} }, tooMany)).toBeUndefined();
  });

  it('names a field of the wrong type', () => {
    const error = rejection('getMomentList', { start_time: '2024-01-01', end_time: 2 });
    expect(error).toMatchObject({ field: 'start_time', rule: 'type' });
    expect(error.message).toContain('must be an integer, got the string "2024-01-01"');
  });

  it('refuses a window longer than the operation allows and points to paginate', () => {
    const error = rejection('getMomentList', { start_time: 0, end_time: 31 * DAY });
    expect(error).toMatchObject({ field: 'end_time', rule: 'window' });
    expect(error.message).toContain('spans 31 days; WeCom allows at most 30');
    expect(error.message).toContain("wecom.paginate('getMomentList'");
  });

  it('counts both ends of day-granular windows', () => {
    const start = Math.floor(Date.now() / 1000 / DAY) * DAY - 60 * DAY;
    expect(() =>
      check('getUserBehaviorData', { userid: ['u'], start_time: start, end_time: start + 29 * DAY }),
    ).not.toThrow();
    expect(
      rejection('getUserBehaviorData', { userid: ['u'], start_time: start, end_time: start + 30 * DAY }).rule,
    ).toBe('window');
  });

  it('refuses lists longer than WeCom accepts per call, and limits above the maximum', () => {
    const userids = Array.from({ length: 101 }, (_, index) => `u${index}`);
    const error = rejection('batchGetByUser', { userid_list: userids });
    expect(error).toMatchObject({ field: 'userid_list', rule: 'maxItems' });
    expect(error.message).toContain('has 101 items; WeCom accepts at most 100 per call');
    expect(rejection('getMomentList', { start_time: 1, end_time: 2, limit: 50 })).toMatchObject({
      field: 'limit',
      rule: 'maximum',
    });
  });

  it('checks nested fields and "at least one of" groups', () => {
    const tooMany = { day_begin_time: 0, owner_filter: { userid_list: Array.from({ length: 101 }, String) } };
    expect(rejection('getGroupChatStatistic', tooMany).field).toBe('owner_filter.userid_list');
    const nothingToChange = rejection('updateExternalContactRemark', { userid: 'u', external_userid: 'wm1' });
    expect(nothingToChange.rule).toBe('anyOf');
    expect(nothingToChange.message).toContain('"remark"');
  });
});

describe('the look-back of the statistics operations (maxAgeDays)', () => {
  const owners = { owner_filter: { userid_list: ['zhangsan'] } };
  /** A valid input of each operation that has a look-back, for a range of days starting at `start`. */
  const inputs: Record<string, (start: number) => Record<string, unknown>> = {
    getUserBehaviorData: (start) => ({ userid: ['zhangsan'], start_time: start, end_time: start + 6 * DAY }),
    getGroupChatStatistic: (start) => ({ day_begin_time: start, day_end_time: start + 6 * DAY, ...owners }),
    getGroupChatStatisticByDay: (start) => ({
      day_begin_time: start,
      day_end_time: start + 6 * DAY,
      ...owners,
    }),
    getAcquisitionStatistic: (start) => ({ link_id: 'cawcde', start_time: start, end_time: start + 6 * DAY }),
  };
  const daysAgo = (days: number) => Math.floor(Date.now() / 1000) - Math.round(days * DAY);

  it('is declared by exactly the operations whose pages document it, as 180 days', () => {
    const table: Readonly<Record<string, OperationSpec>> = operations;
    const declared = Object.keys(table).filter((operationId) => table[operationId]?.window?.maxAgeDays);
    expect(declared.sort()).toEqual(Object.keys(inputs).sort());
    for (const operationId of declared) expect(table[operationId]?.window?.maxAgeDays).toBe(180);
  });

  it.each(Object.keys(inputs))(
    '%s refuses a start 200 days ago, naming the field and the fix',
    (operationId) => {
      const input = (inputs[operationId] as (start: number) => Record<string, unknown>)(daysAgo(200));
      const field = 'day_begin_time' in input ? 'day_begin_time' : 'start_time';
      const error = rejection(operationId as OperationId, input);
      expect(error).toMatchObject({ operationId, field, rule: 'maxAgeDays' });
      const errcode = (operations as Readonly<Record<string, OperationSpec>>)[operationId]?.window?.errcode;
      const answer = errcode === undefined ? '' : ` WeCom refuses it with ${errcode}.`;
      expect(error.message).toBe(
        `${operationId}: "${field}" is 200 days ago; WeCom keeps only the last 180 days.${answer} Move it later.`,
      );
    },
  );

  it.each(Object.keys(inputs))(
    '%s accepts a start 179 days, exactly 180 days and 180 days 23 hours ago (WeCom counts days in China time)',
    (operationId) => {
      const input = inputs[operationId] as (start: number) => Record<string, unknown>;
      for (const days of [179, 180, 180 + 23 / 24]) {
        expect(() => check(operationId as OperationId, input(daysAgo(days))), `${days} days`).not.toThrow();
      }
      expect(rejection(operationId as OperationId, input(daysAgo(182))).rule).toBe('maxAgeDays');
    },
  );

  it('checks the start of a group-chat range that has no end day', () => {
    const error = rejection('getGroupChatStatistic', { day_begin_time: daysAgo(365), ...owners });
    expect(error).toMatchObject({ field: 'day_begin_time', rule: 'maxAgeDays' });
    expect(error.message).toContain('is 365 days ago');
  });

  it('leaves old starts alone on operations without a look-back', () => {
    const start = daysAgo(400);
    expect(() => check('getMomentList', { start_time: start, end_time: start + 10 * DAY })).not.toThrow();
    expect(() =>
      check('getGroupMsgListV2', { chat_type: 'single', start_time: start, end_time: start + 10 * DAY }),
    ).not.toThrow();
  });

  /** A client in front of a scripted WeCom that counts every request, gettoken included. */
  function countingClient() {
    const paths: string[] = [];
    const wecom = createWecomClient({
      corpId: 'wwlookback',
      corpSecret: 'look-back-secret',
      baseUrl: 'https://wecom.test',
      retry: false,
      fetch: async (input) => {
        const path = new URL(String(input)).pathname;
        paths.push(path);
        if (path === '/cgi-bin/gettoken') {
          return Response.json({ errcode: 0, errmsg: 'ok', access_token: 'token', expires_in: 7200 });
        }
        return Response.json({ errcode: 0, errmsg: 'ok', total: 0, next_offset: 0, items: [] });
      },
    });
    return { wecom, paths };
  }

  it('call() refuses a start beyond the look-back without sending a request', async () => {
    const { wecom, paths } = countingClient();
    const refused = await wecom
      .call('getUserBehaviorData', { userid: ['zhangsan'], start_time: daysAgo(200), end_time: daysAgo(190) })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WecomValidationError);
    expect(refused).toMatchObject({ field: 'start_time', rule: 'maxAgeDays' });
    expect(paths).toEqual([]);
  });

  it('paginate() refuses a long range that starts beyond the look-back before fetching any page', async () => {
    const { wecom, paths } = countingClient();
    const range = { day_begin_time: daysAgo(200), day_end_time: daysAgo(1), ...owners };
    const refused = await wecom
      .paginate('getGroupChatStatistic', range)
      [Symbol.asyncIterator]()
      .next()
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WecomValidationError);
    expect(refused).toMatchObject({ field: 'day_begin_time', rule: 'maxAgeDays' });
    expect((refused as Error).message).toContain('is 200 days ago');
    expect(paths).toEqual([]);
  });

  it('paginate() walks every window of a long range that starts inside the look-back', async () => {
    const { wecom, paths } = countingClient();
    const range = { day_begin_time: daysAgo(180), day_end_time: daysAgo(1), ...owners };
    let pages = 0;
    for await (const _page of wecom.paginate('getGroupChatStatistic', range)) pages += 1;
    // 180 days, both ends counted, in windows of 30 days.
    expect(pages).toBe(6);
    expect(paths.filter((path) => path.endsWith('/groupchat/statistic'))).toHaveLength(6);
  });
});
