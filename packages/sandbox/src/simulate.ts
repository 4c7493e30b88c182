import { ApiError } from './api-error';
import type { SandboxEvent } from './callbacks';
import type { SandboxState } from './state';
import { issueWelcomeCode } from './state/messages';
import type { Customer, Follow } from './state/people';

export interface AddedCustomer {
  external_userid: string;
  welcome_code: string;
}

/**
 * A new WeChat user adds `userid` (e.g. by scanning a contact way carrying `state`): the relation
 * exists at once, and WeCom pushes add_external_contact with a fresh welcome code.
 */
export function simulateAddCustomer(
  state: SandboxState,
  input: { userid?: unknown; state?: unknown },
  nowMs: number,
  emit: (event: SandboxEvent) => void,
): AddedCustomer {
  const { people } = state;
  const member = typeof input.userid === 'string' ? people.membersById.get(input.userid) : undefined;
  if (!member?.hasCustomerContact || member.dimissionTime !== undefined)
    throw new ApiError(
      40003,
      `invalid userid ${String(input.userid)}: not an active member with customer contact`,
    );
  if (input.state !== undefined && (typeof input.state !== 'string' || input.state.length > 30))
    throw new ApiError(40058, 'invalid parameter: state must be a string of at most 30 characters');
  const customer = newCustomer(people.customers.length, (id) => people.customersById.has(id));
  const nowSeconds = Math.floor(nowMs / 1000);
  const follow: Follow = {
    userid: member.userid,
    external_userid: customer.external_userid,
    remark: '',
    description: '',
    createtime: nowSeconds,
    tagIds: [],
    remark_corp_name: '',
    remark_mobiles: [],
    // 1: scanned the member's QR code, the usual way a customer adds a member.
    add_way: 1,
    oper_userid: customer.external_userid,
    ...(input.state !== undefined && { state: input.state }),
  };
  people.customers.push(customer);
  people.customersById.set(customer.external_userid, customer);
  people.follows.push(follow);
  pushTo(people.followsByMember, member.userid, follow);
  pushTo(people.followsByCustomer, customer.external_userid, follow);
  const welcomeCode = issueWelcomeCode(state.messages, member.userid, customer.external_userid, nowMs);
  emit({
    Event: 'change_external_contact',
    ChangeType: 'add_external_contact',
    UserID: member.userid,
    ExternalUserID: customer.external_userid,
    ...(follow.state !== undefined && { State: follow.state }),
    WelcomeCode: welcomeCode,
  });
  return { external_userid: customer.external_userid, welcome_code: welcomeCode };
}

/** Ids continue the seeded `wm<base36 index>SANDBOX` series, skipping any already taken. */
function newCustomer(start: number, taken: (id: string) => boolean): Customer {
  let index = start;
  while (taken(idAt(index))) index++;
  const id = index.toString(36).padStart(8, '0');
  return {
    external_userid: idAt(index),
    name: `新客户${index}`,
    type: 1,
    gender: 0,
    avatar: `https://wx.qlogo.cn/sandbox/${id}/0`,
  };
}

function idAt(index: number): string {
  return `wm${index.toString(36).padStart(8, '0')}SANDBOX`;
}

function pushTo(map: Map<string, Follow[]>, key: string, follow: Follow): void {
  const list = map.get(key);
  if (list) list.push(follow);
  else map.set(key, [follow]);
}
