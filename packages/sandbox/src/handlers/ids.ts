import { ApiError } from '../api-error';
import { requireChat } from '../domain/chats';
import {
  corpIdFromProvider,
  externalUserOfUnionid,
  openidOfExternalUser,
  providerIdOf,
  requireExternalUserid,
  resolveExternalUserid,
} from '../domain/external-ids';
import type { HandlerTable } from './context';

export const idHandlers = {
  convertToOpenid: ({ state, input }) => ({ openid: openidOfExternalUser(state, input.external_userid) }),
  unionidToExternalUserid: ({ state, input }) => ({
    external_userid: externalUserOfUnionid(state, input.unionid, input.openid),
  }),
  getNewExternalUserid: ({ state, input }) => ({
    items: input.external_userid_list.flatMap((externalUserid) => {
      const resolved = resolveExternalUserid(state, externalUserid);
      // Only contacts convert here; group members who are nobody's contact need the group-chat variant.
      if (!resolved || !state.people.followsByCustomer.has(resolved.corpId)) return [];
      return [{ external_userid: externalUserid, new_external_userid: providerIdOf(resolved) }];
    }),
  }),
  getGroupChatNewExternalUserid: ({ state, input }) => {
    const chat = requireChat(state, input.chat_id);
    const externalMembers = new Set(
      chat.members.filter((member) => member.type === 2).map((member) => member.userid),
    );
    return {
      items: input.external_userid_list.flatMap((externalUserid) => {
        const resolved = resolveExternalUserid(state, externalUserid);
        if (!resolved || !externalMembers.has(resolved.corpId)) return [];
        return [{ external_userid: externalUserid, new_external_userid: providerIdOf(resolved) }];
      }),
    };
  },
  toServiceExternalUserid: ({ state, input }) => ({
    external_userid: providerIdOf(requireExternalUserid(state, input.external_userid)),
  }),
  fromServiceExternalUserid: ({ state, input }) => {
    if (input.source_agentid <= 0) throw new ApiError(40056, 'invalid agentid');
    return { external_userid: corpIdFromProvider(state, input.external_userid) };
  },
} satisfies HandlerTable;
