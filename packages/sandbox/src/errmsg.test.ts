import { describe, expect, it } from 'vitest';
import { createRequestIdGenerator, formatErrmsg } from './errmsg';

describe('formatErrmsg', () => {
  it('answers ok for success', () => {
    expect(formatErrmsg(0, 'anything', '1')).toBe('ok');
  });

  it('produces the format real WeCom errors have', () => {
    // The shape of a real 42001 body quoted in the reference facts.
    expect(formatErrmsg(42001, 'access_token expired', '1737759218426833351570099')).toBe(
      'access_token expired, hint: [1737759218426833351570099], from ip: , more info at https://open.work.weixin.qq.com/devtool/query?e=42001',
    );
    expect(formatErrmsg(60020, 'not allow to access from your ip', '7', '10.0.0.1')).toContain(
      'from ip: 10.0.0.1,',
    );
  });
});

describe('createRequestIdGenerator', () => {
  it('issues distinct all-digit ids', () => {
    const next = createRequestIdGenerator(1737759218426);
    const ids = [next(), next(), next()];
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^\d+$/);
  });
});
