import { describe, expect, it } from 'vitest';
import type { Member } from './state/people';
import { connect } from './testing/api';
import { startCheckedSandbox } from './testing/fidelity';
import { useCheckedSandbox } from './testing/fixture';
import { DAY, dayStart } from './time';

const t = useCheckedSandbox();

type Behavior = { stat_time: number; chat_cnt: number; new_contact_cnt: number; reply_percentage?: number };
type ChatData = { new_chat_cnt: number; chat_total: number; member_total: number; new_member_cnt: number };

const today = () => dayStart(Math.floor(t.clock / 1000));
const active = () => t.sandbox.state.people.members.filter((member) => member.hasCustomerContact);

describe('member behaviour statistics', () => {
  it('answers one row per day of a closed window, the same every time, with contacts added from the follow relations', async () => {
    const member = active()[0] as Member;
    const window = {
      userid: [member.userid],
      start_time: today() - 9 * DAY + 3_600,
      end_time: today() - DAY + 60,
    };
    const first = await t.api.post<{ behavior_data: Behavior[] }>('/get_user_behavior_data', window);
    expect(first.errcode).toBe(0);
    expect(first.behavior_data.map((row) => row.stat_time)).toEqual(
      Array.from({ length: 9 }, (_, index) => today() - (9 - index) * DAY),
    );
    expect(await t.api.post('/get_user_behavior_data', window)).toEqual(first);
    const follows = t.sandbox.state.people.followsByMember.get(member.userid) ?? [];
    for (const row of first.behavior_data) {
      const added = follows.filter(
        (follow) => follow.createtime >= row.stat_time && follow.createtime < row.stat_time + DAY,
      );
      expect(row.new_contact_cnt).toBe(added.length);
    }
    expect(first.behavior_data.some((row) => row.reply_percentage !== undefined)).toBe(true);
  });

  it('aggregates members and departments into one row per day', async () => {
    const [one, two] = active() as [Member, Member];
    const window = { start_time: today() - 3 * DAY, end_time: today() - DAY };
    const rows = async (body: object) =>
      (await t.api.post<{ behavior_data: Behavior[] }>('/get_user_behavior_data', { ...window, ...body }))
        .behavior_data;
    const [a, b, both] = [
      await rows({ userid: [one.userid] }),
      await rows({ userid: [two.userid] }),
      await rows({ userid: [one.userid, two.userid] }),
    ];
    expect(both.map((row) => row.chat_cnt)).toEqual(
      a.map((row, index) => row.chat_cnt + (b[index]?.chat_cnt ?? 0)),
    );
    const department = one.department[0] as number;
    const colleagues = active().filter((member) => member.department.includes(department));
    const perMember = await Promise.all(colleagues.map((member) => rows({ userid: [member.userid] })));
    const byParty = await rows({ partyid: [department] });
    expect(byParty.map((row) => row.chat_cnt)).toEqual(
      byParty.map((_, day) =>
        perMember.reduce((sum, memberRows) => sum + (memberRows[day]?.chat_cnt ?? 0), 0),
      ),
    );
  });

  it('refuses windows outside the last 180 days (600018) and unknown members (60011) or departments (60123)', async () => {
    const member = (active()[0] as Member).userid;
    const old = { userid: [member], start_time: today() - 200 * DAY, end_time: today() - 190 * DAY };
    expect((await t.api.post('/get_user_behavior_data', old)).errcode).toBe(600018);
    const recent = { start_time: today() - 2 * DAY, end_time: today() - DAY };
    expect((await t.api.post('/get_user_behavior_data', { ...recent, userid: ['nobody'] })).errcode).toBe(
      60011,
    );
    expect((await t.api.post('/get_user_behavior_data', { ...recent, partyid: [999] })).errcode).toBe(60123);
  });
});

describe('group chat statistics', () => {
  const owners = () => [...new Set(t.sandbox.state.groupChats.chats.map((chat) => chat.owner))];

  it('by owner: running totals from the group chats, sorted, paged by offset', async () => {
    const filter = { owner_filter: { userid_list: owners() } };
    const window = { day_begin_time: today() - 7 * DAY, day_end_time: today() - DAY, ...filter };
    const all = await t.api.post<{
      items: { owner: string; data: ChatData }[];
      total: number;
      next_offset: number;
    }>('/groupchat/statistic', { ...window, order_by: 2, order_asc: 1 });
    expect(all).toMatchObject({ errcode: 0, total: owners().length, next_offset: owners().length });
    const totals = all.items.map((row) => row.data.chat_total);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    for (const { owner, data } of all.items) {
      const owned = t.sandbox.state.groupChats.chats.filter(
        (chat) => chat.owner === owner && chat.create_time < today(),
      );
      expect(data.chat_total).toBe(owned.length);
    }
    const page = await t.api.post<{ items: unknown[]; next_offset: number }>('/groupchat/statistic', {
      ...window,
      offset: 1,
      limit: 2,
    });
    expect(page.items).toHaveLength(2);
    expect(page.next_offset).toBe(3);
  });

  it('by day: one row per day whose totals never shrink, and an owner change moves the chat', async () => {
    const owner = owners()[0] as string;
    const window = { day_begin_time: today() - 5 * DAY, day_end_time: today() - DAY };
    const byDay = async (userid: string) =>
      (
        await t.api.post<{ items: { stat_time: number; data: ChatData }[] }>(
          '/groupchat/statistic_group_by_day',
          {
            ...window,
            owner_filter: { userid_list: [userid] },
          },
        )
      ).items;
    const before = await byDay(owner);
    expect(before.map((row) => row.stat_time)).toEqual([5, 4, 3, 2, 1].map((back) => today() - back * DAY));
    const totals = before.map((row) => row.data.member_total);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));

    const chat = t.sandbox.state.groupChats.chats.find(
      (candidate) => candidate.owner === owner && candidate.create_time < today() - 5 * DAY,
    );
    const newOwner = active().find(
      (member) => member.userid !== owner && member.dimissionTime === undefined,
    ) as Member;
    const moved = await t.api.post('/groupchat/onjob_transfer', {
      chat_id_list: [chat?.chat_id],
      new_owner: newOwner.userid,
    });
    expect(moved).toMatchObject({ errcode: 0, failed_chat_list: [] });
    const after = await byDay(owner);
    expect(after.map((row) => row.data.chat_total)).toEqual(before.map((row) => row.data.chat_total - 1));
  });

  it('refuses today (600018) and unknown owners (40003); without owner_filter a corp over 1,000 people gets 81017', async () => {
    const filter = { owner_filter: { userid_list: owners().slice(0, 1) } };
    expect((await t.api.post('/groupchat/statistic', { day_begin_time: today(), ...filter })).errcode).toBe(
      600018,
    );
    expect(
      (await t.api.post('/groupchat/statistic_group_by_day', { day_begin_time: today(), ...filter })).errcode,
    ).toBe(600018);
    const unknown = { day_begin_time: today() - DAY, owner_filter: { userid_list: ['nobody'] } };
    expect((await t.api.post('/groupchat/statistic', unknown)).errcode).toBe(40003);
    // A filter needs userid_list or the legacy partyid_list; departments count their members' chats.
    const empty = { day_begin_time: today() - DAY, owner_filter: {} };
    expect((await t.api.post('/groupchat/statistic', empty)).errcode).toBe(40058);
    const byParty = await t.api.post<{ items: { owner: string }[] }>('/groupchat/statistic', {
      day_begin_time: today() - DAY,
      owner_filter: { partyid_list: [1] },
    });
    const partyOwners = owners().filter((owner) =>
      t.sandbox.state.people.membersById.get(owner)?.department.includes(1),
    );
    expect(byParty.items.map((row) => row.owner).sort()).toEqual(partyOwners.sort());
    expect((await t.api.post('/groupchat/statistic', { day_begin_time: today() - DAY })).errcode).toBe(0);

    const large = await startCheckedSandbox({ scale: 60_000, now: () => t.clock });
    try {
      const largeApi = await connect(large);
      expect(
        (await largeApi.post('/groupchat/statistic_group_by_day', { day_begin_time: today() - DAY })).errcode,
      ).toBe(81017);
    } finally {
      await large.close();
    }
  });
});
