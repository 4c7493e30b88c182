import type { SpecDriftKind } from '@wecom-kit/core';
import { describe, expect, it } from 'vitest';
import { findDrift } from './shape-check';

function driftOf(operationId: string, body: unknown): [string, SpecDriftKind][] {
  const found: [string, SpecDriftKind][] = [];
  findDrift(operationId, body, (pointer, kind) => found.push([pointer, kind]));
  return found;
}

const comments = (entries: object[]) => ({ errcode: 0, errmsg: 'ok', comment_list: entries, like_list: [] });

describe('findDrift', () => {
  it('accepts either alternative of a oneOf, and reports what both miss when neither holds', () => {
    expect(driftOf('getMomentComments', comments([{ userid: 'zhangsan', create_time: 1 }]))).toEqual([]);
    expect(driftOf('getMomentComments', comments([{ external_userid: 'wm1', create_time: 1 }]))).toEqual([]);
    expect(driftOf('getMomentComments', comments([{ create_time: 1 }]))).toEqual([
      ['/comment_list/*/external_userid', 'missing-required'],
      ['/comment_list/*/userid', 'missing-required'],
    ]);
  });

  it('stops at a wrong type: nothing below it is compared', () => {
    expect(driftOf('getMomentComments', null)).toEqual([['', 'wrong-type']]);
    expect(driftOf('getMomentComments', comments([['not', 'an', 'object']]))).toEqual([
      ['/comment_list/*', 'wrong-type'],
    ]);
  });

  it('takes a fraction where the spec says integer as a wrong type', () => {
    expect(driftOf('getMomentComments', comments([{ userid: 'u', create_time: 1.5 }]))).toEqual([
      ['/comment_list/*/create_time', 'wrong-type'],
    ]);
  });

  it('leaves operations it does not know alone', () => {
    expect(driftOf('notAnOperation', { anything: 1 })).toEqual([]);
  });
});
