import { simulateCreateChat, simulateDismissChat, simulateJoinChat, simulateLeaveChat } from './chats';
import {
  simulateAddCustomer,
  simulateCustomerDeletesMember,
  simulateMemberDeletesCustomer,
} from './contacts';
import type { Simulation } from './input';
import {
  simulateAdminCreateTag,
  simulateAdminDeleteTag,
  simulateAdminEditTag,
  simulateAdminShuffleTags,
} from './tags';

export { type AddedCustomer, simulateAddCustomer } from './contacts';
export type { Simulation } from './input';

/** POST /__sandbox/simulate/<name>, by name. */
export const simulations: Readonly<Record<string, Simulation>> = {
  'add-customer': (state, input, nowMs, emit) => simulateAddCustomer(state, input, nowMs, emit),
  'add-half-customer': (state, input, nowMs, emit) =>
    simulateAddCustomer(state, input, nowMs, emit, 'add_half_external_contact'),
  'customer-deletes-member': simulateCustomerDeletesMember,
  'member-deletes-customer': simulateMemberDeletesCustomer,
  'join-chat': simulateJoinChat,
  'leave-chat': simulateLeaveChat,
  'create-chat': simulateCreateChat,
  'dismiss-chat': simulateDismissChat,
  'admin-create-tag': simulateAdminCreateTag,
  'admin-edit-tag': simulateAdminEditTag,
  'admin-delete-tag': simulateAdminDeleteTag,
  'admin-shuffle-tags': simulateAdminShuffleTags,
};
