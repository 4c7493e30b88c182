import { createHash } from 'node:crypto';
import { ApiError } from '../api-error';
import { requireChat } from '../domain/chats';
import type { SandboxState } from '../state';
import { findExternalUser } from '../state/group-chats';
import type { Handler, HandlerTable } from './context';

/*
 * The sandbox serves one corp-subject app, so ids it hands out elsewhere are corp-subject
 * (企业主体). Provider-subject ids (服务商主体) are a reversible encoding of them: keeping the
 * wm/wo prefix, then `SP` and the rest in base64url. Seeded ids never have `SP` after the prefix
 * (customers use lower-case base 36, group guests a `G`), so the two subjects cannot be confused.
 */
const PROVIDER_MARK = 'SP';

function toProviderId(externalUserid: string): string {
  return `${externalUserid.slice(0, 2)}${PROVIDER_MARK}${Buffer.from(externalUserid.slice(2)).toString('base64url')}`;
}

function fromProviderId(externalUserid: string): string | undefined {
  if (externalUserid.slice(2, 4) !== PROVIDER_MARK) return undefined;
  return `${externalUserid.slice(0, 2)}${Buffer.from(externalUserid.slice(4), 'base64url').toString()}`;
}

/** A known external user's corp-subject id, and whether the id given was provider-subject. */
function resolve(
  state: SandboxState,
  externalUserid: string,
): { corpId: string; provider: boolean } | undefined {
  const decoded = fromProviderId(externalUserid);
  const corpId = decoded ?? externalUserid;
  return findExternalUser(state.people, state.groupChats, corpId)
    ? { corpId, provider: decoded !== undefined }
    : undefined;
}

function providerIdOf(externalUserid: string, resolved: { provider: boolean }): string {
  return resolved.provider ? externalUserid : toProviderId(externalUserid);
}

function openidOf(externalUserid: string): string {
  return `o${createHash('sha256').update(`openid:${externalUserid}`).digest('base64url').slice(0, 27)}`;
}

const convertToOpenid: Handler<'convertToOpenid'> = ({ state, input }) => {
  const externalUserid = input.external_userid;
  if (!findExternalUser(state.people, state.groupChats, externalUserid))
    throw new ApiError(40096, 'invalid external userid');
  // wo… ids are WeCom users, who have no WeChat openid.
  if (externalUserid.startsWith('wo')) throw new ApiError(43004, 'external user is not a WeChat user');
  return { openid: openidOf(externalUserid) };
};

const unionidToExternalUserid: Handler<'unionidToExternalUserid'> = ({ state, input }) => {
  const unionid = input.unionid;
  const user =
    state.people.customers.find((customer) => customer.unionid === unionid) ??
    [...state.groupChats.guests.values()].find((guest) => guest.unionid === unionid);
  if (!user) throw new ApiError(610014, 'invalid unionid');
  if (openidOf(user.external_userid) !== input.openid) {
    throw new ApiError(610018, 'openid and unionid are not under the same open platform account');
  }
  return { external_userid: user.external_userid };
};

const getNewExternalUserid: Handler<'getNewExternalUserid'> = ({ state, input }) => ({
  items: input.external_userid_list.flatMap((externalUserid) => {
    const resolved = resolve(state, externalUserid);
    // Only contacts convert here; group members who are nobody's contact need the group-chat variant.
    if (!resolved || !state.people.followsByCustomer.has(resolved.corpId)) return [];
    return [{ external_userid: externalUserid, new_external_userid: providerIdOf(externalUserid, resolved) }];
  }),
});

const getGroupChatNewExternalUserid: Handler<'getGroupChatNewExternalUserid'> = ({ state, input }) => {
  const chat = requireChat(state, input.chat_id);
  const externalMembers = new Set(
    chat.members.filter((member) => member.type === 2).map((member) => member.userid),
  );
  return {
    items: input.external_userid_list.flatMap((externalUserid) => {
      const resolved = resolve(state, externalUserid);
      if (!resolved || !externalMembers.has(resolved.corpId)) return [];
      return [
        { external_userid: externalUserid, new_external_userid: providerIdOf(externalUserid, resolved) },
      ];
    }),
  };
};

const toServiceExternalUserid: Handler<'toServiceExternalUserid'> = ({ state, input }) => {
  const externalUserid = input.external_userid;
  const resolved = resolve(state, externalUserid);
  if (!resolved) throw new ApiError(40096, 'invalid external userid');
  return { external_userid: providerIdOf(externalUserid, resolved) };
};

const fromServiceExternalUserid: Handler<'fromServiceExternalUserid'> = ({ state, input }) => {
  if (input.source_agentid <= 0) throw new ApiError(40056, 'invalid agentid');
  const corpId = fromProviderId(input.external_userid);
  // A corp-subject id is refused too: this call only accepts ids a provider's app obtained.
  if (corpId === undefined || !findExternalUser(state.people, state.groupChats, corpId)) {
    throw new ApiError(40096, 'invalid external userid');
  }
  return { external_userid: corpId };
};

export const idHandlers = {
  convertToOpenid,
  unionidToExternalUserid,
  getNewExternalUserid,
  getGroupChatNewExternalUserid,
  toServiceExternalUserid,
  fromServiceExternalUserid,
} satisfies HandlerTable;
