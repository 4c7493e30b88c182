import { describe, expect, it } from 'vitest';
import { useCheckedSandbox } from './testing/fixture';

const t = useCheckedSandbox();

type ChatRow = { chat_id: string; status: number };
type MemberView = {
  userid: string;
  type: number;
  name?: string;
  state?: string;
  invitor?: { userid: string };
};

const state = () => t.sandbox.state;

function firstChat() {
  const chat = state().groupChats.chats[0];
  if (!chat) throw new Error('no seeded group chats');
  return chat;
}

async function listAll(input: Record<string, unknown>): Promise<ChatRow[]> {
  const rows: ChatRow[] = [];
  let cursor = '';
  do {
    const page = await t.api.post('/groupchat/list', { limit: 4, ...input, cursor });
    expect(page.errcode).toBe(0);
    rows.push(...(page.group_chat_list as ChatRow[]));
    cursor = page.next_cursor as string;
  } while (cursor !== '');
  return rows;
}

describe('group chats', () => {
  it('lists every chat page by page, filtered by status and owner', async () => {
    const { chats } = state().groupChats;
    const all = await listAll({});
    expect(all.map((row) => row.chat_id)).toEqual(chats.map((chat) => chat.chat_id));
    // Small seeds have no resigned owners: mark two chats as awaiting inheritance.
    for (const chat of chats.slice(1, 3)) chat.status = 1;
    const resigned = await listAll({ status_filter: 1 });
    expect(resigned.map((row) => row.chat_id)).toEqual(
      chats.filter((chat) => chat.status === 1).map((chat) => chat.chat_id),
    );
    expect(resigned.length).toBeGreaterThanOrEqual(2);
    const owner = firstChat().owner;
    const owned = await listAll({ owner_filter: { userid_list: [owner] } });
    expect(owned.map((row) => row.chat_id)).toEqual(
      chats.filter((chat) => chat.owner === owner).map((chat) => chat.chat_id),
    );

    // The legacy department filter: the chats of every member of the owner's department.
    const [party] = state().people.membersById.get(owner)?.department ?? [];
    const inParty = new Set(
      state()
        .people.members.filter((member) => member.department.includes(party as number))
        .map((member) => member.userid),
    );
    const byParty = await listAll({ owner_filter: { partyid_list: [party] } });
    expect(byParty.map((row) => row.chat_id)).toEqual(
      chats.filter((chat) => inParty.has(chat.owner)).map((chat) => chat.chat_id),
    );
    expect(byParty.length).toBeGreaterThan(owned.length);

    const legacy = await t.api.post('/groupchat/list', { offset: 2, limit: 3 });
    expect((legacy.group_chat_list as ChatRow[]).map((row) => row.chat_id)).toEqual(
      chats.slice(2, 5).map((chat) => chat.chat_id),
    );
    expect((await t.api.post('/groupchat/list', { offset: 49_999, limit: 2 })).errcode).toBe(40058);
    expect(
      (await t.api.post('/groupchat/list', { owner_filter: { userid_list: ['nobody'] }, limit: 10 })).errcode,
    ).toBe(40003);
    expect((await t.api.post('/groupchat/list', {})).errcode).toBe(40058);
  });

  it('answers 81017 without owner_filter once more than 1000 members are visible', async () => {
    const { members } = state().people;
    const filler = members[0];
    if (!filler) throw new Error('no members');
    while (members.length <= 1_000) members.push(filler);
    expect((await t.api.post('/groupchat/list', { limit: 10 })).errcode).toBe(81017);
    const owner = firstChat().owner;
    expect(
      (await t.api.post('/groupchat/list', { limit: 10, owner_filter: { userid_list: [owner] } })).errcode,
    ).toBe(0);
  });

  it('get returns the owner and customers as members, names only on request', async () => {
    const chat = firstChat();
    const plain = (await t.api.post('/groupchat/get', { chat_id: chat.chat_id })).group_chat as {
      owner: string;
      member_list: MemberView[];
      admin_list: { userid: string }[];
      member_version: string;
    };
    expect(plain.owner).toBe(chat.owner);
    expect(plain.member_list).toContainEqual(expect.objectContaining({ userid: chat.owner, type: 1 }));
    expect(plain.member_list.some((member) => member.name !== undefined)).toBe(false);
    for (const member of plain.member_list.filter((entry) => entry.type === 2)) {
      const known =
        state().people.customersById.has(member.userid) || state().groupChats.guests.has(member.userid);
      expect(known).toBe(true);
    }
    expect(plain.admin_list.map((admin) => admin.userid)).toEqual(chat.admins);
    expect(plain.member_version).toMatch(/^[0-9a-f]{32}$/);

    const named = (await t.api.post('/groupchat/get', { chat_id: chat.chat_id, need_name: 1 }))
      .group_chat as {
      member_list: MemberView[];
    };
    expect(named.member_list.every((member) => typeof member.name === 'string')).toBe(true);
    expect((await t.api.post('/groupchat/get', { chat_id: 'wrnope' })).errcode).toBe(86001);
    expect((await t.api.post('/groupchat/get', {})).errcode).toBe(40058);
  });

  it('member_version stays put between reads and changes when the member list does', async () => {
    const chat = firstChat();
    const version = async () =>
      (
        (await t.api.post('/groupchat/get', { chat_id: chat.chat_id })).group_chat as {
          member_version: string;
        }
      ).member_version;
    const before = await version();
    expect(await version()).toBe(before);
    const customer = state().people.customers.find(
      (candidate) => !chat.members.some((m) => m.userid === candidate.external_userid),
    );
    if (!customer) throw new Error('no customer outside the chat');
    chat.members.push({
      userid: customer.external_userid,
      type: 2,
      join_time: 1,
      join_scene: 3,
      group_nickname: '',
    });
    expect(await version()).not.toBe(before);
  });

  it('members who came through a seeded join way carry its state', () => {
    const { chats, joinWays } = state().groupChats;
    const tagged = chats.flatMap((chat) =>
      chat.members.filter((member) => member.state).map((member) => ({ chat, member })),
    );
    expect(tagged.length).toBeGreaterThan(0);
    for (const { chat, member } of tagged) {
      expect(member.join_scene).toBe(3);
      const ways = [...joinWays.values()].filter((way) => way.chat_id_list.includes(chat.chat_id));
      expect(ways.map((way) => way.state)).toContain(member.state);
    }
  });

  it('opengid_to_chatid converts a group opengid, the same way every time', async () => {
    const chat = firstChat();
    expect(await t.api.post('/opengid_to_chatid', { opengid: chat.opengid })).toMatchObject({
      chat_id: chat.chat_id,
    });
    expect((await t.api.post('/opengid_to_chatid', { opengid: chat.opengid })).chat_id).toBe(chat.chat_id);
    expect((await t.api.post('/opengid_to_chatid', { opengid: 'oAAAAAAA' })).errcode).toBe(90511);
  });
});

describe('group join ways', () => {
  it('add -> get -> update (a full overwrite) -> delete', async () => {
    const [first, second] = state().groupChats.chats;
    if (!first || !second) throw new Error('not enough chats');
    const added = await t.api.post('/groupchat/add_join_way', {
      scene: 2,
      remark: '这是一个超过三十个字符的备注，用来确认企业微信会截断它而不是拒绝整个请求',
      room_base_name: '销售客服群',
      room_base_id: 10,
      chat_id_list: [first.chat_id],
      state: 'klsdup3kj3s1',
    });
    const configId = added.config_id as string;
    const read = (await t.api.post('/groupchat/get_join_way', { config_id: configId })).join_way as Record<
      string,
      unknown
    >;
    expect(read).toMatchObject({
      config_id: configId,
      scene: 2,
      auto_create_room: 1,
      room_base_name: '销售客服群',
      room_base_id: 10,
      chat_id_list: [first.chat_id],
      qr_code: expect.stringContaining(configId),
      state: 'klsdup3kj3s1',
    });
    expect(read.remark).toHaveLength(30);

    await t.api.post('/groupchat/update_join_way', {
      config_id: configId,
      scene: 1,
      chat_id_list: [second.chat_id, first.chat_id],
    });
    const replaced = (await t.api.post('/groupchat/get_join_way', { config_id: configId })).join_way;
    expect(replaced).toEqual({
      config_id: configId,
      scene: 1,
      remark: '',
      auto_create_room: 1,
      chat_id_list: [second.chat_id, first.chat_id],
    });

    expect((await t.api.post('/groupchat/del_join_way', { config_id: configId })).errcode).toBe(0);
    expect((await t.api.post('/groupchat/get_join_way', { config_id: configId })).errcode).toBe(41044);
    expect((await t.api.post('/groupchat/del_join_way', { config_id: configId })).errcode).toBe(41044);
  });

  it('refuses unknown chats, more than five chats and unknown ids', async () => {
    const chatIds = state()
      .groupChats.chats.slice(0, 6)
      .map((chat) => chat.chat_id);
    expect(
      (await t.api.post('/groupchat/add_join_way', { scene: 2, chat_id_list: ['wrnope'] })).errcode,
    ).toBe(86001);
    // More than five chats per join way has WeCom's dedicated code.
    expect((await t.api.post('/groupchat/add_join_way', { scene: 2, chat_id_list: chatIds })).errcode).toBe(
      41091,
    );
    expect(
      (await t.api.post('/groupchat/add_join_way', { scene: 3, chat_id_list: chatIds.slice(0, 1) })).errcode,
    ).toBe(40058);
    const update = { config_id: 'nope', scene: 2, chat_id_list: chatIds.slice(0, 1) };
    expect((await t.api.post('/groupchat/update_join_way', update)).errcode).toBe(41044);
    expect((await t.api.post('/groupchat/get_join_way', {})).errcode).toBe(41043);
  });
});
