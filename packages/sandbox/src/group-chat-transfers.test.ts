import { describe, expect, it } from 'vitest';
import type { GroupChat } from './state/group-chats';
import type { Member } from './state/people';
import { useCheckedSandbox } from './testing/fixture';

const t = useCheckedSandbox();

const people = () => t.sandbox.state.people;
const employed = () =>
  people().members.filter((member) => member.hasCustomerContact && member.dimissionTime === undefined);

/** Marks a member as departed, as the admin console would. */
function resign(member: Member): Member {
  member.dimissionTime = Math.floor(t.clock / 1000) - 3 * 86_400;
  return member;
}

describe('group chat transfers', () => {
  type Failed = { failed_chat_list: { chat_id: string; errcode: number; errmsg: string }[] };
  const chats = () => t.sandbox.state.groupChats.chats;
  const activeChat = () =>
    chats().find((chat) => people().membersById.get(chat.owner)?.dimissionTime === undefined) as GroupChat;

  it('on-job: changes the owner, visible in groupchat/get; per-chat failures are listed', async () => {
    const chat = activeChat();
    const newOwner = employed().find((member) => member.userid !== chat.owner) as Member;
    const answer = await t.api.post<Failed>('/groupchat/onjob_transfer', {
      chat_id_list: [chat.chat_id, 'wrUNKNOWN'],
      new_owner: newOwner.userid,
    });
    expect(answer.failed_chat_list).toEqual([
      { chat_id: 'wrUNKNOWN', errcode: 90501, errmsg: expect.any(String) },
    ]);
    const detail = await t.api.post<{ group_chat: { owner: string; member_list: { userid: string }[] } }>(
      '/groupchat/get',
      {
        chat_id: chat.chat_id,
      },
    );
    expect(detail.group_chat.owner).toBe(newOwner.userid);
    expect(detail.group_chat.member_list.map((member) => member.userid)).toContain(newOwner.userid);

    const repeat = await t.api.post<Failed>('/groupchat/onjob_transfer', {
      chat_id_list: [chat.chat_id],
      new_owner: newOwner.userid,
    });
    expect(repeat.failed_chat_list[0]?.errcode).toBe(90504);
    const previous = employed().find((member) => member.userid !== newOwner.userid) as Member;
    const second = await t.api.post<Failed>('/groupchat/onjob_transfer', {
      chat_id_list: [chat.chat_id],
      new_owner: previous.userid,
    });
    expect(second.failed_chat_list).toEqual([]);
    const third = await t.api.post<Failed>('/groupchat/onjob_transfer', {
      chat_id_list: [chat.chat_id],
      new_owner: newOwner.userid,
    });
    expect(third.failed_chat_list[0]?.errcode).toBe(40128);
    expect(
      (await t.api.post('/groupchat/onjob_transfer', { chat_id_list: [chat.chat_id], new_owner: 'nobody' }))
        .errcode,
    ).toBe(40003);
  });

  it('resigned: only chats of departed owners, once (90500, 90508)', async () => {
    const chat = activeChat();
    const departed = resign(people().membersById.get(chat.owner) as Member);
    const newOwner = employed()[0] as Member;
    const answer = await t.api.post<Failed>('/groupchat/transfer', {
      chat_id_list: [chat.chat_id],
      new_owner: newOwner.userid,
    });
    expect(answer.failed_chat_list).toEqual([]);
    expect(chat).toMatchObject({ owner: newOwner.userid, status: 3 });
    expect(chat.members.map((member) => member.userid)).toContain(departed.userid);
    const repeat = await t.api.post<Failed>('/groupchat/transfer', {
      chat_id_list: [chat.chat_id],
      new_owner: newOwner.userid,
    });
    expect(repeat.failed_chat_list[0]?.errcode).toBe(90504);
    const other = employed().find((member) => member.userid !== newOwner.userid) as Member;
    const again = await t.api.post<Failed>('/groupchat/transfer', {
      chat_id_list: [chat.chat_id],
      new_owner: other.userid,
    });
    expect(again.failed_chat_list[0]?.errcode).toBe(90508);
    const active = chats().find(
      (candidate) =>
        candidate.status === 0 && people().membersById.get(candidate.owner)?.dimissionTime === undefined,
    ) as GroupChat;
    const refused = await t.api.post<Failed>('/groupchat/transfer', {
      chat_id_list: [active.chat_id],
      new_owner: other.userid,
    });
    expect(refused.failed_chat_list[0]?.errcode).toBe(active.owner === other.userid ? 90504 : 90500);
    expect(
      (await t.api.post('/groupchat/transfer', { chat_id_list: [active.chat_id], new_owner: 'nobody' }))
        .errcode,
    ).toBe(40003);
  });
});
