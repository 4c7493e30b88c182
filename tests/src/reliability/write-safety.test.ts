import { randomBytes } from 'node:crypto';
import {
  type WecomClientOptions,
  WecomError,
  type WecomEvent,
  WecomOutcomeUnknownError,
} from '@wecom-kit/client';
import { type FaultRule, type Sandbox, startSandbox } from '@wecom-kit/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditedClient, useRedactionAudit } from '../support/audit';

const WRITE = '/cgi-bin/externalcontact/add_msg_template';
const audit = useRedactionAudit();
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    scale: 500,
    corpSecret: `write-safety-${randomBytes(8).toString('hex')}`,
  });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

function client(options: Partial<WecomClientOptions> = {}) {
  const events: WecomEvent[] = [];
  const wecom = auditedClient(audit, {
    corpId: sandbox.corpId,
    corpSecret: sandbox.corpSecret,
    baseUrl: sandbox.url,
    retry: { baseDelayMs: 1, maxDelayMs: 10 },
    ...options,
    onEvent: (event) => events.push(event),
  });
  return { wecom, events };
}

function massMessage() {
  const follow = sandbox.state.people.follows[0];
  if (!follow) throw new Error('no seeded relations');
  return {
    chat_type: 'single' as const,
    sender: follow.userid,
    external_userid: [follow.external_userid],
    text: { content: 'reliability suite: sent once' },
  };
}

function inject(rule: FaultRule) {
  sandbox.faults.add(rule);
}

const applied = () => sandbox.stats.applied[WRITE] ?? 0;
const sent = () => sandbox.stats.calls[WRITE] ?? 0;
const messageCount = () => sandbox.state.messages.messages.length;

describe('a write whose answer is lost after WeCom applied it', () => {
  it('is not retried when the connection drops: applied exactly once, WecomOutcomeUnknownError', async () => {
    const before = messageCount();
    inject({ path: WRITE, drop: true, count: 1 });
    const { wecom, events } = client();
    const error = await audit.rejectionOf(wecom.call('addMsgTemplate', massMessage()));
    expect(error).toBeInstanceOf(WecomOutcomeUnknownError);
    expect((error as WecomOutcomeUnknownError).operationId).toBe('addMsgTemplate');
    expect((error as Error).message).toMatch(/not retried/);
    expect(sent()).toBe(1);
    expect(applied()).toBe(1);
    expect(messageCount()).toBe(before + 1);
    expect(events.filter((event) => event.type === 'retry')).toEqual([]);
  });

  it('is not retried when the answer is cut short: applied exactly once, WecomOutcomeUnknownError', async () => {
    inject({ path: WRITE, malformed: true, count: 1 });
    const { wecom } = client();
    const error = await audit.rejectionOf(wecom.call('addMsgTemplate', massMessage()));
    expect(error).toBeInstanceOf(WecomOutcomeUnknownError);
    expect(sent()).toBe(1);
    expect(applied()).toBe(1);
  });

  it('is not retried through the path API either', async () => {
    inject({ path: WRITE, drop: true, count: 1 });
    const { wecom } = client();
    const error = await audit.rejectionOf(
      wecom.POST('/cgi-bin/externalcontact/add_msg_template', { body: massMessage() }),
    );
    expect(error).toBeInstanceOf(WecomOutcomeUnknownError);
    expect(sent()).toBe(1);
    expect(applied()).toBe(1);
  });
});

describe('a write that WeCom refused', () => {
  it('is retried after 45009 and applied once', async () => {
    inject({ path: WRITE, errcode: 45009, count: 1 });
    // After a real 45009 WeCom blocks the API until its minute is over, and the client pauses the
    // operation for that long (60 s by default). The sandbox's injected 45009 blocks nothing, so
    // the pause is shortened to keep the test fast; the decision to retry is the same.
    const { wecom, events } = client({ rateLimit: { pauseAfterRateLimitMs: 50 } });
    const result = await wecom.call('addMsgTemplate', massMessage());
    expect(result.msgid).toBeTruthy();
    expect(sent()).toBe(2);
    expect(applied()).toBe(1);
    expect(events).toContainEqual(expect.objectContaining({ type: 'retry', errcode: 45009 }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'rate-limited', reason: 'server' }));
  });

  it('fails fast after 45009 with the default one-minute pause, which outlasts the call deadline', async () => {
    inject({ path: WRITE, errcode: 45009, count: 1 });
    const { wecom } = client();
    const started = Date.now();
    const error = await audit.rejectionOf(wecom.call('addMsgTemplate', massMessage()));
    expect(error).toBeInstanceOf(WecomError);
    expect(error).toMatchObject({ errcode: 45009 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(sent()).toBe(1);
    expect(applied()).toBe(0);
  });

  it('is retried after 45033 (too many calls in flight) and applied once', async () => {
    inject({ path: WRITE, errcode: 45033, count: 2 });
    const { wecom } = client();
    await wecom.call('addMsgTemplate', massMessage());
    expect(sent()).toBe(3);
    expect(applied()).toBe(1);
  });

  it('is not retried after -1, which does not say whether it was applied', async () => {
    inject({ path: WRITE, errcode: -1, count: 1 });
    const { wecom } = client();
    const error = await audit.rejectionOf(wecom.call('addMsgTemplate', massMessage()));
    expect(error).toBeInstanceOf(WecomError);
    expect(error).toMatchObject({ errcode: -1, operationId: 'addMsgTemplate' });
    expect((error as Error).message).toMatch(/not retried/);
    expect(sent()).toBe(1);
  });

  it('is sent again after a refused token, exactly once', async () => {
    const { wecom } = client();
    await wecom.call('getFollowUserList');
    sandbox.revokeTokens();
    await wecom.call('addMsgTemplate', massMessage());
    expect(sent()).toBe(2);
    expect(applied()).toBe(1);
  });
});

describe('a read whose connection drops', () => {
  it('is retried, since reading twice changes nothing', async () => {
    const path = '/cgi-bin/externalcontact/get_follow_user_list';
    inject({ path, drop: true, count: 2 });
    const { wecom } = client();
    const { follow_user } = await wecom.call('getFollowUserList');
    expect(follow_user.length).toBeGreaterThan(0);
    expect(sandbox.stats.calls[path]).toBe(3);
  });
});
