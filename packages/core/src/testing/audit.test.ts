import { describe, expect, it } from 'vitest';
import { exposedText } from './audit';

describe('the redaction audit', () => {
  it('sees secrets in hidden properties, nested causes and stacks', () => {
    const hidden = new Error('outer', { cause: new Error('inner holds tok_123456') });
    Object.defineProperty(hidden, 'secretish', { value: 'corp-secret-xyz', enumerable: false });
    const text = exposedText(hidden);
    expect(text).toContain('tok_123456');
    expect(text).toContain('corp-secret-xyz');
    expect(exposedText({ type: 'retry', nested: [{ token: 'tok_abcdef' }] })).toContain('tok_abcdef');
  });
});
