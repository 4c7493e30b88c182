import { describe, expect, it } from 'vitest';
import { useCheckedSandbox } from './testing/fixture';

const t = useCheckedSandbox({ scale: 400 });

const follow = () => {
  const first = t.sandbox.state.people.follows[0];
  if (!first) throw new Error('no seeded follows');
  return first;
};

describe('customers', () => {
  it("list: a member's customers; an unknown member is 40003", async () => {
    const { userid } = follow();
    const listed = await t.api.get<{ external_userid: string[] }>('/list', { userid });
    const expected = t.sandbox.state.people.followsByMember
      .get(userid)
      ?.map((entry) => entry.external_userid);
    expect(listed.external_userid).toEqual(expected);
    expect((await t.api.get('/list', { userid: 'nobody' })).errcode).toBe(40003);
  });

  it('get: the customer and every follower; an unknown customer is 40096', async () => {
    const { external_userid } = follow();
    const detail = await t.api.get<{ follow_user: { userid: string }[] }>('/get', { external_userid });
    expect(detail.follow_user.map((entry) => entry.userid)).toEqual(
      t.sandbox.state.people.followsByCustomer.get(external_userid)?.map((entry) => entry.userid),
    );
    expect((await t.api.get('/get', { external_userid: 'wmNobody' })).errcode).toBe(40096);
  });

  it('batch/get_by_user needs a userid_list (or the legacy userid), and refuses unknown members', async () => {
    expect((await t.api.post('/batch/get_by_user', {})).errcode).toBe(40058);
    expect((await t.api.post('/batch/get_by_user', { userid_list: ['nobody'] })).errcode).toBe(40003);
    expect((await t.api.post('/batch/get_by_user', { userid: 'nobody' })).errcode).toBe(40003);
    const { userid } = follow();
    const listed = await t.api.post('/batch/get_by_user', { userid_list: [userid], limit: 100 });
    const legacy = await t.api.post('/batch/get_by_user', { userid, limit: 100 });
    expect(legacy.errcode).toBe(0);
    expect(legacy.external_contact_list).toEqual(listed.external_contact_list);
  });

  it('remark changes what get returns; it needs one field to change and an existing relation', async () => {
    const { userid, external_userid } = follow();
    const updated = await t.api.post('/remark', {
      userid,
      external_userid,
      remark: '老朋友',
      description: 'met at expo',
    });
    expect(updated.errcode).toBe(0);
    const detail = await t.api.get<{
      follow_user: { userid: string; remark: string; description: string }[];
    }>('/get', {
      external_userid,
    });
    expect(detail.follow_user.find((entry) => entry.userid === userid)).toMatchObject({
      remark: '老朋友',
      description: 'met at expo',
    });
    expect((await t.api.post('/remark', { userid, external_userid })).errcode).toBe(40058);
    const stranger = t.sandbox.state.people.members.find(
      (member) =>
        !t.sandbox.state.people.followsByCustomer
          .get(external_userid)
          ?.some((entry) => entry.userid === member.userid),
    );
    expect(
      (await t.api.post('/remark', { userid: stranger?.userid, external_userid, remark: 'x' })).errcode,
    ).toBe(84061);
  });

  it('contact_list pages through every relation; a forged cursor is 50100', async () => {
    const first = await t.api.post<{ info_list: unknown[]; next_cursor: string }>('/contact_list', {
      limit: 100,
    });
    expect(first.info_list).toHaveLength(100);
    const second = await t.api.post<{ info_list: unknown[] }>('/contact_list', {
      limit: 100,
      cursor: first.next_cursor,
    });
    expect(second.info_list).toHaveLength(100);
    expect((await t.api.post('/contact_list', { cursor: 'forged' })).errcode).toBe(50100);
  });

  it('contact_list also shows served people who are not customers, masked, as the page describes', async () => {
    type Row = {
      is_customer: boolean;
      name?: string;
      external_userid?: string;
      chat_id?: string;
      chat_name?: string;
    };
    const rows: Row[] = [];
    let cursor = '';
    do {
      const page = await t.api.post<{ info_list: Row[]; next_cursor: string }>('/contact_list', { cursor });
      rows.push(...page.info_list);
      cursor = page.next_cursor;
    } while (cursor !== '');
    const { people, otherContacts, groupChats } = t.sandbox.state;
    expect(rows).toHaveLength(people.follows.length + otherContacts.length + groupChats.guests.size);
    const others = rows.filter((row) => !row.is_customer);
    expect(others.length).toBeGreaterThan(0);
    for (const row of others) {
      expect(row.name).toMatch(/^\*\*\*.$/u);
      expect(row).not.toHaveProperty('external_userid');
    }
    // Added but never marked, met in an unmarked group (chat_name), met in a customer group (chat_id).
    expect(others.some((row) => row.chat_name === undefined && row.chat_id === undefined)).toBe(true);
    expect(others.some((row) => row.chat_name !== undefined)).toBe(true);
    expect(others.some((row) => row.chat_id !== undefined)).toBe(true);
    for (const row of rows.filter((candidate) => candidate.is_customer)) {
      expect(row).not.toHaveProperty('name');
    }
  });
});

describe('corp tags', () => {
  it('get_corp_tag_list filters by group; a malformed filter is 40058', async () => {
    const group = t.sandbox.state.tags.groups[0];
    const listed = await t.api.post<{ tag_group: { group_id: string }[] }>('/get_corp_tag_list', {
      group_id: [group?.group_id],
    });
    expect(listed.tag_group.map((entry) => entry.group_id)).toEqual([group?.group_id]);
    expect((await t.api.post('/get_corp_tag_list', { group_id: 'not-a-list' })).errcode).toBe(40058);
  });

  it('edit renames a tag; an unknown id is 40068', async () => {
    const tag = t.sandbox.state.tags.groups[0]?.tag[0];
    expect((await t.api.post('/edit_corp_tag', { id: tag?.id, name: '超级VIP' })).errcode).toBe(0);
    const listed = await t.api.post<{ tag_group: { tag: { id: string; name: string }[] }[] }>(
      '/get_corp_tag_list',
      {},
    );
    expect(listed.tag_group.flatMap((group) => group.tag).find((entry) => entry.id === tag?.id)?.name).toBe(
      '超级VIP',
    );
    expect((await t.api.post('/edit_corp_tag', { id: 'etNope', name: 'x' })).errcode).toBe(40068);
  });

  it('delete removes the tag from the library and from customers; nothing to delete is 40058', async () => {
    const { userid, external_userid } = follow();
    const tagId = t.sandbox.state.tags.groups[1]?.tag[0]?.id as string;
    await t.api.post('/mark_tag', { userid, external_userid, add_tag: [tagId] });
    expect((await t.api.post('/del_corp_tag', { tag_id: [tagId] })).errcode).toBe(0);
    const batch = await t.api.post<{ external_contact_list: { follow_info: { tag_id: string[] } }[] }>(
      '/batch/get_by_user',
      { userid_list: [userid], limit: 100 },
    );
    expect(batch.external_contact_list.flatMap((pair) => pair.follow_info.tag_id)).not.toContain(tagId);
    expect((await t.api.post('/del_corp_tag', {})).errcode).toBe(40058);
  });

  it('mark_tag refuses unknown tags (40068)', async () => {
    const { userid, external_userid } = follow();
    expect((await t.api.post('/mark_tag', { userid, external_userid, add_tag: ['etNope'] })).errcode).toBe(
      40068,
    );
  });
});

describe('moments', () => {
  const moment = () => {
    const enterprise = t.sandbox.state.moments.moments.find(
      (entry) => entry.create_type === 0 && entry.tasks.length > 1,
    );
    if (!enterprise) throw new Error('no enterprise moment seeded');
    return enterprise;
  };

  it('get_moment_task lists the members asked to publish; a missing moment_id is 41059', async () => {
    const target = moment();
    const tasks = await t.api.post<{ task_list: { userid: string }[] }>('/get_moment_task', {
      moment_id: target.moment_id,
    });
    expect(tasks.task_list.map((task) => task.userid)).toEqual(target.tasks.map((task) => task.userid));
    expect((await t.api.post('/get_moment_task', {})).errcode).toBe(41059);
  });

  it('customer list, send result and comments follow the member; another member is 41061', async () => {
    const target = moment();
    const published = target.tasks.find((task) => task.publish_status === 1) ?? target.tasks[0];
    target.tasks = target.tasks.map((task) => (task === published ? { ...task, publish_status: 1 } : task));
    const userid = published?.userid as string;
    const audience = await t.api.post<{ customer_list: unknown[] }>('/get_moment_customer_list', {
      moment_id: target.moment_id,
      userid,
    });
    expect(audience.customer_list).toHaveLength(target.audience.get(userid)?.length ?? -1);
    const visible = await t.api.post('/get_moment_send_result', { moment_id: target.moment_id, userid });
    expect(visible.errcode).toBe(0);
    const comments = await t.api.post<{ comment_list: unknown[]; like_list: unknown[] }>(
      '/get_moment_comments',
      {
        moment_id: target.moment_id,
        userid,
      },
    );
    expect(comments.like_list).toHaveLength(target.likes.length);
    for (const path of ['/get_moment_customer_list', '/get_moment_send_result', '/get_moment_comments']) {
      expect((await t.api.post(path, { moment_id: target.moment_id, userid: 'nobody' })).errcode).toBe(41061);
    }
  });

  it('cancel stops unpublished tasks; a member moment is 41067 and an unknown jobid 40058', async () => {
    const target = moment();
    expect((await t.api.post('/cancel_moment_task', { moment_id: target.moment_id })).errcode).toBe(0);
    expect(target.tasks.every((task) => task.publish_status === 1)).toBe(true);
    const personal = t.sandbox.state.moments.moments.find((entry) => entry.create_type === 1);
    expect((await t.api.post('/cancel_moment_task', { moment_id: personal?.moment_id })).errcode).toBe(41067);
    expect((await t.api.get('/get_moment_task_result', { jobid: 'nope' })).errcode).toBe(40058);
  });

  it('add_moment_task is limited to 10 calls a minute (45009)', async () => {
    const results = [];
    for (let call = 0; call < 11; call++) {
      results.push((await t.api.post('/add_moment_task', { text: { content: `post ${call}` } })).errcode);
    }
    expect(results.slice(0, 10).every((errcode) => errcode === 0)).toBe(true);
    expect(results[10]).toBe(45009);
  });

  it('get_moment_list refuses a window over 30 days (40058)', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(
      (await t.api.post('/get_moment_list', { start_time: now - 31 * 86_400, end_time: now })).errcode,
    ).toBe(40058);
  });
});
