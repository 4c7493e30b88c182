import * as client from '@wecom-kit/client';
import * as core from '@wecom-kit/core';
import * as sandbox from '@wecom-kit/sandbox';
import { describe, expect, it } from 'vitest';

// The built packages (these imports resolve to dist/ through the exports) must keep the names of
// their classes: a bundler renames a class that refers to itself (`_WecomError`), and that name
// is what users see in logs, in `error.constructor.name` and in stack traces.
const entries = { '@wecom-kit/core': core, '@wecom-kit/client': client, '@wecom-kit/sandbox': sandbox };

describe('class names in the built packages', () => {
  it.each(Object.entries(entries))('%s exports every class under its own name', (_entry, exports) => {
    const classes = Object.entries(exports).filter(
      ([, value]) => typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value)),
    );
    expect(classes.length).toBeGreaterThan(0);
    for (const [exportName, value] of classes) expect((value as { name: string }).name).toBe(exportName);
  });

  it('a WecomError is called WecomError in its stack and constructor', () => {
    const error = client.WecomError.fromBody({ errcode: 40001, errmsg: 'invalid credential' }, 'getToken');
    expect(error.constructor.name).toBe('WecomError');
    expect(error.stack).toMatch(/^WecomError: getToken failed with WeCom errcode 40001/);
  });
});
