import { createWecomClient, WecomError, WecomValidationError } from '@wecom-kit/client';
import { type Sandbox, startSandbox } from '@wecom-kit/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { watchSpecDrift } from './support/spec-drift';

const DAY = 86_400;
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, scale: 2000 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());
const specDrift = watchSpecDrift();

function client() {
  return createWecomClient({
    corpId: sandbox.corpId,
    corpSecret: sandbox.corpSecret,
    baseUrl: sandbox.url,
    ...specDrift,
  });
}

const totalCalls = () => Object.values(sandbox.stats.calls).reduce((sum, count) => sum + count, 0);

describe('business errors', () => {
  it('come back as a thrown WecomError from call(), with errcode, requestId and category', async () => {
    const error = await client()
      .call('getExternalContact', { external_userid: 'wmDoesNotExist' })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(WecomError);
    expect(error).toMatchObject({ errcode: 40096, operationId: 'getExternalContact', category: 'client' });
    expect((error as WecomError).requestId).toMatch(/^\d+$/);
  });

  it('come back as `error`, never as `data`, from the path API', async () => {
    const wecom = client();
    const { data, error } = await wecom.GET('/cgi-bin/externalcontact/get', {
      params: { query: { external_userid: 'wmDoesNotExist' } },
    });
    expect(data).toBeUndefined();
    expect(error).toBeInstanceOf(WecomError);
    expect(error?.errcode).toBe(40096);

    const follow = sandbox.state.people.follows[0];
    if (!follow) throw new Error('no seeded follows');
    const ok = await wecom.GET('/cgi-bin/externalcontact/get', {
      params: { query: { external_userid: follow.external_userid } },
    });
    expect(ok.error).toBeUndefined();
    expect(ok.data?.external_contact.external_userid).toBe(follow.external_userid);
  });
});

describe('validation', () => {
  it('rejects bad input before anything is sent', async () => {
    const wecom = client();
    const now = Math.floor(Date.now() / 1000);
    await expect(wecom.call('getMomentList', { start_time: now - 31 * DAY, end_time: now })).rejects.toThrow(
      WecomValidationError,
    );
    await expect(
      wecom.POST('/cgi-bin/externalcontact/batch/get_by_user', {
        body: { userid_list: Array.from({ length: 101 }, (_, index) => `member${index}`) },
      }),
    ).rejects.toThrow(/at most 100/);
    expect(totalCalls()).toBe(0);
    expect(sandbox.stats.tokensIssued).toBe(0);
  });
});

describe('pagination', () => {
  it('yields every contact pair of batch/get_by_user exactly once across pages', async () => {
    const members = sandbox.state.people.members.slice(0, 10).map((member) => member.userid);
    const expected = sandbox.state.people.follows
      .filter((follow) => members.includes(follow.userid))
      .map((follow) => `${follow.userid}/${follow.external_userid}`);
    const seen: string[] = [];
    let pages = 0;
    for await (const page of client().paginate('batchGetByUser', { userid_list: members, limit: 7 })) {
      pages += 1;
      for (const pair of page.items)
        seen.push(`${pair.follow_info.userid}/${pair.external_contact.external_userid}`);
    }
    expect(pages).toBe(Math.ceil(expected.length / 7));
    expect(seen.sort()).toEqual(expected.sort());
  });

  it('walks moments over 90 days in 30-day windows, including moments exactly on window boundaries', async () => {
    const end = Math.floor(Date.now() / 1000);
    const start = end - 90 * DAY;
    // Moments exactly on every instant where consecutive windows meet, and on the range's own edges.
    const boundaries = [
      start,
      start + 30 * DAY - 1,
      start + 30 * DAY,
      start + 60 * DAY - 2,
      start + 60 * DAY - 1,
      end,
    ];
    for (const [index, createTime] of boundaries.entries()) {
      const moment = {
        ...sandbox.state.moments.moments[0]!,
        moment_id: `momBoundary${index}`,
        create_time: createTime,
      };
      sandbox.state.moments.moments.push(moment);
      sandbox.state.moments.momentsById.set(moment.moment_id, moment);
    }
    const expected = sandbox.state.moments.moments
      .filter((moment) => moment.create_time > start && moment.create_time < end)
      .map((moment) => moment.moment_id);

    const seen: string[] = [];
    for await (const moment of client()
      .paginate('getMomentList', { start_time: start, end_time: end })
      .items()) {
      seen.push(moment.moment_id);
    }
    expect(seen).toHaveLength(expected.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(expected.sort());
    expect(seen).toContain('momBoundary1');
    expect(seen).not.toContain('momBoundary0');
  });

  it('stops requesting as soon as the caller breaks, and honours maxPages', async () => {
    const members = sandbox.state.people.members.slice(0, 10).map((member) => member.userid);
    for await (const _page of client().paginate('batchGetByUser', { userid_list: members, limit: 5 })) break;
    expect(sandbox.stats.calls['/cgi-bin/externalcontact/batch/get_by_user']).toBe(1);
    let pages = 0;
    for await (const _page of client().paginate(
      'batchGetByUser',
      { userid_list: members, limit: 5 },
      { maxPages: 3 },
    )) {
      pages += 1;
    }
    expect(pages).toBe(3);
  });

  it('resumes from a checkpoint without repeating items', async () => {
    const members = sandbox.state.people.members.slice(0, 10).map((member) => member.userid);
    const wecom = client();
    const all: string[] = [];
    for await (const pair of wecom.paginate('batchGetByUser', { userid_list: members, limit: 10 }).items()) {
      all.push(pair.external_contact.external_userid + pair.follow_info.userid);
    }
    const firstRun: string[] = [];
    let checkpoint: import('@wecom-kit/client').Page<'batchGetByUser'>['checkpoint'];
    for await (const page of wecom.paginate(
      'batchGetByUser',
      { userid_list: members, limit: 10 },
      { maxPages: 2 },
    )) {
      for (const pair of page.items)
        firstRun.push(pair.external_contact.external_userid + pair.follow_info.userid);
      checkpoint = page.checkpoint;
    }
    const rest: string[] = [];
    const resumed = wecom.paginate(
      'batchGetByUser',
      { userid_list: members, limit: 10 },
      { resumeFrom: checkpoint },
    );
    for await (const pair of resumed.items())
      rest.push(pair.external_contact.external_userid + pair.follow_info.userid);
    expect([...firstRun, ...rest]).toEqual(all);
  });
});
