import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GroupChat } from './state/group-chats';
import type { Follow } from './state/people';
import type { TagGroup } from './state/tags';
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
    headers: { 'content-type': 'application/json' },
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

/** The spec's schema of each change_external_tag event, closed: a field it does not describe fails. */
const tagEventSchemas = (() => {
  const spec = JSON.parse(
    readFileSync(createRequire(import.meta.url).resolve('@wecom-kit/spec/dist/openapi.json'), 'utf8'),
  ) as object;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ ...spec, $id: 'spec' });
  const compile = (name: string) =>
    ajv.compile({ $ref: `spec#/components/schemas/${name}`, unevaluatedProperties: false });
  return new Map([
    ['create', compile('CallbackCreateExternalTag')],
    ['update', compile('CallbackUpdateExternalTag')],
    ['delete', compile('CallbackDeleteExternalTag')],
    ['shuffle', compile('CallbackShuffleExternalTag')],
  ]);
})();

/**
 * Exactly the expected events were delivered, in any order (deliveries run side by side), and
 * each matches the spec's schema for its ChangeType.
 */
async function expectTagEvents(expected: object[]) {
  const events = await delivered();
  for (const event of events) {
    const validate = tagEventSchemas.get(String(event.ChangeType));
    expect(validate, `no tag event schema for ${String(event.ChangeType)}`).toBeDefined();
    expect(validate?.(event) ? [] : validate?.errors).toEqual([]);
  }
  expect(events).toHaveLength(expected.length);
  expect(events).toEqual(expect.arrayContaining(expected));
}

const tagEvent = (ChangeType: string, Id: string, TagType: 'tag' | 'tag_group') => ({
  ...envelope(),
  Event: 'change_external_tag',
  ChangeType,
  Id,
  TagType,
});

type ListedGroup = Omit<TagGroup, 'strategy_id'>;

async function corpTags(filter: Record<string, unknown> = {}): Promise<ListedGroup[]> {
  const answer = await t.api.post<{ tag_group: ListedGroup[] }>('/get_corp_tag_list', filter);
  expect(answer.errcode).toBe(0);
  return answer.tag_group;
}

function corpGroup(index: number): TagGroup {
  const group = t.sandbox.state.tags.groups.filter((candidate) => candidate.strategy_id === undefined)[index];
  if (!group) throw new Error(`no seeded corp tag group ${index}`);
  return group;
}

function strategyGroup(): TagGroup {
  const group = t.sandbox.state.tags.groups.find((candidate) => candidate.strategy_id !== undefined);
  if (!group?.tag[0]) throw new Error('no seeded strategy tag');
  return group;
}

const errcodeOf = async (name: string, body: unknown) => (await simulate(name, body)).body.errcode;

describe('simulated administrator tag changes', () => {
  it('admin-create-tag adds a group and its tags and delivers create for each new one, by kind', async () => {
    const created = await simulate('admin-create-tag', {
      group_name: '活动渠道',
      tag: [{ name: '展会', order: 2 }, { name: '直播' }],
    });
    expect(created.status).toBe(200);
    const { group_id, tag } = created.body.tag_group as ListedGroup;
    const [fair, live] = tag.map((added) => added.id);
    // Into the existing group: a name it already has is merged, only the new one is created.
    const more = await simulate('admin-create-tag', { group_id, tag: [{ name: '直播' }, { name: '沙龙' }] });
    const salon = (more.body.tag_group as ListedGroup).tag.find((added) => added.name === '沙龙')?.id;
    const [listed] = await corpTags({ group_id: [group_id] });
    expect(listed).toMatchObject({ group_name: '活动渠道' });
    expect(listed?.tag.map(({ id, name, order }) => [id, name, order])).toEqual([
      [fair, '展会', 2],
      [live, '直播', 0],
      [salon, '沙龙', 0],
    ]);
    await expectTagEvents([
      tagEvent('create', group_id, 'tag_group'),
      tagEvent('create', fair as string, 'tag'),
      tagEvent('create', live as string, 'tag'),
      tagEvent('create', salon as string, 'tag'),
    ]);
    // Refused like addCorpTag, and with nothing created or delivered.
    expect(await errcodeOf('admin-create-tag', { group_name: '空组', tag: [] })).toBe(40058);
    expect(await errcodeOf('admin-create-tag', { group_name: 'x'.repeat(31), tag: [{ name: 'a' }] })).toBe(
      40058,
    );
    expect(
      await errcodeOf('admin-create-tag', { group_id: strategyGroup().group_id, tag: [{ name: 'a' }] }),
    ).toBe(40068);
    expect((await corpTags()).map((group) => group.group_name)).not.toContain('空组');
    expect(await delivered()).toHaveLength(4);
  });

  it('admin-edit-tag renames or reorders a tag or group and delivers update with its TagType', async () => {
    const group = corpGroup(0);
    const tag = group.tag[0];
    if (!tag) throw new Error('an empty seeded group');
    expect((await simulate('admin-edit-tag', { id: tag.id, name: '钻石客户' })).status).toBe(200);
    expect((await simulate('admin-edit-tag', { id: group.group_id, order: 99 })).status).toBe(200);
    const [listed] = await corpTags({ group_id: [group.group_id] });
    expect(listed).toMatchObject({ order: 99 });
    expect(listed?.tag).toContainEqual(expect.objectContaining({ id: tag.id, name: '钻石客户' }));
    await expectTagEvents([
      tagEvent('update', tag.id, 'tag'),
      tagEvent('update', group.group_id, 'tag_group'),
    ]);
    expect(await errcodeOf('admin-edit-tag', { id: strategyGroup().tag[0]?.id, name: 'x' })).toBe(40068);
    expect(await errcodeOf('admin-edit-tag', { id: tag.id })).toBe(40058);
    expect(await errcodeOf('admin-edit-tag', { id: tag.id, name: 7 })).toBe(40058);
    expect(await delivered()).toHaveLength(2);
  });

  it('admin-delete-tag removes tags from the library and customers; a deleted group is one event', async () => {
    const follow = t.sandbox.state.people.follows.find((candidate) =>
      corpGroup(0).tag.some((tag) => candidate.tagIds.includes(tag.id)),
    );
    const marked = corpGroup(0).tag.find((tag) => follow?.tagIds.includes(tag.id));
    if (!follow || !marked) throw new Error('no customer carries a tag of the first group');
    const group = corpGroup(1);
    const body = { tag_id: [marked.id], group_id: [group.group_id] };
    expect((await simulate('admin-delete-tag', body)).status).toBe(200);
    const ids = (await corpTags()).flatMap((listed) => [listed.group_id, ...listed.tag.map((tag) => tag.id)]);
    expect(ids).not.toContain(marked.id);
    expect(ids).not.toContain(group.group_id);
    expect(ids).toContain(corpGroup(0).group_id);
    const read = await t.api.get<{ follow_user: { userid: string; tags: { tag_id: string }[] }[] }>('/get', {
      external_userid: follow.external_userid,
    });
    const tagsOf = read.follow_user.find((followUser) => followUser.userid === follow.userid)?.tags;
    expect(tagsOf?.map((tag) => tag.tag_id)).not.toContain(marked.id);
    await expectTagEvents([
      tagEvent('delete', marked.id, 'tag'),
      tagEvent('delete', group.group_id, 'tag_group'),
    ]);
    expect((await simulate('admin-delete-tag', body)).body.errcode).toBe(40068);
    expect(await errcodeOf('admin-delete-tag', { tag_id: [strategyGroup().tag[0]?.id] })).toBe(40068);
    expect(await errcodeOf('admin-delete-tag', {})).toBe(40058);
    expect(await errcodeOf('admin-delete-tag', { group_id: 'not-a-list' })).toBe(40058);
    expect(await delivered()).toHaveLength(2);
  });

  it('admin-shuffle-tags reverses the order of a group’s tags, or of the groups, and delivers shuffle', async () => {
    const group = corpGroup(2);
    const tagOrders = async () =>
      (await corpTags({ group_id: [group.group_id] }))[0]?.tag.map((tag) => tag.order);
    const groupOrders = async () => (await corpTags()).map((listed) => [listed.group_id, listed.order]);
    const tagsBefore = (await tagOrders()) ?? [];
    const groupsBefore = await groupOrders();
    const strategyOrder = strategyGroup().order;
    expect(new Set(tagsBefore).size).toBeGreaterThan(1);

    expect((await simulate('admin-shuffle-tags', { group_id: group.group_id })).status).toBe(200);
    expect(await tagOrders()).toEqual(tagsBefore.toReversed());
    expect(await groupOrders()).toEqual(groupsBefore);
    await expectTagEvents([
      { ...envelope(), Event: 'change_external_tag', ChangeType: 'shuffle', Id: group.group_id },
    ]);

    receiver.events.length = 0;
    expect((await simulate('admin-shuffle-tags', {})).status).toBe(200);
    const reordered = groupsBefore.map(([id], index) => [
      id,
      groupsBefore[groupsBefore.length - 1 - index]?.[1],
    ]);
    expect(await groupOrders()).toEqual(reordered);
    expect(strategyGroup().order).toBe(strategyOrder);
    // The groups themselves moved: no Id.
    await expectTagEvents([{ ...envelope(), Event: 'change_external_tag', ChangeType: 'shuffle', Id: '' }]);

    expect(await errcodeOf('admin-shuffle-tags', { group_id: strategyGroup().group_id })).toBe(40068);
    expect(await errcodeOf('admin-shuffle-tags', { group_id: group.tag[0]?.id })).toBe(40068);
    expect(await errcodeOf('admin-shuffle-tags', { group_id: 5 })).toBe(40058);
    expect(await delivered()).toHaveLength(1);
  });
});
