import { contactEvent, requireFollow } from '../domain/people';
import type { SandboxState } from '../state';
import { issueWelcomeCode } from '../state/messages';
import { addFollow, type Customer, type Follow, removeFollow } from '../state/people';
import { toSeconds } from '../time';
import { type Emit, optionalString, requireActiveFollower, type Simulation, stringField } from './input';

export interface AddedCustomer {
  external_userid: string;
  welcome_code: string;
}

/**
 * A new WeChat user adds `userid` (e.g. by scanning a contact way carrying `state`): the relation
 * exists at once, and WeCom pushes add_external_contact with a fresh welcome code. With
 * add_half_external_contact the member's contact way needed no approval and the member has not
 * added the customer back yet; WeCom lists the relation all the same, and its code works alike.
 */
export function simulateAddCustomer(
  state: SandboxState,
  input: Record<string, unknown>,
  nowMs: number,
  emit: Emit,
  ChangeType: 'add_external_contact' | 'add_half_external_contact' = 'add_external_contact',
): AddedCustomer {
  const { people } = state;
  const member = requireActiveFollower(state, input.userid);
  const contactState = optionalString(input, 'state', 30);
  const customer = newCustomer(people.customers.length, (id) => people.customersById.has(id));
  const follow: Follow = {
    userid: member.userid,
    external_userid: customer.external_userid,
    remark: '',
    description: '',
    createtime: toSeconds(nowMs),
    tagIds: [],
    remark_corp_name: '',
    remark_mobiles: [],
    // 1: scanned the member's QR code, the usual way a customer adds a member.
    add_way: 1,
    oper_userid: customer.external_userid,
    ...(contactState !== undefined && { state: contactState }),
  };
  people.customers.push(customer);
  people.customersById.set(customer.external_userid, customer);
  addFollow(people, follow);
  const welcomeCode = issueWelcomeCode(state.messages, member.userid, customer.external_userid, nowMs);
  emit({
    Event: 'change_external_contact',
    ChangeType,
    UserID: member.userid,
    ExternalUserID: customer.external_userid,
    ...(contactState !== undefined && { State: contactState }),
    WelcomeCode: welcomeCode,
  });
  return { external_userid: customer.external_userid, welcome_code: welcomeCode };
}

/**
 * The customer deletes the member from their WeChat contacts. As WeCom does, the member keeps the
 * customer (lists and reads are unchanged) until the member deletes them too.
 */
export const simulateCustomerDeletesMember: Simulation = (state, input, _nowMs, emit) => {
  const follow = requirePair(state, input);
  emit(contactEvent(follow, 'del_follow_user'));
  return {};
};

/** The member deletes the customer: that one relation ends; other members keep theirs. */
export const simulateMemberDeletesCustomer: Simulation = (state, input, _nowMs, emit) => {
  const follow = requirePair(state, input);
  removeFollow(state.people, follow);
  emit(contactEvent(follow, 'del_external_contact'));
  return {};
};

function requirePair(state: SandboxState, input: Record<string, unknown>): Follow {
  return requireFollow(state, stringField(input, 'userid'), stringField(input, 'external_userid'));
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
