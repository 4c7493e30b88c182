import { describe, expect, it } from 'vitest';
import { useCheckedSandbox } from './testing/fixture';

const t = useCheckedSandbox();

type TagGroup = {
  group_id: string;
  group_name: string;
  strategy_id?: number;
  tag: { id: string; name: string }[];
};
type RangeNode = { type: number; userid?: string; partyid?: number };
type StrategyAnswer = {
  strategy: {
    strategy_id: number;
    parent_id: number;
    strategy_name: string;
    admin_list: string[];
    privilege: Record<string, boolean>;
  };
};

const userids = () => t.sandbox.state.people.members.map((member) => member.userid);
const topLevel = () =>
  t.sandbox.state.strategies.customer.strategies.filter((strategy) => strategy.parent_id === 0);

async function strategyTags(body: Record<string, unknown> = {}): Promise<TagGroup[]> {
  const answer = await t.api.post<{ tag_group: TagGroup[] }>('/get_strategy_tag_list', body);
  expect(answer.errcode).toBe(0);
  return answer.tag_group;
}

/** Every node of a range, following next_cursor until it is absent. */
async function wholeRange(kind: 'customer' | 'moment', strategyId: number): Promise<RangeNode[]> {
  const nodes: RangeNode[] = [];
  let cursor: string | undefined;
  do {
    const page = await t.api.post<{ range: RangeNode[]; next_cursor?: string }>(
      `/${kind}_strategy/get_range`,
      {
        strategy_id: strategyId,
        limit: 2,
        ...(cursor && { cursor }),
      },
    );
    expect(page.errcode).toBe(0);
    expect(page.next_cursor).not.toBe('');
    nodes.push(...page.range);
    cursor = page.next_cursor;
  } while (cursor !== undefined);
  return nodes;
}

describe('strategy-group tags', () => {
  it('lists only strategy groups, each with its strategy_id, and narrows to one strategy', async () => {
    const all = await strategyTags();
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((group) => group.strategy_id !== undefined && group.group_id.startsWith('st'))).toBe(
      true,
    );
    const owner = all[0]?.strategy_id as number;
    const narrowed = await strategyTags({ strategy_id: owner });
    expect(narrowed.every((group) => group.strategy_id === owner)).toBe(true);
    expect((await t.api.post('/get_strategy_tag_list', { strategy_id: 9999 })).errcode).toBe(40058);
  });

  it('add -> list -> edit -> mark on a customer -> delete, and the customer loses the tag', async () => {
    const strategy = topLevel()[0]?.strategy_id as number;
    const added = await t.api.post<{ tag_group: TagGroup }>('/add_strategy_tag', {
      strategy_id: strategy,
      group_name: '规则组活动',
      tag: [{ name: '直播' }, { name: '直播' }, { name: '探店' }],
    });
    expect(added.errcode).toBe(0);
    expect(added.tag_group).not.toHaveProperty('strategy_id');
    expect(added.tag_group.tag.map((tag) => tag.name)).toEqual(['直播', '探店']);
    const [live, visit] = added.tag_group.tag as [TagGroup['tag'][0], TagGroup['tag'][0]];

    const listed = (await strategyTags({ strategy_id: strategy })).find(
      (group) => group.group_id === added.tag_group.group_id,
    );
    expect(listed).toMatchObject({ strategy_id: strategy, group_name: '规则组活动' });

    expect((await t.api.post('/edit_strategy_tag', { id: live.id, name: '线上直播' })).errcode).toBe(0);
    expect((await t.api.post('/edit_strategy_tag', { id: visit.id, name: '线上直播' })).errcode).toBe(40071);
    const renamed = await strategyTags({ tag_id: [live.id], strategy_id: strategy });
    expect(renamed[0]?.tag).toEqual([expect.objectContaining({ id: live.id, name: '线上直播' })]);

    const follow = t.sandbox.state.people.follows[0];
    if (!follow) throw new Error('no seeded follows');
    const mark = { userid: follow.userid, external_userid: follow.external_userid, add_tag: [live.id] };
    expect((await t.api.post('/mark_tag', mark)).errcode).toBe(0);
    expect((await t.api.post('/del_strategy_tag', { tag_id: [live.id] })).errcode).toBe(0);
    expect(follow.tagIds).not.toContain(live.id);
    const remaining = await strategyTags({ strategy_id: strategy });
    expect(remaining.flatMap((group) => group.tag.map((tag) => tag.id))).toContain(visit.id);
    expect(remaining.flatMap((group) => group.tag.map((tag) => tag.id))).not.toContain(live.id);
  });

  it('keeps corp tags out of reach and tags off child strategies', async () => {
    const corpTag = t.sandbox.state.tags.groups.find((group) => group.strategy_id === undefined)?.tag[0]?.id;
    expect((await t.api.post('/edit_strategy_tag', { id: corpTag, name: 'hijack' })).errcode).toBe(40068);
    expect((await t.api.post('/del_strategy_tag', { tag_id: [corpTag] })).errcode).toBe(40068);
    const child = t.sandbox.state.strategies.customer.strategies.find((strategy) => strategy.parent_id !== 0);
    const strategy = child?.strategy_id ?? 9999;
    expect(
      (
        await t.api.post('/add_strategy_tag', {
          strategy_id: strategy,
          group_name: 'g',
          tag: [{ name: 't' }],
        })
      ).errcode,
    ).toBe(40058);
    const foreign = await t.api.post('/add_strategy_tag', {
      strategy_id: topLevel()[0]?.strategy_id,
      group_id: 'stG_unknown',
      tag: [{ name: 't' }],
    });
    expect(foreign.errcode).toBe(40068);
  });
});

describe('customer strategies', () => {
  it('create -> get -> get_range -> edit -> delete, with defaults, basic rights and replacement semantics', async () => {
    const [admin, other, member] = userids();
    const created = await t.api.post<{ strategy_id: number }>('/customer_strategy/create', {
      strategy_name: '新零售',
      admin_list: [admin],
      privilege: { share_customer: false, view_customer_list: false },
      range: [
        { type: 1, userid: member },
        { type: 2, partyid: 3 },
        { type: 2, partyid: 4 },
      ],
    });
    expect(created.errcode).toBe(0);
    const id = created.strategy_id;
    const got = await t.api.post<StrategyAnswer>('/customer_strategy/get', { strategy_id: id });
    expect(got.strategy).toMatchObject({
      strategy_id: id,
      parent_id: 0,
      strategy_name: '新零售',
      admin_list: [admin],
    });
    expect(Object.keys(got.strategy.privilege)).toHaveLength(21);
    // A basic right cannot be switched off; unspecified privileges default to true.
    expect(got.strategy.privilege).toMatchObject({
      view_customer_list: true,
      share_customer: false,
      rapid_reply: true,
    });
    expect(await wholeRange('customer', id)).toEqual([
      { type: 1, userid: member },
      { type: 2, partyid: 3 },
      { type: 2, partyid: 4 },
    ]);

    const edit = await t.api.post('/customer_strategy/edit', {
      strategy_id: id,
      strategy_name: '新零售二部',
      admin_list: [other],
      privilege: { rapid_reply: false },
      range_add: [{ type: 2, partyid: 5 }],
      range_del: [{ type: 2, partyid: 3 }],
    });
    expect(edit.errcode).toBe(0);
    const edited = await t.api.post<StrategyAnswer>('/customer_strategy/get', { strategy_id: id });
    expect(edited.strategy).toMatchObject({ strategy_name: '新零售二部', admin_list: [other] });
    // The privilege object replaced the old one: share_customer is back to its default.
    expect(edited.strategy.privilege).toMatchObject({ rapid_reply: false, share_customer: true });
    expect(await wholeRange('customer', id)).toEqual([
      { type: 1, userid: member },
      { type: 2, partyid: 4 },
      { type: 2, partyid: 5 },
    ]);

    const refused = await t.api.post('/customer_strategy/edit', {
      strategy_id: id,
      strategy_name: 'x',
      admin_list: ['nobody'],
    });
    expect(refused.errcode).toBe(40003);
    expect(
      (await t.api.post<StrategyAnswer>('/customer_strategy/get', { strategy_id: id })).strategy
        .strategy_name,
    ).toBe('新零售二部');

    expect((await t.api.post('/customer_strategy/del', { strategy_id: id })).errcode).toBe(0);
    expect((await t.api.post('/customer_strategy/get', { strategy_id: id })).errcode).toBe(40058);
    expect((await t.api.post('/customer_strategy/get_range', { strategy_id: id })).errcode).toBe(40058);
    expect((await t.api.post('/customer_strategy/del', { strategy_id: id })).errcode).toBe(40058);
  });

  it('children stay inside their parent, inherit its privileges, and go when it goes', async () => {
    const parent = topLevel()[0];
    if (!parent) throw new Error('no seeded strategies');
    const partyid = (parent.range.find((node) => node.type === 2) as { partyid: number }).partyid;
    const inside = t.sandbox.state.people.members.find((member) =>
      member.department.includes(partyid),
    )?.userid;
    const outside = t.sandbox.state.people.members.find(
      (member) => !parent.range.some((node) => node.type === 2 && member.department.includes(node.partyid)),
    );
    const child = (range: RangeNode[]) =>
      t.api.post<{ strategy_id: number }>('/customer_strategy/create', {
        parent_id: parent.strategy_id,
        strategy_name: '子规则组',
        admin_list: [inside],
        privilege: { manage_customer_tag: false },
        range,
      });
    expect((await child([{ type: 1, userid: outside?.userid }])).errcode).toBe(40058);
    const created = await child([{ type: 1, userid: inside }]);
    expect(created.errcode).toBe(0);
    const got = await t.api.post<StrategyAnswer>('/customer_strategy/get', {
      strategy_id: created.strategy_id,
    });
    expect(got.strategy.parent_id).toBe(parent.strategy_id);
    expect(got.strategy.privilege).toEqual(parent.privilege);
    const parentTags = (await strategyTags({ strategy_id: parent.strategy_id })).length;
    expect(parentTags).toBeGreaterThan(0);

    expect((await t.api.post('/customer_strategy/del', { strategy_id: parent.strategy_id })).errcode).toBe(0);
    expect((await t.api.post('/customer_strategy/get', { strategy_id: created.strategy_id })).errcode).toBe(
      40058,
    );
    // The deleted strategy's tag groups went with it.
    expect((await strategyTags()).some((group) => group.strategy_id === parent.strategy_id)).toBe(false);
    const orphan = await t.api.post('/customer_strategy/create', {
      parent_id: parent.strategy_id,
      strategy_name: 'x',
      admin_list: [inside],
    });
    expect(orphan.errcode).toBe(40058);
  });

  it('lists ids without next_cursor on the last page, and refuses a forged cursor', async () => {
    const ids: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await t.api.post<{ strategy: { strategy_id: number }[]; next_cursor?: string }>(
        '/customer_strategy/list',
        {
          limit: 1,
          ...(cursor && { cursor }),
        },
      );
      ids.push(...page.strategy.map((entry) => entry.strategy_id));
      cursor = page.next_cursor;
    } while (cursor !== undefined);
    expect(ids).toEqual(
      t.sandbox.state.strategies.customer.strategies.map((strategy) => strategy.strategy_id),
    );
    const whole = await t.api.post('/customer_strategy/list', {});
    expect(whole).not.toHaveProperty('next_cursor');
    expect((await t.api.post('/customer_strategy/list', { cursor: 'forged' })).errcode).toBe(50100);
  });
});

describe('moment strategies', () => {
  it('create -> list -> get -> get_range -> edit -> delete, each write visible, bad ids refused', async () => {
    const [admin, member] = userids();
    const create = (body: Record<string, unknown>) =>
      t.api.post<{ strategy_id: number }>('/moment_strategy/create', body);
    expect((await create({ strategy_name: '品牌朋友圈', admin_list: ['nobody'] })).errcode).toBe(40003);
    const created = await create({
      strategy_name: '品牌朋友圈',
      admin_list: [admin],
      privilege: { send_moment: false },
      range: [{ type: 1, userid: member }],
    });
    expect(created.errcode).toBe(0);
    const id = created.strategy_id;

    const list = await t.api.post<{ strategy: { strategy_id: number }[] }>('/moment_strategy/list', {
      limit: 1000,
    });
    expect(list.strategy).toContainEqual({ strategy_id: id });
    expect(list).not.toHaveProperty('next_cursor');
    expect((await t.api.post('/moment_strategy/list', { cursor: 'forged' })).errcode).toBe(50100);

    const got = await t.api.post<StrategyAnswer>('/moment_strategy/get', { strategy_id: id });
    expect(got.strategy.privilege).toEqual({
      view_moment_list: true,
      send_moment: false,
      manage_moment_cover_and_sign: true,
    });
    expect(await wholeRange('moment', id)).toEqual([{ type: 1, userid: member }]);

    const edit = {
      strategy_id: id,
      range_add: [{ type: 2, partyid: 2 }],
      range_del: [{ type: 1, userid: member }],
    };
    expect((await t.api.post('/moment_strategy/edit', edit)).errcode).toBe(0);
    expect(await wholeRange('moment', id)).toEqual([{ type: 2, partyid: 2 }]);
    expect(
      (await t.api.post('/moment_strategy/edit', { ...edit, range_add: [{ type: 2, partyid: 999 }] }))
        .errcode,
    ).toBe(40066);

    expect((await t.api.post('/moment_strategy/del', { strategy_id: id })).errcode).toBe(0);
    for (const path of [
      '/moment_strategy/get',
      '/moment_strategy/get_range',
      '/moment_strategy/del',
      '/moment_strategy/edit',
    ]) {
      expect((await t.api.post(path, { strategy_id: id })).errcode).toBe(40058);
    }
    // Customer and moment strategy groups are numbered separately.
    const customerIds = t.sandbox.state.strategies.customer.strategies.map(
      (strategy) => strategy.strategy_id,
    );
    expect(customerIds).toContain(1);
    expect((await t.api.post('/moment_strategy/get', { strategy_id: 1 })).errcode).toBe(0);
  });
});
