import { describe, expect, it } from 'vitest';
import { addLink, MAX_ACQUISITION_LINKS } from './state/acquisition';
import { useCheckedSandbox } from './testing/fixture';
import { DAY, dayStart } from './time';

const t = useCheckedSandbox();

const now = () => Math.floor(t.clock / 1000);
const members = () => t.sandbox.state.people.members.filter((member) => member.hasCustomerContact);
type LinkDetail = {
  link: { link_name: string; url: string; skip_verify: boolean };
  range: { user_list: string[]; department_list: number[] };
  priority_option?: { priority_type: number; priority_userid_list?: string[] };
};

/** The seeded link that brought the most customers. */
function busiestLink() {
  const book = t.sandbox.state.acquisition;
  return [...book.links].sort(
    (a, b) =>
      (book.customersByLink.get(b.link_id)?.length ?? 0) - (book.customersByLink.get(a.link_id)?.length ?? 0),
  )[0] as (typeof book.links)[number];
}

describe('acquisition links', () => {
  it('create -> get -> list -> update -> delete, each write visible to the reads', async () => {
    const [first, second] = members();
    const created = await t.api.post<{
      link: { link_id: string; link_name: string; url: string; create_time: number };
    }>('/customer_acquisition/create_link', { link_name: '春季投放', range: { user_list: [first?.userid] } });
    expect(created.errcode).toBe(0);
    const linkId = created.link.link_id;
    expect(created.link).toMatchObject({ link_name: '春季投放', create_time: now() });
    expect(created.link.url).toContain(linkId);

    const detail = await t.api.post<LinkDetail>('/customer_acquisition/get', { link_id: linkId });
    expect(detail.link).toEqual({
      link_name: '春季投放',
      url: created.link.url,
      create_time: now(),
      skip_verify: true,
    });
    expect(detail.range).toEqual({ user_list: [first?.userid], department_list: [] });

    const listed = await t.api.post<{ link_id_list: string[] }>('/customer_acquisition/list_link', {
      limit: 100,
    });
    expect(listed.link_id_list).toContain(linkId);

    const update = {
      link_id: linkId,
      link_name: '夏季投放',
      range: { user_list: [second?.userid], department_list: [1] },
      skip_verify: false,
      priority_option: { priority_type: 2, priority_userid_list: [first?.userid] },
    };
    expect((await t.api.post('/customer_acquisition/update_link', update)).errcode).toBe(0);
    const updated = await t.api.post<LinkDetail>('/customer_acquisition/get', { link_id: linkId });
    expect(updated.link).toMatchObject({ link_name: '夏季投放', skip_verify: false, url: created.link.url });
    // The range is replaced, not merged.
    expect(updated.range).toEqual({ user_list: [second?.userid], department_list: [1] });
    expect(updated.priority_option).toEqual({ priority_type: 2, priority_userid_list: [first?.userid] });

    expect((await t.api.post('/customer_acquisition/delete_link', { link_id: linkId })).errcode).toBe(0);
    expect((await t.api.post('/customer_acquisition/get', { link_id: linkId })).errcode).toBe(40058);
    expect((await t.api.post('/customer_acquisition/delete_link', { link_id: linkId })).errcode).toBe(40058);
    expect((await t.api.post('/customer_acquisition/update_link', update)).errcode).toBe(40058);
    const after = await t.api.post<{ link_id_list: string[] }>('/customer_acquisition/list_link', {
      limit: 100,
    });
    expect(after.link_id_list).not.toContain(linkId);
  });

  it('refuses an empty range, unknown members or departments, and a refused update changes nothing', async () => {
    const create = (range: unknown) =>
      t.api.post('/customer_acquisition/create_link', { link_name: 'x', range });
    expect((await create({})).errcode).toBe(40058);
    expect((await create({ user_list: ['nobody'] })).errcode).toBe(40003);
    expect((await create({ department_list: [999] })).errcode).toBe(40066);
    const userid = members()[0]?.userid;
    const priority = { priority_type: 2 };
    const noPriorityList = await t.api.post('/customer_acquisition/create_link', {
      link_name: 'x',
      range: { user_list: [userid] },
      priority_option: priority,
    });
    expect(noPriorityList.errcode).toBe(40058);
    const tooLong = await t.api.post('/customer_acquisition/create_link', {
      link_name: 'x'.repeat(31),
      range: { user_list: [userid] },
    });
    expect(tooLong.errcode).toBe(40058);

    const link = busiestLink();
    const before = await t.api.post<LinkDetail>('/customer_acquisition/get', { link_id: link.link_id });
    const refused = await t.api.post('/customer_acquisition/update_link', {
      link_id: link.link_id,
      link_name: 'renamed',
      range: { user_list: ['nobody'] },
    });
    expect(refused.errcode).toBe(40003);
    expect(await t.api.post<LinkDetail>('/customer_acquisition/get', { link_id: link.link_id })).toEqual(
      before,
    );
  });

  it('answers 41095 once the corporation holds the maximum number of links', async () => {
    const book = t.sandbox.state.acquisition;
    const template = book.links[0];
    if (!template) throw new Error('no seeded links');
    while (book.links.length < MAX_ACQUISITION_LINKS) {
      const { link_id: _id, url: _url, ...fields } = template;
      addLink(book, fields);
    }
    const range = { user_list: template.range.user_list };
    expect(
      (await t.api.post('/customer_acquisition/create_link', { link_name: 'one too many', range })).errcode,
    ).toBe(41095);
    await t.api.post('/customer_acquisition/delete_link', { link_id: template.link_id });
    expect(
      (await t.api.post('/customer_acquisition/create_link', { link_name: 'fits again', range })).errcode,
    ).toBe(0);
  });

  it('pages through the link ids with cursors and refuses a forged cursor', async () => {
    const seen: string[] = [];
    let cursor = '';
    do {
      const page = await t.api.post<{ link_id_list: string[]; next_cursor?: string }>(
        '/customer_acquisition/list_link',
        {
          limit: 2,
          cursor,
        },
      );
      expect(page.errcode).toBe(0);
      seen.push(...page.link_id_list);
      cursor = page.next_cursor ?? '';
    } while (cursor !== '');
    expect(seen).toEqual(t.sandbox.state.acquisition.links.map((link) => link.link_id));
    expect((await t.api.post('/customer_acquisition/list_link', { cursor: 'forged' })).errcode).toBe(50100);
  });
});

describe('acquired customers', () => {
  it('lists who came through a link, consistent with the customer detail (add_way 16, state)', async () => {
    const link = busiestLink();
    const expected = t.sandbox.state.acquisition.customersByLink.get(link.link_id) ?? [];
    expect(expected.length).toBeGreaterThan(2);
    const customers: { external_userid: string; userid: string; chat_status: number; state?: string }[] = [];
    let cursor = '';
    do {
      const page = await t.api.post<{ customer_list: typeof customers; next_cursor: string }>(
        '/customer_acquisition/customer',
        {
          link_id: link.link_id,
          limit: 2,
          cursor,
        },
      );
      customers.push(...page.customer_list);
      cursor = page.next_cursor;
    } while (cursor !== '');
    expect(customers.map((customer) => customer.external_userid)).toEqual(
      expected.map((customer) => customer.external_userid),
    );

    // A customer later transferred to another member keeps the member they added through the link here.
    const stillServed = (customer: (typeof customers)[number]) =>
      t.sandbox.state.people.followsByCustomer
        .get(customer.external_userid)
        ?.some((f) => f.userid === customer.userid);
    const sample = customers.find(stillServed) as (typeof customers)[number];
    const detail = await t.api.get<{ follow_user: { userid: string; add_way: number; state?: string }[] }>(
      '/get',
      {
        external_userid: sample.external_userid,
      },
    );
    const follow = detail.follow_user.find((entry) => entry.userid === sample.userid);
    expect(follow?.add_way).toBe(16);
    expect(follow?.state).toBe(sample.state);
  });

  it('a new link has brought nobody yet; an unknown link is refused', async () => {
    const created = await t.api.post<{ link: { link_id: string } }>('/customer_acquisition/create_link', {
      link_name: 'fresh',
      range: { department_list: [2] },
    });
    const page = await t.api.post('/customer_acquisition/customer', { link_id: created.link.link_id });
    expect(page).toMatchObject({ errcode: 0, customer_list: [], next_cursor: '' });
    expect((await t.api.post('/customer_acquisition/customer', { link_id: 'cawcde_nope' })).errcode).toBe(
      40058,
    );
  });
});

describe('statistics, quota and chat info', () => {
  it('counts clicks and new customers per whole Beijing day, both bounds included', async () => {
    const link = busiestLink();
    const end = now();
    const start = end - 29 * DAY;
    const inWindow = (time: number) => dayStart(time) >= dayStart(start) && dayStart(time) <= dayStart(end);
    const expected = (t.sandbox.state.acquisition.customersByLink.get(link.link_id) ?? []).filter(
      (customer) => inWindow(customer.addTime),
    ).length;
    const stats = await t.api.post<{ click_link_customer_cnt: number; new_customer_cnt: number }>(
      '/customer_acquisition/statistic',
      { link_id: link.link_id, start_time: start, end_time: end },
    );
    expect(stats.new_customer_cnt).toBe(expected);
    expect(stats.click_link_customer_cnt).toBeGreaterThanOrEqual(expected);

    // Two timestamps inside one day count that whole day.
    const today = await t.api.post<{ click_link_customer_cnt: number }>('/customer_acquisition/statistic', {
      link_id: link.link_id,
      start_time: dayStart(end),
      end_time: dayStart(end) + 60,
    });
    expect(today.click_link_customer_cnt).toBe(
      t.sandbox.state.acquisition.clicksByLink.get(link.link_id)?.get(dayStart(end)) ?? 0,
    );
  });

  it('refuses windows over 30 days, older than 180 days, and unknown links', async () => {
    const link = busiestLink();
    const statistic = (start: number, end: number, linkId = link.link_id) =>
      t.api.post('/customer_acquisition/statistic', { link_id: linkId, start_time: start, end_time: end });
    expect((await statistic(now() - 40 * DAY, now())).errcode).toBe(40058);
    expect((await statistic(now() - 200 * DAY, now() - 190 * DAY)).errcode).toBe(40058);
    expect((await statistic(now() - DAY, now(), 'cawcde_nope')).errcode).toBe(40058);
  });

  it('reports the quota used by acquired customers and lets batches lapse after their expiry day', async () => {
    const quota = await t.api.get<{
      total: number;
      balance: number;
      quota_list: { expire_date: number; balance: number }[];
    }>('/customer_acquisition_quota');
    expect(quota.total).toBe(t.sandbox.state.acquisition.customers.length);
    expect(quota.balance).toBe(quota.quota_list.reduce((sum, batch) => sum + batch.balance, 0));
    const first = quota.quota_list[0] as { expire_date: number; balance: number };

    t.clock = (first.expire_date + DAY + 60) * 1000;
    await t.reconnect();
    const later = await t.api.get<{ balance: number; quota_list: unknown[] }>('/customer_acquisition_quota');
    expect(later.quota_list).toHaveLength(quota.quota_list.length - 1);
    expect(later.balance).toBe(quota.balance - first.balance);

    t.sandbox.revokeTokens();
    expect((await t.api.get('/customer_acquisition_quota')).errcode).toBe(40014);
  });

  it('resolves a ChatKey for 30 minutes after its callback, and refuses unknown or expired keys', async () => {
    const keys = [...t.sandbox.state.acquisition.chatKeys.values()];
    const fresh = keys.find((key) => now() - key.issuedAt < 20 * 60);
    const stale = keys.find((key) => now() - key.issuedAt > 30 * 60);
    if (!fresh || !stale) throw new Error('the seed should hold fresh and expired chat keys');

    const info = await t.api.post('/customer_acquisition/get_chat_info', { chat_key: fresh.chat_key });
    expect(info).toMatchObject({
      errcode: 0,
      userid: fresh.customer.userid,
      external_userid: fresh.customer.external_userid,
      chat_info: { recv_msg_cnt: fresh.recv_msg_cnt, link_id: fresh.customer.link_id },
    });
    expect(
      (await t.api.post('/customer_acquisition/get_chat_info', { chat_key: stale.chat_key })).errcode,
    ).toBe(40058);
    expect((await t.api.post('/customer_acquisition/get_chat_info', { chat_key: 'CK_nope' })).errcode).toBe(
      40058,
    );

    t.clock += 31 * 60 * 1000;
    expect(
      (await t.api.post('/customer_acquisition/get_chat_info', { chat_key: fresh.chat_key })).errcode,
    ).toBe(40058);
  });
});
