import type { Random } from '../random';
import { DAY } from '../time';
import type { People } from './people';
import { newTagId, type TagLibrary } from './tags';

/** One node of a strategy group's range: a member (type 1) or a department (type 2). */
export type StrategyRangeNode = { type: 1; userid: string } | { type: 2; partyid: number };

export interface Strategy {
  strategy_id: number;
  /** 0 for a top-level group. */
  parent_id: number;
  strategy_name: string;
  create_time: number;
  admin_list: string[];
  /** Own privileges; a child group reports its root's instead. */
  privilege: Record<string, boolean>;
  range: StrategyRangeNode[];
}

/** The strategy groups of one kind (客户规则组 or 朋友圈规则组); the kinds have separate ids. */
export interface StrategyShelf {
  strategies: Strategy[];
  byId: Map<number, Strategy>;
  nextId: number;
}

export interface StrategyBook {
  customer: StrategyShelf;
  moment: StrategyShelf;
}

export const CUSTOMER_PRIVILEGES = [
  'view_customer_list',
  'view_customer_data',
  'view_room_list',
  'contact_me',
  'join_room',
  'share_customer',
  'oper_resign_customer',
  'oper_resign_group',
  'send_customer_msg',
  'edit_welcome_msg',
  'view_behavior_data',
  'view_room_data',
  'send_group_msg',
  'room_deduplication',
  'rapid_reply',
  'onjob_customer_transfer',
  'edit_anti_spam_rule',
  'export_customer_list',
  'export_customer_data',
  'export_customer_group_list',
  'manage_customer_tag',
] as const;
/** Basic rights every customer strategy grants; they cannot be switched off. */
export const BASIC_CUSTOMER_PRIVILEGES = CUSTOMER_PRIVILEGES.slice(0, 5);
export const MOMENT_PRIVILEGES = ['view_moment_list', 'send_moment', 'manage_moment_cover_and_sign'] as const;

const REGIONS = ['华东大区', '华南大区', '华北大区', '西南大区', '华中大区', '西北大区', '东北大区'];
const STRATEGY_TAGS: [string, string[]][] = [
  ['区域客户分级', ['A类', 'B类', 'C类']],
  ['区域活动', ['门店体验', '区域沙龙']],
];

/** Grants every privilege but the listed ones, and never takes away a basic one. */
export function privilegeSet<Key extends string>(
  keys: readonly Key[],
  granted: Readonly<Record<string, unknown>>,
  basic: readonly string[] = [],
): Record<Key, boolean> {
  const flags = keys.map((key) => [key, basic.includes(key) || granted[key] !== false] as const);
  // Built from exactly `keys`, so every Key is present.
  return Object.fromEntries(flags) as Record<Key, boolean>;
}

export function addStrategy(shelf: StrategyShelf, fields: Omit<Strategy, 'strategy_id'>): Strategy {
  const strategy = { strategy_id: shelf.nextId++, ...fields };
  shelf.strategies.push(strategy);
  shelf.byId.set(strategy.strategy_id, strategy);
  return strategy;
}

/**
 * Regional customer strategies (some with a team-level child) that own a few strategy-group tags,
 * and a couple of moment strategies.
 */
export function seedStrategies(
  random: Random,
  people: People,
  scale: number,
  nowSeconds: number,
  tags: TagLibrary,
): StrategyBook {
  const book: StrategyBook = {
    customer: { strategies: [], byId: new Map(), nextId: 1 },
    moment: { strategies: [], byId: new Map(), nextId: 1 },
  };
  const departments = [...new Set(people.members.flatMap((member) => member.department))].sort(
    (a, b) => a - b,
  );
  const active = people.members.filter((member) => member.dimissionTime === undefined);
  const regions = Math.max(2, Math.min(REGIONS.length, Math.round(scale / 1_000)));
  for (let index = 0; index < regions; index++) {
    const partyids = random.sample(departments, random.int(1, 2));
    const inRegion = active.filter((member) =>
      member.department.some((department) => partyids.includes(department)),
    );
    const created = nowSeconds - random.int(100, 600) * DAY;
    const top = addStrategy(book.customer, {
      parent_id: 0,
      strategy_name: REGIONS[index] as string,
      create_time: created,
      admin_list: random
        .sample(inRegion, Math.min(inRegion.length, random.int(1, 2)))
        .map((member) => member.userid),
      privilege: privilegeSet(
        CUSTOMER_PRIVILEGES,
        Object.fromEntries(random.sample(CUSTOMER_PRIVILEGES, 3).map((key) => [key, false])),
        BASIC_CUSTOMER_PRIVILEGES,
      ),
      range: partyids.map((partyid) => ({ type: 2, partyid })),
    });
    if (inRegion.length > 2 && random.chance(0.6)) {
      const team = random.sample(inRegion, Math.min(inRegion.length, random.int(2, 6)));
      addStrategy(book.customer, {
        parent_id: top.strategy_id,
        strategy_name: `${top.strategy_name}一组`,
        create_time: created + random.int(1, 60) * DAY,
        admin_list: [team[0]?.userid as string],
        privilege: {},
        range: team.map((member) => ({ type: 1, userid: member.userid })),
      });
    }
    const [groupName, tagNames] = STRATEGY_TAGS[index % STRATEGY_TAGS.length] as [string, string[]];
    tags.groups.push({
      group_id: newTagId(tags, 'group', true),
      group_name: groupName,
      create_time: created,
      order: 1,
      strategy_id: top.strategy_id,
      tag: tagNames.map((name, order) => ({
        id: newTagId(tags, 'tag', true),
        name,
        create_time: created,
        order,
      })),
    });
  }
  for (const name of ['市场部朋友圈', '销售团队朋友圈']) {
    const members = random.sample(active, Math.min(active.length, random.int(3, 10)));
    addStrategy(book.moment, {
      parent_id: 0,
      strategy_name: name,
      create_time: nowSeconds - random.int(30, 300) * DAY,
      admin_list: [members[0]?.userid as string],
      privilege: privilegeSet(MOMENT_PRIVILEGES, { send_moment: random.chance(0.8) }),
      range: [
        ...members.map((member): StrategyRangeNode => ({ type: 1, userid: member.userid })),
        { type: 2, partyid: random.pick(departments) },
      ],
    });
  }
  return book;
}
