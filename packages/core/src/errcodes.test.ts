import { describe, expect, it } from 'vitest';
import { describeErrcode } from './errcode-catalog';
import { classifyErrcode, isTokenRejection } from './errcodes';

describe('errcodes', () => {
  it('classifies the codes the runtime acts on', () => {
    expect([-1, 45009, 45033].map(classifyErrcode)).toEqual(['transient', 'transient', 'transient']);
    expect([40014, 42001].map(classifyErrcode)).toEqual(['token', 'token']);
    expect([40001, 40013, 60020, 48002].map(classifyErrcode)).toEqual([
      'config',
      'config',
      'config',
      'config',
    ]);
    expect(classifyErrcode(40058)).toBe('client');
  });

  it('treats unknown codes as permanent', () => {
    expect(classifyErrcode(123_456_789)).toBe('permanent');
    expect(describeErrcode(123_456_789)).toMatchObject({ known: false, class: 'permanent' });
  });

  it('describes a code with its catalog entry and WeCom lookup page', () => {
    expect(describeErrcode(45033)).toMatchObject({
      code: 45033,
      known: true,
      class: 'transient',
      lookupUrl: 'https://open.work.weixin.qq.com/devtool/query?e=45033',
    });
  });

  it('counts 40001 from a business call as a refused token', () => {
    expect([40014, 42001, 40001].every(isTokenRejection)).toBe(true);
    expect(isTokenRejection(40013)).toBe(false);
  });
});
