import { describe, expect, it } from 'vitest';
import type { Sandbox } from './server';
import { connect } from './testing/api';
import { startCheckedSandbox } from './testing/fidelity';
import { useCheckedSandbox } from './testing/fixture';

const t = useCheckedSandbox();

const LISTABLE_SINCE = 1_625_846_400;

function activeStaff(from: Sandbox = t.sandbox) {
  return from.state.people.members.filter(
    (member) => member.hasCustomerContact && member.dimissionTime === undefined,
  );
}

async function listAll(input: Record<string, unknown>): Promise<string[]> {
  const ids: string[] = [];
  let cursor = '';
  do {
    const page = await t.api.post('/list_contact_way', { ...input, cursor });
    expect(page.errcode).toBe(0);
    ids.push(...(page.contact_way as { config_id: string }[]).map((way) => way.config_id));
    cursor = page.next_cursor as string;
  } while (cursor !== '');
  return ids;
}

describe('contact ways', () => {
  it('add -> get -> list -> update -> delete, each write visible to the reads', async () => {
    const [first, second] = activeStaff();
    if (!first || !second) throw new Error('not enough seeded staff');
    const added = await t.api.post('/add_contact_way', {
      type: 1,
      scene: 2,
      remark: '春季展会',
      state: 'expo2024',
      user: [first.userid],
    });
    const configId = added.config_id as string;
    expect(configId).toMatch(/^[0-9a-f]{32}$/);
    expect(added.qr_code).toContain(configId);

    const read = await t.api.post('/get_contact_way', { config_id: configId });
    expect(read.contact_way).toEqual({
      config_id: configId,
      type: 1,
      scene: 2,
      remark: '春季展会',
      skip_verify: true,
      state: 'expo2024',
      qr_code: added.qr_code,
      user: [first.userid],
      party: [],
      is_temp: false,
    });
    expect(await listAll({})).toContain(configId);

    await t.api.post('/update_contact_way', {
      config_id: configId,
      remark: '秋季展会',
      user: [second.userid],
    });
    const updated = (await t.api.post('/get_contact_way', { config_id: configId })).contact_way;
    expect(updated).toMatchObject({ remark: '秋季展会', user: [second.userid], state: 'expo2024' });

    expect((await t.api.post('/del_contact_way', { config_id: configId })).errcode).toBe(0);
    expect((await t.api.post('/get_contact_way', { config_id: configId })).errcode).toBe(41044);
    expect((await t.api.post('/del_contact_way', { config_id: configId })).errcode).toBe(41044);
    expect(await listAll({})).not.toContain(configId);
  });

  it('lists every seeded configuration since 2021-07-10 page by page, never temporary ones', async () => {
    const ids = await listAll({ start_time: LISTABLE_SINCE, limit: 7 });
    const ways = [...t.sandbox.state.contactWays.ways.values()];
    expect(ids.length).toBeGreaterThan(7);
    expect(new Set(ids)).toEqual(new Set(ways.filter((way) => !way.is_temp).map((way) => way.config_id)));
    // Without start_time the window is the last 90 days only.
    const recent = await listAll({});
    expect(recent.length).toBeLessThan(ids.length);
    const forged = await t.api.post('/list_contact_way', { cursor: 'bm90LWEtY3Vyc29y' });
    expect(forged.errcode).toBe(50100);
  });

  it('refuses bad types, scenes and members with the documented codes', async () => {
    const [first, second] = activeStaff();
    if (!first || !second) throw new Error('not enough seeded staff');
    const add = async (input: Record<string, unknown>) =>
      (await t.api.post('/add_contact_way', input)).errcode;
    expect(await add({ scene: 2, user: [first.userid] })).toBe(41037);
    expect(await add({ type: 1, user: [first.userid] })).toBe(41038);
    expect(await add({ type: 3, scene: 2, user: [first.userid] })).toBe(41039);
    expect(await add({ type: 1, scene: 9, user: [first.userid] })).toBe(41040);
    expect(await add({ type: 1, scene: 1, style: 0, user: [first.userid] })).toBe(41042);
    expect(await add({ type: 1, scene: 2, user: [first.userid, second.userid] })).toBe(40058);
    expect(await add({ type: 1, scene: 2, user: ['nobody'] })).toBe(40003);
    const inactive = t.sandbox.state.people.members.find((member) => !member.hasCustomerContact);
    expect(await add({ type: 1, scene: 2, user: [inactive?.userid] })).toBe(41054);
    expect(await add({ type: 2, scene: 2, party: [999] })).toBe(60011);
    expect(await add({ type: 1, scene: 2, remark: 'x'.repeat(31), user: [first.userid] })).toBe(40058);
    expect((await t.api.post('/get_contact_way', {})).errcode).toBe(41043);
    expect((await t.api.post('/update_contact_way', { config_id: 'nope' })).errcode).toBe(41044);
  });

  it('answers 41045 once the corp holds 500,000 API-created configurations, join ways included', async () => {
    const [first] = activeStaff();
    const joinWays = t.sandbox.state.groupChats.joinWays;
    const way = joinWays.values().next().value;
    if (!first || !way) throw new Error('nothing seeded');
    for (let index = joinWays.size; index < 500_000; index++) joinWays.set(`filler${index}`, way);
    expect((await t.api.post('/add_contact_way', { type: 1, scene: 2, user: [first.userid] })).errcode).toBe(
      41045,
    );
    // Temporary-session configurations do not count toward the quota.
    expect(
      (await t.api.post('/add_contact_way', { type: 1, scene: 2, is_temp: true, user: [first.userid] }))
        .errcode,
    ).toBe(0);
  });

  it('answers 41041 when departments bring more than 100 members', async () => {
    const large = await startCheckedSandbox({ scale: 6_000 });
    try {
      const staff = activeStaff(large);
      const largeApi = await connect(large);
      const users = staff.slice(0, 95).map((member) => member.userid);
      const outsideDepartment = staff.slice(95).flatMap((member) => member.department);
      const result = await largeApi.post('/add_contact_way', {
        type: 2,
        scene: 2,
        user: users,
        party: outsideDepartment,
      });
      expect(result.errcode).toBe(41041);
      expect((await largeApi.post('/add_contact_way', { type: 2, scene: 2, user: users })).errcode).toBe(0);
    } finally {
      await large.close();
    }
  });
});

describe('temporary sessions', () => {
  it('a temporary configuration carries its session settings and gives the closing image as a URL', async () => {
    const [first] = activeStaff();
    const added = await t.api.post('/add_contact_way', {
      type: 1,
      scene: 2,
      is_temp: true,
      chat_expires_in: 3_600,
      user: [first?.userid],
      conclusions: { text: { content: '感谢咨询' }, image: { media_id: 'MEDIA_1' } },
    });
    const read = (await t.api.post('/get_contact_way', { config_id: added.config_id })).contact_way;
    expect(read).toMatchObject({
      is_temp: true,
      expires_in: 604_800,
      chat_expires_in: 3_600,
      conclusions: { text: { content: '感谢咨询' }, image: { pic_url: expect.stringContaining('MEDIA_1') } },
    });
    expect(await listAll({})).not.toContain(added.config_id);
    const empty = await t.api.post('/update_contact_way', { config_id: added.config_id, conclusions: {} });
    expect(empty.errcode).toBe(40058);

    t.clock += 604_801_000;
    // The old token expired with the week that passed.
    await t.reconnect();
    const expired = await t.api.post('/update_contact_way', { config_id: added.config_id, remark: 'late' });
    expect(expired.errcode).toBe(40058);
  });

  it('close_temp_chat ends a running session once; other pairs are refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const session = t.sandbox.state.contactWays.tempChats.find((chat) => chat.endTime > now + 60);
    if (!session) throw new Error('no running temporary session seeded');
    const pair = { userid: session.userid, external_userid: session.external_userid };
    expect((await t.api.post('/close_temp_chat', pair)).errcode).toBe(0);
    expect((await t.api.post('/close_temp_chat', pair)).errcode).toBe(40058);
    expect((await t.api.post('/close_temp_chat', { ...pair, userid: 'nobody' })).errcode).toBe(40003);
    expect((await t.api.post('/close_temp_chat', { ...pair, external_userid: 'wmnobody' })).errcode).toBe(
      40096,
    );
    expect((await t.api.post('/close_temp_chat', { userid: session.userid })).errcode).toBe(41035);
  });
});
