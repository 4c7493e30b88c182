import { describe, expect, it } from 'vitest';
import type { Member } from './state/people';
import { useCheckedSandbox } from './testing/fixture';
import { DAY_MS } from './time';

const t = useCheckedSandbox();

type Task = { userid: string; status: number; send_time?: number };
type Row = { external_userid?: string; chat_id?: string; userid: string; status: number; send_time?: number };

const now = () => Math.floor(t.clock / 1000);
const senders = () =>
  t.sandbox.state.people.members.filter(
    (member) => member.hasCustomerContact && member.dimissionTime === undefined,
  );
const customersOf = (userid: string) =>
  (t.sandbox.state.people.followsByMember.get(userid) ?? []).map((follow) => follow.external_userid);
/** Customers followed by this member alone, so that without a sender the message goes through them. */
const onlyCustomersOf = (userid: string) =>
  customersOf(userid).filter((id) => t.sandbox.state.people.followsByCustomer.get(id)?.length === 1);

/** Moves the clock; after a long trip the old token would have expired. */
async function travel(ms: number): Promise<void> {
  t.clock += ms;
  await t.reconnect();
}

async function create(body: object): Promise<string> {
  const answer = await t.api.post<{ msgid: string }>('/add_msg_template', {
    text: { content: '会员日专享' },
    ...body,
  });
  expect(answer.errcode).toBe(0);
  return answer.msgid;
}

async function tasks(msgid: string): Promise<Task[]> {
  const answer = await t.api.post<{ task_list: Task[] }>('/get_groupmsg_task', { msgid });
  expect(answer.errcode).toBe(0);
  return answer.task_list;
}

async function sendResults(msgid: string, userid: string): Promise<Row[]> {
  const answer = await t.api.post<{ send_list: Row[] }>('/get_groupmsg_send_result', { msgid, userid });
  expect(answer.errcode).toBe(0);
  return answer.send_list;
}

describe('mass messages', () => {
  it('creates a task per sending member with a row per customer; unknown ids come back in fail_list', async () => {
    const [one, two] = senders() as [Member, Member];
    const chosen = [...onlyCustomersOf(one.userid).slice(0, 3), ...onlyCustomersOf(two.userid).slice(0, 2)];
    const answer = await t.api.post<{ msgid: string; fail_list: string[] }>('/add_msg_template', {
      external_userid: [...chosen, 'wmUNKNOWNSANDBOX'],
      text: { content: '新品到店' },
      attachments: [
        {
          msgtype: 'link',
          link: { title: '详情', url: 'https://example.com' },
          image: { media_id: 'ignored' },
        },
      ],
    });
    expect(answer).toMatchObject({ errcode: 0, fail_list: ['wmUNKNOWNSANDBOX'] });
    // Right after creation the message is still being dispatched.
    expect((await t.api.post('/get_groupmsg_task', { msgid: answer.msgid })).errcode).toBe(41063);
    await travel(1_000);
    const list = await tasks(answer.msgid);
    expect(list.map((task) => task.userid).sort()).toEqual([one.userid, two.userid].sort());
    expect(list.every((task) => task.status === 0 && task.send_time === undefined)).toBe(true);
    const rows = await sendResults(answer.msgid, one.userid);
    expect(rows.map((row) => row.external_userid)).toEqual(chosen.slice(0, 3));
    expect(rows.every((row) => row.status === 0 && row.userid === one.userid)).toBe(true);

    const window = { chat_type: 'single', start_time: now() - 60, end_time: now() + 60 };
    const listed = await t.api.post<{ group_msg_list: Record<string, unknown>[] }>(
      '/get_groupmsg_list_v2',
      window,
    );
    expect(listed.group_msg_list).toContainEqual({
      msgid: answer.msgid,
      create_time: now() - 1,
      create_type: 0,
      text: { content: '新品到店' },
      attachments: [{ msgtype: 'link', link: { title: '详情', url: 'https://example.com' } }],
    });
    const v1 = await t.api.post<{ group_msg_list: Record<string, unknown>[] }>('/get_groupmsg_list', window);
    expect(v1.group_msg_list.find((message) => message.msgid === answer.msgid)).toMatchObject({
      link: { title: '详情', url: 'https://example.com' },
    });
    const flat = await t.api.post<{ detail_list: Row[] }>('/get_group_msg_result', { msgid: answer.msgid });
    expect(flat.detail_list).toHaveLength(chosen.length);
  });

  it('members send over the next day and a half: tasks turn to 2 and results to 1-3', async () => {
    const chosen = senders().flatMap((member) => customersOf(member.userid).slice(0, 2));
    const msgid = await create({ external_userid: chosen });
    await travel(2 * DAY_MS);
    const list = await tasks(msgid);
    expect(list.some((task) => task.status === 2)).toBe(true);
    for (const task of list) {
      const rows = await sendResults(msgid, task.userid);
      if (task.status === 0) {
        expect(rows.every((row) => row.status === 0)).toBe(true);
        continue;
      }
      expect(task.send_time).toBeGreaterThan(now() - 2 * 86_400);
      for (const row of rows) {
        expect([1, 2, 3]).toContain(row.status);
        expect(row.send_time === undefined).toBe(row.status !== 1);
      }
    }
  });

  it('a customer gets one mass message per day: the second one is capped (status 3) once sent', async () => {
    const member = senders()[0] as Member;
    const customer = customersOf(member.userid)[0] as string;
    await create({ sender: member.userid, external_userid: [customer] });
    const second = await create({ sender: member.userid, external_userid: [customer] });
    await travel(2 * DAY_MS);
    const [task] = await tasks(second);
    const rows = await sendResults(second, member.userid);
    expect(rows.map((row) => row.status)).toEqual([task?.status === 2 ? 3 : 0]);
  });

  it("group sends target the sender's chats and list rows only once sent", async () => {
    const owner = t.sandbox.state.groupChats.chats[0]?.owner as string;
    const owned = t.sandbox.state.groupChats.chats
      .filter((chat) => chat.owner === owner)
      .map((chat) => chat.chat_id);
    expect(
      (await t.api.post('/add_msg_template', { chat_type: 'group', text: { content: 'hi' } })).errcode,
    ).toBe(40058);
    const msgid = await create({ chat_type: 'group', sender: owner, chat_id_list: owned.slice(0, 1) });
    await travel(1_000);
    expect(await sendResults(msgid, owner)).toEqual([]);
    await travel(2 * DAY_MS);
    const [task] = await tasks(msgid);
    const rows = await sendResults(msgid, owner);
    expect(rows).toEqual(
      task?.status === 2 ? [{ chat_id: owned[0], userid: owner, status: 1, send_time: task.send_time }] : [],
    );
  });

  it('remind: three times in 24 hours, then 41094 until the day has passed', async () => {
    const member = senders()[0] as Member;
    const msgid = await create({ sender: member.userid });
    const remind = async () => (await t.api.post('/remind_groupmsg_send', { msgid })).errcode;
    expect([await remind(), await remind(), await remind(), await remind()]).toEqual([0, 0, 0, 41094]);
    await travel(DAY_MS + 1_000);
    expect(await remind()).toBe(0);
    expect((await t.api.post('/remind_groupmsg_send', { msgid: 'msgUNKNOWN' })).errcode).toBe(41047);
  });

  it('cancel stops the members who have not sent; later calls about it answer 41093', async () => {
    const chosen = senders().flatMap((member) => customersOf(member.userid).slice(0, 1));
    const msgid = await create({ external_userid: chosen });
    expect((await t.api.post('/cancel_groupmsg_send', { msgid })).errcode).toBe(0);
    await travel(3 * DAY_MS);
    expect((await tasks(msgid)).every((task) => task.status === 0)).toBe(true);
    expect((await t.api.post('/cancel_groupmsg_send', { msgid })).errcode).toBe(41093);
    expect((await t.api.post('/remind_groupmsg_send', { msgid })).errcode).toBe(41093);
  });

  it('answers the documented errors: 41048, 41065, 41047, 41063, and 40058 without content', async () => {
    const member = senders()[0] as Member;
    const nobody = await t.api.post('/add_msg_template', {
      external_userid: ['wmUNKNOWNSANDBOX'],
      text: { content: 'x' },
    });
    expect(nobody.errcode).toBe(41048);
    const mismatched = await t.api.post('/add_msg_template', {
      sender: member.userid,
      attachments: [{ msgtype: 'video' }],
    });
    expect(mismatched.errcode).toBe(41065);
    expect((await t.api.post('/add_msg_template', { sender: member.userid })).errcode).toBe(40058);
    for (const path of ['/get_groupmsg_task', '/get_group_msg_result']) {
      expect((await t.api.post(path, { msgid: 'msgUNKNOWN' })).errcode).toBe(41047);
    }
    expect(
      (await t.api.post('/get_groupmsg_send_result', { msgid: 'msgUNKNOWN', userid: member.userid })).errcode,
    ).toBe(41047);
    const msgid = await create({ sender: member.userid });
    const window = { chat_type: 'single', start_time: now() - 60, end_time: now() + 60 };
    for (const path of ['/get_groupmsg_list_v2', '/get_groupmsg_list'])
      expect((await t.api.post(path, window)).errcode).toBe(41063);
    expect((await t.api.post('/get_groupmsg_send_result', { msgid, userid: member.userid })).errcode).toBe(
      41063,
    );
  });

  it('lists seeded history by creator type, page by page', async () => {
    const window = { chat_type: 'single', start_time: now() - 30 * 86_400, end_time: now() };
    const seen: { msgid: string; create_type: number; creator?: string }[] = [];
    let cursor = '';
    do {
      const page = await t.api.post<{ group_msg_list: typeof seen; next_cursor?: string }>(
        '/get_groupmsg_list_v2',
        {
          ...window,
          filter_type: 1,
          limit: 3,
          cursor,
        },
      );
      seen.push(...page.group_msg_list);
      cursor = page.next_cursor ?? '';
    } while (cursor !== '');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((message) => message.create_type === 1 && message.creator !== undefined)).toBe(true);
    expect(new Set(seen.map((message) => message.msgid)).size).toBe(seen.length);
  });
});
