import type { Random } from '../random';
import { DAY } from '../time';
import type { People } from './people';

/**
 * A person the corp served who is not a customer: added by a member who never marked them as
 * one, or met in a group chat the owner never marked as a customer group. Only contact_list
 * shows them, with a masked name.
 */
export interface OtherContact {
  tmp_openid: string;
  name: string;
  /** The member who added them, or the owner of the unmarked group chat. */
  follow_userid: string;
  /** Set when they were met in an unmarked group chat rather than added. */
  chat_name?: string;
  add_time: number;
}

const NAMES = ['陈小开', '王大伟', '李思', '赵晓雪', '孙悦'];
const CHAT_NAMES = ['同学群', '周末骑行', '业主交流群', '家长群'];

/** About one such contact per twenty customer relations, half of them from unmarked group chats. */
export function seedOtherContacts(random: Random, people: People, nowSeconds: number): OtherContact[] {
  const members = people.members.filter((member) => member.hasCustomerContact);
  if (members.length === 0) return [];
  const count = Math.max(2, Math.round(people.follows.length / 20));
  return Array.from({ length: count }, (_, index) => ({
    tmp_openid: `tmp_other_${index.toString(36)}`,
    name: random.pick(NAMES),
    follow_userid: random.pick(members).userid,
    ...(index % 2 === 1 && { chat_name: random.pick(CHAT_NAMES) }),
    add_time: nowSeconds - random.int(1, 365) * DAY,
  }));
}

/** WeCom shows a non-customer's nickname masked but for its last character (`***开`). */
export function maskedName(name: string): string {
  return `***${[...name].at(-1) ?? ''}`;
}
