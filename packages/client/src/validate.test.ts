import { WecomValidationError } from '@wecom-kit/core';
import { describe, expect, it } from 'vitest';
import type { OperationId } from './types';
import { specValidation } from './validate';

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
    expect(() =>
      check('getUserBehaviorData', { userid: ['u'], start_time: 0, end_time: 29 * DAY }),
    ).not.toThrow();
    expect(rejection('getUserBehaviorData', { userid: ['u'], start_time: 0, end_time: 30 * DAY }).rule).toBe(
      'window',
    );
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
