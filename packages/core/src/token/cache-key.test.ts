import { describe, expect, it } from 'vitest';
import { tokenCacheKey } from './cache-key';

describe('tokenCacheKey', () => {
  it('names corp and app, and fingerprints the secret without containing it', async () => {
    const key = await tokenCacheKey({ corpId: 'ww1', agentId: 1000002, corpSecret: 'the-secret-value' });
    expect(key).toMatch(/^wecom:token:ww1:1000002:[0-9a-f]{16}$/);
    expect(key).not.toContain('the-secret-value');
  });

  it('changes when the secret is reset, so old tokens are not reused', async () => {
    const before = await tokenCacheKey({ corpId: 'ww1', corpSecret: 'secret-one' });
    const after = await tokenCacheKey({ corpId: 'ww1', corpSecret: 'secret-two' });
    expect(before).not.toBe(after);
    expect(await tokenCacheKey({ corpId: 'ww1', corpSecret: 'secret-one' })).toBe(before);
    expect(before).toMatch(/^wecom:token:ww1:-:/);
  });
});
