import type { Random } from '../random';
import { DAY } from '../time';
import type { People } from './people';

export interface CorpTag {
  id: string;
  name: string;
  create_time: number;
  order: number;
}

export interface TagGroup {
  group_id: string;
  group_name: string;
  create_time: number;
  order: number;
  tag: CorpTag[];
  /** Set for groups that belong to a customer strategy (规则组) rather than the whole corp. */
  strategy_id?: number;
}

export interface TagLibrary {
  groups: TagGroup[];
  nextId: number;
}

const SEED_GROUPS: [string, string[]][] = [
  ['客户等级', ['VIP', '重要', '普通']],
  ['客户来源', ['线下活动', '官网', '转介绍', '广告投放']],
  ['意向产品', ['企业版', '旗舰版', '私有化部署']],
  ['跟进阶段', ['初次接触', '需求确认', '方案报价', '已成交', '已流失']],
];

export function seedTags(random: Random, people: People, nowSeconds: number): TagLibrary {
  const library: TagLibrary = { groups: [], nextId: 1 };
  for (const [index, [groupName, tagNames]] of SEED_GROUPS.entries()) {
    const created = nowSeconds - (400 - index) * DAY;
    library.groups.push({
      group_id: newTagId(library, 'group'),
      group_name: groupName,
      create_time: created,
      order: SEED_GROUPS.length - index,
      tag: tagNames.map((name, tagIndex) => ({
        id: newTagId(library, 'tag'),
        name,
        create_time: created,
        order: tagNames.length - tagIndex,
      })),
    });
  }
  const allTags = library.groups.flatMap((group) => group.tag.map((tag) => tag.id));
  for (const follow of people.follows) {
    if (random.chance(0.6)) follow.tagIds = random.sample(allTags, random.int(1, 3));
  }
  return library;
}

/** Ids in WeCom's style: corp tags and groups start with `et`, strategy ones with `st`. */
export function newTagId(library: TagLibrary, kind: 'group' | 'tag', strategy = false): string {
  const prefix = strategy ? 'st' : 'et';
  const id = String(library.nextId++).padStart(6, '0');
  return `${prefix}${kind === 'group' ? 'G' : 'T'}${id}SANDBOX`;
}

export function findTag(library: TagLibrary, tagId: string): { group: TagGroup; tag: CorpTag } | undefined {
  for (const group of library.groups) {
    const tag = group.tag.find((candidate) => candidate.id === tagId);
    if (tag) return { group, tag };
  }
  return undefined;
}
