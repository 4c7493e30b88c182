import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from './server';
import { startCheckedSandbox } from './testing/fidelity';

const API = '/cgi-bin/externalcontact';
let clock = Date.now();
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startCheckedSandbox({
    scale: 300,
    tokenTtl: 60,
    rateLimitPerMinute: 1000,
    now: () => clock,
  });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  clock = Date.now();
  sandbox.reset();
});

async function token(): Promise<string> {
  const response = await fetch(
    `${sandbox.url}/cgi-bin/gettoken?corpid=${sandbox.corpId}&corpsecret=${sandbox.corpSecret}`,
  );
  const body = await response.json();
  expect(body.errcode).toBe(0);
  return body.access_token;
}

async function post(path: string, body: unknown, accessToken?: string): Promise<Record<string, unknown>> {
  const query = accessToken === undefined ? '' : `?access_token=${accessToken}`;
  const response = await fetch(`${sandbox.url}${API}${path}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return response.json();
}

describe('gettoken', () => {
  it('refuses a wrong corp id (40013) and a wrong secret (40001) in WeCom errmsg format', async () => {
    const wrongCorp = await fetch(
      `${sandbox.url}/cgi-bin/gettoken?corpid=nope&corpsecret=${sandbox.corpSecret}`,
    );
    expect(await wrongCorp.json()).toMatchObject({ errcode: 40013 });
    const wrongSecret = await (
      await fetch(`${sandbox.url}/cgi-bin/gettoken?corpid=${sandbox.corpId}&corpsecret=x`)
    ).json();
    expect(wrongSecret.errcode).toBe(40001);
    // The caller here is this test process, on the loopback address.
    expect(wrongSecret.errmsg).toMatch(
      /^invalid credential, hint: \[\d+\], from ip: 127\.0\.0\.1, more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=40001$/,
    );
  });

  it('names a missing corpid (41002) or corpsecret (41004) before judging either', async () => {
    const answer = async (query: string) =>
      (await (await fetch(`${sandbox.url}/cgi-bin/gettoken?${query}`)).json()).errcode;
    expect(await answer(`corpid=${sandbox.corpId}`)).toBe(41004);
    expect(await answer(`corpid=${sandbox.corpId}&corpsecret=`)).toBe(41004);
    expect(await answer('corpid=nope')).toBe(41004);
    expect(await answer(`corpsecret=${sandbox.corpSecret}`)).toBe(41002);
  });

  it('returns the same token while it is valid, with the remaining lifetime', async () => {
    const first = await token();
    clock += 20_000;
    const response = await (
      await fetch(`${sandbox.url}/cgi-bin/gettoken?corpid=${sandbox.corpId}&corpsecret=${sandbox.corpSecret}`)
    ).json();
    expect(response.access_token).toBe(first);
    expect(response.expires_in).toBe(40);
    expect(sandbox.stats.tokensIssued).toBe(1);
  });
});

describe('protocol', () => {
  it('answers 40058 when an API is called with the wrong method, and HTTP 404 for an unknown path', async () => {
    expect((await post('/get_follow_user_list', {}, await token())).errcode).toBe(40058);
    expect((await fetch(`${sandbox.url}${API}/no_such_api`)).status).toBe(404);
  });

  it("reads a body that is not JSON as no parameters and appends WeCom's warning to errmsg", async () => {
    const live = await token();
    const send = async (path: string, body: string) =>
      (
        await fetch(`${sandbox.url}${API}${path}?access_token=${live}`, { method: 'POST', body })
      ).json() as Promise<{ errcode: number; errmsg: string }>;
    const missingMoment = await send('/get_moment_comments', '{"moment_id": "mom1", userid:}');
    expect(missingMoment.errcode).toBe(41059);
    expect(missingMoment.errmsg).toMatch(/more info at \S+\?e=41059 Warning: wrong json format\.$/);
    // Nothing required is missing: the call succeeds, and still warns.
    const served = await send('/contact_list', '[1, 2]');
    expect(served).toMatchObject({ errcode: 0, errmsg: 'ok Warning: wrong json format.' });
    const valid = await send('/contact_list', '{"limit": 1}');
    expect(valid.errmsg).toBe('ok');
    expect((await post('/get_moment_comments', { userid: 'member0001' }, live)).errcode).toBe(41059);
  });
});

describe('access tokens on API calls', () => {
  it('answers 41001 without a token, 40014 for an unknown one, 42001 once expired, 40014 once revoked', async () => {
    const noToken = await (await fetch(`${sandbox.url}${API}/get_follow_user_list`)).json();
    expect(noToken.errcode).toBe(41001);
    const unknown = await (
      await fetch(`${sandbox.url}${API}/get_follow_user_list?access_token=forged`)
    ).json();
    expect(unknown.errcode).toBe(40014);

    const live = await token();
    const ok = await (await fetch(`${sandbox.url}${API}/get_follow_user_list?access_token=${live}`)).json();
    expect(ok.errcode).toBe(0);
    clock += 61_000;
    const expired = await (
      await fetch(`${sandbox.url}${API}/get_follow_user_list?access_token=${live}`)
    ).json();
    expect(expired.errcode).toBe(42001);

    const fresh = await token();
    expect(fresh).not.toBe(live);
    sandbox.revokeTokens();
    const revoked = await (
      await fetch(`${sandbox.url}${API}/get_follow_user_list?access_token=${fresh}`)
    ).json();
    expect(revoked.errcode).toBe(40014);
  });
});

describe('limits', () => {
  it('answers 45009 once the per-minute budget is spent, until the minute has passed', async () => {
    const limited = await startCheckedSandbox({ scale: 50, rateLimitPerMinute: 3, now: () => clock });
    try {
      const live = (
        await (
          await fetch(
            `${limited.url}/cgi-bin/gettoken?corpid=${limited.corpId}&corpsecret=${limited.corpSecret}`,
          )
        ).json()
      ).access_token;
      const call = async () =>
        (await (await fetch(`${limited.url}${API}/get_follow_user_list?access_token=${live}`)).json())
          .errcode;
      expect([await call(), await call(), await call(), await call()]).toEqual([0, 0, 0, 45009]);
      clock += 30_000;
      expect(await call()).toBe(45009);
      clock += 31_000;
      expect(await call()).toBe(0);
    } finally {
      await limited.close();
    }
  });

  it('answers 45033 beyond the concurrency limit', async () => {
    const narrow = await startCheckedSandbox({
      scale: 50,
      concurrencyLimit: 2,
      faults: [{ latencyMs: 150 }],
    });
    try {
      const live = (
        await (
          await fetch(
            `${narrow.url}/cgi-bin/gettoken?corpid=${narrow.corpId}&corpsecret=${narrow.corpSecret}`,
          )
        ).json()
      ).access_token;
      const results = await Promise.all(
        Array.from(
          { length: 4 },
          async () =>
            (await (await fetch(`${narrow.url}${API}/get_follow_user_list?access_token=${live}`)).json())
              .errcode,
        ),
      );
      expect(results.filter((errcode) => errcode === 0)).toHaveLength(2);
      expect(results.filter((errcode) => errcode === 45033)).toHaveLength(2);
    } finally {
      await narrow.close();
    }
  });
});

describe('faults', () => {
  async function addFault(rule: unknown): Promise<Response> {
    return fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(rule),
    });
  }

  it('fails the next N calls with a business errcode, without applying them', async () => {
    const live = await token();
    await addFault({ path: `${API}/add_corp_tag`, errcode: -1, count: 2 });
    const add = () => post('/add_corp_tag', { group_name: 'faulty', tag: [{ name: 'x' }] }, live);
    expect([(await add()).errcode, (await add()).errcode, (await add()).errcode]).toEqual([-1, -1, 0]);
    expect(sandbox.stats.applied[`${API}/add_corp_tag`]).toBe(1);
  });

  it('applies a write and then drops the connection', async () => {
    const live = await token();
    await addFault({ path: `${API}/add_corp_tag`, drop: true, count: 1 });
    await expect(
      post('/add_corp_tag', { group_name: 'dropped', tag: [{ name: 'y' }] }, live),
    ).rejects.toThrow();
    expect(sandbox.stats.applied[`${API}/add_corp_tag`]).toBe(1);
    const groups = (await post('/get_corp_tag_list', {}, live)).tag_group as { group_name: string }[];
    expect(groups.map((group) => group.group_name)).toContain('dropped');
  });

  it('answers with a truncated body, or an HTML page with an HTTP error status', async () => {
    const live = await token();
    await addFault([{ path: `${API}/get_follow_user_list`, malformed: true, count: 1 }]);
    const malformed = await fetch(`${sandbox.url}${API}/get_follow_user_list?access_token=${live}`);
    await expect(malformed.json()).rejects.toThrow(SyntaxError);
    await addFault({ path: `${API}/get_follow_user_list`, httpStatus: 502, count: 1 });
    const gateway = await fetch(`${sandbox.url}${API}/get_follow_user_list?access_token=${live}`);
    expect(gateway.status).toBe(502);
    expect(await gateway.text()).toContain('<html>');
  });

  it('refuses a fault it does not understand, saying what is wrong', async () => {
    const response = await addFault({ errcod: -1 });
    expect(response.status).toBe(400);
    expect((await response.json()).errmsg).toContain('unknown fault field(s) errcod');
  });
});

describe('state', () => {
  it('tags: add_corp_tag -> mark_tag -> the customer carries the tag in get and batch/get_by_user', async () => {
    const live = await token();
    const added = await post('/add_corp_tag', { group_name: '活动', tag: [{ name: '双十一' }] }, live);
    const tagId = (added.tag_group as { tag: { id: string }[] }).tag[0]?.id as string;
    expect(tagId).toMatch(/^et/);
    const follow = sandbox.state.people.follows[0];
    if (!follow) throw new Error('no seeded follows');
    expect(
      (
        await post(
          '/mark_tag',
          { userid: follow.userid, external_userid: follow.external_userid, add_tag: [tagId] },
          live,
        )
      ).errcode,
    ).toBe(0);

    const detail = await (
      await fetch(`${sandbox.url}${API}/get?access_token=${live}&external_userid=${follow.external_userid}`)
    ).json();
    const tags = detail.follow_user.find((entry: { userid: string }) => entry.userid === follow.userid).tags;
    expect(tags).toContainEqual({ group_name: '活动', tag_name: '双十一', tag_id: tagId, type: 1 });

    const batch = await post('/batch/get_by_user', { userid_list: [follow.userid], limit: 100 }, live);
    const pair = (
      batch.external_contact_list as {
        external_contact: { external_userid: string };
        follow_info: { tag_id: string[] };
      }[]
    ).find((entry) => entry.external_contact.external_userid === follow.external_userid);
    expect(pair?.follow_info.tag_id).toContain(tagId);
  });

  it('moments: add_moment_task -> get_moment_task_result via jobid -> the moment is listed', async () => {
    const live = await token();
    const { jobid } = await post('/add_moment_task', { text: { content: 'hello' } }, live);
    const poll = async () =>
      (await fetch(`${sandbox.url}${API}/get_moment_task_result?access_token=${live}&jobid=${jobid}`)).json();
    expect((await poll()).status).toBe(2);
    clock += 1_000;
    const done = await poll();
    expect(done).toMatchObject({ errcode: 0, status: 3, type: 'add_moment_task' });
    const momentId = done.result.moment_id;
    const now = Math.floor(clock / 1000);
    const list = await post(
      '/get_moment_list',
      { start_time: now - 3600, end_time: now + 60, filter_type: 0 },
      live,
    );
    expect((list.moment_list as { moment_id: string }[]).map((moment) => moment.moment_id)).toContain(
      momentId,
    );
  });

  it("pages with validated cursors and applies each endpoint's rule for a limit above the maximum", async () => {
    const live = await token();
    const now = Math.floor(clock / 1000);
    const window = { start_time: now - 30 * 86_400, end_time: now };
    // get_moment_list: a limit above 20 falls back to the default (20).
    const first = await post('/get_moment_list', { ...window, limit: 50 }, live);
    expect((first.moment_list as unknown[]).length).toBeLessThanOrEqual(20);
    const forged = await post('/get_moment_list', { ...window, cursor: 'bm90LWEtY3Vyc29y' }, live);
    expect(forged.errcode).toBe(50100);
    // batch/get_by_user: a limit above 100 is clamped to 100.
    const userids = sandbox.state.people.members.slice(0, 100).map((member) => member.userid);
    const batch = await post('/batch/get_by_user', { userid_list: userids, limit: 500 }, live);
    expect((batch.external_contact_list as unknown[]).length).toBe(100);
  });
});
