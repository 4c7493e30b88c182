import { describe, expect, it } from 'vitest';
import { useCheckedSandbox } from './testing/fixture';

const t = useCheckedSandbox();

type Item = { external_userid: string; new_external_userid: string };

const people = () => t.sandbox.state.people;

function customer(predicate: (candidate: ReturnType<typeof people>['customers'][number]) => boolean) {
  const found = people().customers.find(predicate);
  if (!found) throw new Error('no such seeded customer');
  return found;
}

/** A chat with a guest (an external member who is nobody's contact) and a customer. */
function chatWithGuest() {
  const { chats, guests } = t.sandbox.state.groupChats;
  const chat = chats.find((candidate) => candidate.members.some((member) => guests.has(member.userid)));
  const guest = chat?.members.find((member) => guests.has(member.userid));
  const contact = chat?.members.find((member) => people().customersById.has(member.userid));
  if (!chat || !guest || !contact) throw new Error('no chat with a guest and a customer seeded');
  return { chat, guest: guest.userid, contact: contact.userid };
}

describe('openid and unionid', () => {
  it('convert_to_openid is stable for WeChat customers and refuses wo… ids', async () => {
    const wechat = customer((candidate) => candidate.external_userid.startsWith('wm'));
    const first = await t.api.post('/convert_to_openid', { external_userid: wechat.external_userid });
    expect(first.openid).toMatch(/^o[\w-]{27}$/);
    expect((await t.api.post('/convert_to_openid', { external_userid: wechat.external_userid })).openid).toBe(
      first.openid,
    );
    const wecom = customer((candidate) => candidate.external_userid.startsWith('wo'));
    expect((await t.api.post('/convert_to_openid', { external_userid: wecom.external_userid })).errcode).toBe(
      43004,
    );
    expect((await t.api.post('/convert_to_openid', { external_userid: 'wmnobody' })).errcode).toBe(40096);
    expect((await t.api.post('/convert_to_openid', {})).errcode).toBe(41035);
  });

  it('unionid + openid lead back to the external_userid the openid came from', async () => {
    const wechat = customer((candidate) => candidate.unionid !== undefined);
    const { openid } = await t.api.post('/convert_to_openid', { external_userid: wechat.external_userid });
    const back = await t.api.post('/unionid_to_external_userid', { unionid: wechat.unionid, openid });
    expect(back.external_userid).toBe(wechat.external_userid);
    expect(
      (await t.api.post('/unionid_to_external_userid', { unionid: wechat.unionid, openid: 'oWrong' }))
        .errcode,
    ).toBe(610018);
    expect((await t.api.post('/unionid_to_external_userid', { unionid: 'oUnknown', openid })).errcode).toBe(
      610014,
    );
    expect((await t.api.post('/unionid_to_external_userid', { unionid: wechat.unionid })).errcode).toBe(
      40058,
    );
  });
});

describe('corp-subject and provider-subject ids', () => {
  it('get_new_external_userid converts contacts, keeps provider ids and leaves out the rest', async () => {
    const contact = customer(() => true);
    const { guest } = chatWithGuest();
    const converted = (
      await t.api.post('/get_new_external_userid', { external_userid_list: [contact.external_userid] })
    ).items as Item[];
    const providerId = converted[0]?.new_external_userid as string;
    expect(providerId).not.toBe(contact.external_userid);
    const mixed = await t.api.post('/get_new_external_userid', {
      external_userid_list: [contact.external_userid, providerId, guest, 'wmnobody'],
    });
    expect(mixed.items).toEqual([
      { external_userid: contact.external_userid, new_external_userid: providerId },
      { external_userid: providerId, new_external_userid: providerId },
    ]);
    expect((await t.api.post('/get_new_external_userid', { external_userid_list: [] })).errcode).toBe(40058);
  });

  it('the group-chat variant converts the chat’s external members, guests included', async () => {
    const { chat, guest, contact } = chatWithGuest();
    const outsider = people().customers.find(
      (candidate) => !chat.members.some((m) => m.userid === candidate.external_userid),
    );
    const result = await t.api.post('/groupchat/get_new_external_userid', {
      chat_id: chat.chat_id,
      external_userid_list: [guest, contact, outsider?.external_userid],
    });
    const items = result.items as Item[];
    expect(items.map((item) => item.external_userid)).toEqual([guest, contact]);
    const direct = await t.api.post('/get_new_external_userid', { external_userid_list: [contact] });
    expect((direct.items as Item[])[0]?.new_external_userid).toBe(items[1]?.new_external_userid);
    const unknownChat = await t.api.post('/groupchat/get_new_external_userid', {
      chat_id: 'wrnope',
      external_userid_list: [guest],
    });
    expect(unknownChat.errcode).toBe(86001);
  });

  it('to_service and from_service round-trip, and each refuses ids of the wrong subject', async () => {
    const { guest } = chatWithGuest();
    for (const corpId of [customer(() => true).external_userid, guest]) {
      const service = (await t.api.post('/to_service_external_userid', { external_userid: corpId }))
        .external_userid as string;
      expect(service).not.toBe(corpId);
      expect(
        (await t.api.post('/to_service_external_userid', { external_userid: service })).external_userid,
      ).toBe(service);
      const back = await t.api.post('/from_service_external_userid', {
        external_userid: service,
        source_agentid: 100001,
      });
      expect(back.external_userid).toBe(corpId);
      const wrongSubject = await t.api.post('/from_service_external_userid', {
        external_userid: corpId,
        source_agentid: 100001,
      });
      expect(wrongSubject.errcode).toBe(40096);
      const badAgent = await t.api.post('/from_service_external_userid', {
        external_userid: service,
        source_agentid: 0,
      });
      expect(badAgent.errcode).toBe(40056);
    }
    expect((await t.api.post('/to_service_external_userid', { external_userid: 'wmnobody' })).errcode).toBe(
      40096,
    );
    expect(
      (
        await t.api.post('/from_service_external_userid', {
          external_userid: 'wmSPbm9ib2R5',
          source_agentid: 1,
        })
      ).errcode,
    ).toBe(40096);
  });
});
