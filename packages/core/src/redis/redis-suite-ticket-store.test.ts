import { describe, expect, it } from 'vitest';
import { createSharedResources } from '../shared';
import { useRedis } from '../testing/redis-fixture';
import { createSuite } from '../token/auth';
import { createRedisSuiteTicketStore } from './redis-suite-ticket-store';
import { createRedisTokenStore } from './redis-token-store';

const redis = useRedis();

describe('createRedisSuiteTicketStore on a real Redis', () => {
  it('shares the latest ticket between processes, kept for the 30 minutes WeCom accepts it', async () => {
    const receiver = createRedisSuiteTicketStore({ url: redis.url, keyPrefix: 'tickets1:' });
    const caller = createRedisSuiteTicketStore({ url: redis.url, keyPrefix: 'tickets1:' });
    expect(await caller.get('wwsuite')).toBeUndefined();
    await receiver.set('wwsuite', 'ticket-one');
    await receiver.set('wwsuite', 'ticket-two');
    expect(await caller.get('wwsuite')).toBe('ticket-two');
    const ttl = await redis.inspector.pttl('tickets1:wecom:suite-ticket:wwsuite');
    expect(ttl).toBeGreaterThan(29 * 60_000);
    expect(ttl).toBeLessThanOrEqual(30 * 60_000);
    await Promise.all([receiver.close(), caller.close()]);
  });

  it('lets two processes share one suite token: the second never asks WeCom', async () => {
    let suiteTokenCalls = 0;
    const send = async () => {
      suiteTokenCalls += 1;
      return {
        status: 200,
        text: JSON.stringify({
          errcode: 0,
          errmsg: 'ok',
          suite_access_token: `suite-tok-${suiteTokenCalls}-abcdefgh`,
          expires_in: 7200,
        }),
      };
    };
    const processes = [1, 2].map(() => {
      const tickets = createRedisSuiteTicketStore({ url: redis.url, keyPrefix: 'tickets2:' });
      const tokenStore = createRedisTokenStore({ url: redis.url, keyPrefix: 'tickets2:' });
      const shared = createSharedResources({ send, tokenStore });
      return {
        tickets,
        tokenStore,
        suite: createSuite({ suiteId: 'wwsuite2', suiteSecret: 'secret-of-suite-2', tickets, shared }),
      };
    });
    const [first, second] = processes as [(typeof processes)[0], (typeof processes)[0]];
    await first.tickets.set('wwsuite2', 'ticket-from-callback');
    const tokens = await Promise.all([first.suite.tokens.getToken(), second.suite.tokens.getToken()]);
    expect(tokens[0]).toBe(tokens[1]);
    expect(suiteTokenCalls).toBe(1);
    await Promise.all(processes.flatMap(({ tickets, tokenStore }) => [tickets.close(), tokenStore.close()]));
  });
});
