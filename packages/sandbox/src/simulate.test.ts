import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GroupChat } from './state/group-chats';
import type { Follow } from './state/people';
import { useCheckedSandbox } from './testing/fixture';
import { CALLBACK_AES_KEY, CALLBACK_TOKEN, type Receiver, startReceiver } from './testing/receiver';

const CORP_ID = 'wwsimulatesandbox01';
let receiver: Receiver;
// Registered before the fixture's hooks, so the receiver's URL exists when the sandbox starts.
beforeAll(async () => {
  receiver = await startReceiver(CORP_ID);
});
const t = useCheckedSandbox(() => ({
  corpId: CORP_ID,
  callback: { url: receiver.url, token: CALLBACK_TOKEN, encodingAESKey: CALLBACK_AES_KEY },
}));
afterAll(() => receiver.close());
beforeEach(async () => {
  await t.sandbox.callbacks.idle();
  receiver.events.length = 0;
});

/** The envelope every delivered event carries around the fields the simulation chose. */
const envelope = () => ({
  ToUserName: CORP_ID,
  FromUserName: 'sys',
  CreateTime: Math.floor(t.clock / 1000),
  MsgType: 'event',
});

async function delivered() {
  await t.sandbox.callbacks.idle();
  return receiver.events;
}

async function simulate(name: string, body: unknown) {
  const response = await fetch(`${t.sandbox.url}/__sandbox/simulate/${name}`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const listed = async (userid: string) =>
  (await t.api.get<{ external_userid: string[] }>('/list', { userid })).external_userid;

const readChat = (chatId: string) =>
  t.api.post<{
    group_chat: { member_list: { userid: string; join_scene: number }[]; member_version: string };
  }>('/groupchat/get', { chat_id: chatId });

function someFollow(): Follow {
  const follow = t.sandbox.state.people.follows[0];
  if (!follow) throw new Error('no seeded follows');
  return follow;
}

function someChat(): GroupChat {
  const chat = t.sandbox.state.groupChats.chats[0];
  if (!chat) throw new Error('no seeded chats');
  return chat;
}

describe('simulated customer actions', () => {
  it('add-half-customer lists the relation and delivers add_half_external_contact with a welcome code', async () => {
    const { userid } = someFollow();
    const { status, body } = await simulate('add-half-customer', { userid, state: 'no_approval' });
    expect(status).toBe(200);
    expect(await listed(userid)).toContain(body.external_userid);
    expect(await delivered()).toEqual([
      {
        ...envelope(),
        Event: 'change_external_contact',
        ChangeType: 'add_half_external_contact',
        UserID: userid,
        ExternalUserID: body.external_userid,
        State: 'no_approval',
        WelcomeCode: body.welcome_code,
      },
    ]);
    expect((await simulate('add-half-customer', { userid, state: 'x'.repeat(31) })).body.errcode).toBe(40058);
  });

  it('customer-deletes-member delivers del_follow_user; the member keeps the customer', async () => {
    const { userid, external_userid } = someFollow();
    expect((await simulate('customer-deletes-member', { userid, external_userid })).status).toBe(200);
    expect(await listed(userid)).toContain(external_userid);
    expect(await delivered()).toEqual([
      {
        ...envelope(),
        Event: 'change_external_contact',
        ChangeType: 'del_follow_user',
        UserID: userid,
        ExternalUserID: external_userid,
      },
    ]);
    expect((await simulate('customer-deletes-member', { userid })).body.errcode).toBe(40058);
  });

  it('member-deletes-customer ends that relation and delivers del_external_contact', async () => {
    const { userid, external_userid } = someFollow();
    expect((await simulate('member-deletes-customer', { userid, external_userid })).status).toBe(200);
    expect(await listed(userid)).not.toContain(external_userid);
    const read = await t.api.get<{ follow_user: { userid: string }[] }>('/get', { external_userid });
    expect(read.follow_user.map((follow) => follow.userid)).not.toContain(userid);
    expect(await delivered()).toEqual([
      {
        ...envelope(),
        Event: 'change_external_contact',
        ChangeType: 'del_external_contact',
        UserID: userid,
        ExternalUserID: external_userid,
      },
    ]);
    const again = await simulate('member-deletes-customer', { userid, external_userid });
    expect([again.status, again.body.errcode]).toEqual([400, 84061]);
  });
});

/** The update event of one member joining or leaving, between two member-list versions. */
const memberChange = (
  chat: GroupChat,
  detail: Record<string, unknown>,
  userid: string,
  [LastMemVer, CurMemVer]: [string, string],
) => ({
  ...envelope(),
  Event: 'change_external_chat',
  ChangeType: 'update',
  ChatId: chat.chat_id,
  ...detail,
  MemChangeCnt: 1,
  MemChangeList: [userid],
  LastMemVer,
  CurMemVer,
});

describe('simulated group chat changes', () => {
  it('join-chat adds the customer and delivers add_member with the member-list versions', async () => {
    const chat = someChat();
    const customer = t.sandbox.state.people.customers.find(
      ({ external_userid }) => !chat.members.some((member) => member.userid === external_userid),
    );
    if (!customer) throw new Error('every customer is in the chat');
    const before = (await readChat(chat.chat_id)).group_chat.member_version;
    const body = { chat_id: chat.chat_id, external_userid: customer.external_userid, join_scene: 2 };
    expect((await simulate('join-chat', body)).status).toBe(200);
    const after = (await readChat(chat.chat_id)).group_chat;
    expect(after.member_list).toContainEqual(
      expect.objectContaining({ userid: customer.external_userid, join_scene: 2 }),
    );
    expect(await delivered()).toEqual([
      // An invitation link is an invitation in the event's coarser scenes.
      memberChange(chat, { UpdateDetail: 'add_member', JoinScene: 0 }, customer.external_userid, [
        before,
        after.member_version,
      ]),
    ]);
    expect((await simulate('join-chat', body)).body.errcode).toBe(40058);
    expect((await simulate('join-chat', { ...body, chat_id: 'wrnone' })).body.errcode).toBe(86001);
    expect((await simulate('join-chat', { ...body, external_userid: 'wmnobody' })).body.errcode).toBe(40096);
  });

  it('leave-chat removes the customer and delivers del_member with QuitScene', async () => {
    const chat = someChat();
    const customer = chat.members.find((member) => member.type === 2);
    if (!customer) throw new Error('no customer in the chat');
    const before = (await readChat(chat.chat_id)).group_chat.member_version;
    const body = { chat_id: chat.chat_id, external_userid: customer.userid, quit_scene: 1 };
    expect((await simulate('leave-chat', body)).status).toBe(200);
    const after = (await readChat(chat.chat_id)).group_chat;
    expect(after.member_list.map((member) => member.userid)).not.toContain(customer.userid);
    expect(await delivered()).toEqual([
      memberChange(chat, { UpdateDetail: 'del_member', QuitScene: 1 }, customer.userid, [
        before,
        after.member_version,
      ]),
    ]);
    expect((await simulate('leave-chat', body)).body.errcode).toBe(40058);
    expect((await simulate('leave-chat', { ...body, quit_scene: 2 })).body.errcode).toBe(40058);
  });

  it('create-chat and dismiss-chat deliver create and dismiss; reads follow', async () => {
    const owner = someFollow().userid;
    const created = await simulate('create-chat', { owner, name: '新品发布群' });
    const chatId = created.body.chat_id as string;
    const read = await readChat(chatId);
    expect(read.group_chat).toMatchObject({ name: '新品发布群', owner, member_list: [{ userid: owner }] });
    expect((await simulate('dismiss-chat', { chat_id: chatId })).status).toBe(200);
    expect((await readChat(chatId)).errcode).toBe(86001);
    const listedChats = await t.api.post<{ group_chat_list: { chat_id: string }[] }>('/groupchat/list', {
      owner_filter: { userid_list: [owner] },
      limit: 1000,
    });
    expect(listedChats.group_chat_list.map((chat) => chat.chat_id)).not.toContain(chatId);
    const events = await delivered();
    expect(events).toHaveLength(2);
    expect(events).toEqual(
      expect.arrayContaining(
        (['create', 'dismiss'] as const).map((ChangeType) => ({
          ...envelope(),
          Event: 'change_external_chat',
          ChangeType,
          ChatId: chatId,
        })),
      ),
    );
    expect((await simulate('create-chat', { owner: 'nobody' })).body.errcode).toBe(40003);
    expect((await simulate('dismiss-chat', { chat_id: chatId })).body.errcode).toBe(86001);
  });

  it('answers 404 for an unknown simulation and 40058 for a body that is not an object', async () => {
    expect((await simulate('explode', {})).status).toBe(404);
    expect((await simulate('join-chat', [1])).body.errcode).toBe(40058);
  });
});
