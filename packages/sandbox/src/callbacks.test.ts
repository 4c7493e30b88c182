import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_AGENT_ID } from './callbacks';
import type { Sandbox } from './server';
import type { GroupChat, GroupChatBook } from './state/group-chats';
import type { Member } from './state/people';
import { hashOf } from './state/statistics';
import { connect, type SandboxApi } from './testing/api';
import { startCheckedSandbox } from './testing/fidelity';
import { CALLBACK_AES_KEY, CALLBACK_TOKEN, type Receiver, startReceiver } from './testing/receiver';

const CORP_ID = 'wwcallbacksandbox01';
let clock = Date.now();
let sandbox: Sandbox;
let receiver: Receiver;
let api: SandboxApi;

beforeAll(async () => {
  receiver = await startReceiver(CORP_ID);
  sandbox = await startCheckedSandbox({
    scale: 300,
    corpId: CORP_ID,
    now: () => clock,
    callback: { url: receiver.url, token: CALLBACK_TOKEN, encodingAESKey: CALLBACK_AES_KEY },
  });
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});
beforeEach(async () => {
  clock = Date.now();
  await sandbox.callbacks.idle();
  sandbox.reset();
  receiver.events.length = 0;
  receiver.statuses.length = 0;
  receiver.envelopes.length = 0;
  api = await connect(sandbox);
});

const employed = () =>
  sandbox.state.people.members.filter(
    (member) => member.hasCustomerContact && member.dimissionTime === undefined,
  );

async function delivered() {
  await sandbox.callbacks.idle();
  return receiver.events;
}

async function simulate(body: unknown) {
  const response = await fetch(`${sandbox.url}/__sandbox/simulate/add-customer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('callback delivery', () => {
  it('simulate/add-customer adds the relation and delivers add_external_contact with a welcome code', async () => {
    const member = employed()[0] as Member;
    const { status, body } = await simulate({ userid: member.userid, state: 'spring_campaign' });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      errcode: 0,
      external_userid: expect.any(String),
      welcome_code: expect.any(String),
    });
    const listed = await api.get<{ external_userid: string[] }>('/list', { userid: member.userid });
    expect(listed.external_userid).toContain(body.external_userid);
    expect(await delivered()).toEqual([
      {
        ToUserName: CORP_ID,
        FromUserName: 'sys',
        CreateTime: Math.floor(clock / 1000),
        MsgType: 'event',
        Event: 'change_external_contact',
        ChangeType: 'add_external_contact',
        UserID: member.userid,
        ExternalUserID: body.external_userid,
        State: 'spring_campaign',
        WelcomeCode: body.welcome_code,
      },
    ]);
    expect((await simulate({ userid: 'nobody' })).body.errcode).toBe(40003);
  });

  it('delivers edit_external_contact on remark and markTag, and no change_external_tag on corp tag writes', async () => {
    const follow = sandbox.state.people.follows[0];
    if (!follow) throw new Error('no seeded follows');
    const { userid, external_userid } = follow;
    await api.post('/remark', { userid, external_userid, remark: 'VIP' });
    const added = await api.post<{ tag_group: { group_id: string; tag: { id: string }[] } }>(
      '/add_corp_tag',
      {
        group_name: '回调测试',
        tag: [{ name: 'a' }, { name: 'b' }],
      },
    );
    const [first, second] = added.tag_group.tag.map((tag) => tag.id) as [string, string];
    const remarkedAt = Math.floor(clock / 1000);
    // A second later, so the app's dedupe does not take the second edit for a repeat of the first.
    clock += 1000;
    await api.post('/mark_tag', { userid, external_userid, add_tag: [first, second] });
    await api.post('/edit_corp_tag', { id: first, name: 'a2' });
    await api.post('/edit_corp_tag', { id: added.tag_group.group_id, order: 9 });
    await api.post('/del_corp_tag', { tag_id: [second] });
    await api.post('/del_corp_tag', { group_id: [added.tag_group.group_id] });
    // Every write was applied...
    const listed = await api.post<{ tag_group: unknown[] }>('/get_corp_tag_list', {
      group_id: [added.tag_group.group_id],
    });
    expect(listed.tag_group).toEqual([]);
    expect(sandbox.stats.applied).toMatchObject({
      '/cgi-bin/externalcontact/add_corp_tag': 1,
      '/cgi-bin/externalcontact/edit_corp_tag': 2,
      '/cgi-bin/externalcontact/del_corp_tag': 2,
    });
    // ...but WeCom pushes change_external_tag only for an administrator's changes, never the API's.
    const edit = { Event: 'change_external_contact', ChangeType: 'edit_external_contact', UserID: userid };
    const events = await delivered();
    expect(events).toHaveLength(2);
    expect(events).toEqual(
      expect.arrayContaining(
        [remarkedAt, remarkedAt + 1].map((CreateTime) =>
          expect.objectContaining({ ...edit, ExternalUserID: external_userid, CreateTime }),
        ),
      ),
    );
  });

  it('delivers change_external_chat update/change_owner on an on-job chat transfer', async () => {
    const book: GroupChatBook = sandbox.state.groupChats;
    const chat = book.chats.find(
      (candidate) => sandbox.state.people.membersById.get(candidate.owner)?.dimissionTime === undefined,
    ) as GroupChat;
    const newOwner = employed().find((member) => member.userid !== chat.owner) as Member;
    await api.post('/groupchat/onjob_transfer', { chat_id_list: [chat.chat_id], new_owner: newOwner.userid });
    expect(await delivered()).toMatchObject([
      {
        Event: 'change_external_chat',
        ChangeType: 'update',
        ChatId: chat.chat_id,
        UpdateDetail: 'change_owner',
      },
    ]);
  });

  /** A started on-job transfer the seed's fixed refusals make the customer refuse, or accept. */
  async function startTransfer(refused: boolean) {
    const members = employed();
    const pick = sandbox.state.people.follows
      .filter((follow) => members.some((member) => member.userid === follow.userid))
      .flatMap((follow) =>
        members.filter((member) => member.userid !== follow.userid).map((takeover) => ({ follow, takeover })),
      )
      .find(
        ({ follow, takeover }) => (hashOf(follow.external_userid, takeover.userid) % 20 === 0) === refused,
      );
    if (!pick) throw new Error('no such customer in the seed');
    const answer = await api.post<{ customer: { errcode: number }[] }>('/transfer_customer', {
      handover_userid: pick.follow.userid,
      takeover_userid: pick.takeover.userid,
      external_userid: [pick.follow.external_userid],
    });
    expect(answer.customer[0]?.errcode).toBe(0);
    expect(await delivered()).toEqual([]);
    return {
      handover: pick.follow.userid,
      takeover: pick.takeover.userid,
      customer: pick.follow.external_userid,
    };
  }

  /** Past the takeover: tokens expire with the clock; any call then settles the due takeovers. */
  async function settleTakeovers(customer: string) {
    clock += 86_401_000;
    api = await connect(sandbox);
    await api.get('/get_follow_user_list');
    // Takeovers the seed left waiting complete too; only the events about the test's own customer count.
    return (await delivered()).filter(
      (event) => (event as { ExternalUserID?: string }).ExternalUserID === customer,
    );
  }

  it('delivers transfer_fail when the customer refuses, once the takeover is due', async () => {
    const { takeover, customer } = await startTransfer(true);
    expect(await settleTakeovers(customer)).toMatchObject([
      {
        ChangeType: 'transfer_fail',
        UserID: takeover,
        ExternalUserID: customer,
        FailReason: 'customer_refused',
      },
    ]);
  });

  it('delivers del_external_contact DELETE_BY_TRANSFER to the old member once a takeover completes', async () => {
    const { handover, customer } = await startTransfer(false);
    expect(await settleTakeovers(customer)).toEqual([
      {
        ToUserName: CORP_ID,
        FromUserName: 'sys',
        CreateTime: Math.floor(clock / 1000),
        MsgType: 'event',
        Event: 'change_external_contact',
        ChangeType: 'del_external_contact',
        UserID: handover,
        ExternalUserID: customer,
        Source: 'DELETE_BY_TRANSFER',
      },
    ]);
    const listed = await api.get<{ external_userid: string[] }>('/list', { userid: handover });
    expect(listed.external_userid).not.toContain(customer);
  });

  it('redelivers an unanswered push three more times, then counts it as given up', async () => {
    const member = employed()[0] as Member;
    receiver.failNext(1);
    await simulate({ userid: member.userid });
    expect(await delivered()).toHaveLength(1);
    expect(receiver.statuses).toEqual([500, 200]);
    receiver.failNext(4, 503);
    await simulate({ userid: member.userid });
    expect(await delivered()).toHaveLength(1);
    expect(receiver.statuses.slice(2)).toEqual([503, 503, 503, 503]);
    expect(sandbox.stats.callbacks).toEqual({ delivered: 1, failed: 1, retried: 4 });
  });

  it("puts the app's AgentID in the envelope beside ToUserName and Encrypt, as app callbacks carry it", async () => {
    await simulate({ userid: (employed()[0] as Member).userid });
    await delivered();
    const [envelope] = receiver.envelopes;
    expect(envelope).toMatch(/^<xml><ToUserName><!\[CDATA\[[^\]]+\]\]><\/ToUserName><Encrypt>/);
    expect(envelope).toContain(`<AgentID><![CDATA[${SANDBOX_AGENT_ID}]]></AgentID>`);
  });
});
