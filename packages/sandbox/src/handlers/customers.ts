import type { OperationItem } from '@wecom-kit/client';
import {
  customerContactMembers,
  editEvent,
  followersOf,
  followsOf,
  requireCustomer,
  requireFollow,
  requireMember,
  updateRemark,
} from '../domain/people';
import { concatListing, mapListing } from '../listing';
import type { SandboxState } from '../state';
import type { GroupGuest } from '../state/group-chats';
import { maskedName, type OtherContact } from '../state/other-contacts';
import type { Customer, Follow } from '../state/people';
import { findTag, type TagLibrary } from '../state/tags';
import type { Handler, HandlerTable } from './context';

function externalContactView(customer: Customer) {
  return { ...customer };
}

function followUserView(follow: Follow, tags: TagLibrary) {
  const { tagIds, external_userid: _customer, ...rest } = follow;
  return {
    ...rest,
    tags: tagIds.flatMap((tagId) => {
      const found = findTag(tags, tagId);
      return found
        ? [{ group_name: found.group.group_name, tag_name: found.tag.name, tag_id: tagId, type: 1 }]
        : [];
    }),
  };
}

function followInfoView(follow: Follow) {
  const { tagIds, external_userid: _customer, ...rest } = follow;
  return { ...rest, tag_id: tagIds };
}

const getFollowUserList: Handler<'getFollowUserList'> = ({ state }) => ({
  follow_user: customerContactMembers(state).map((member) => member.userid),
});

const listExternalContacts: Handler<'listExternalContacts'> = ({ state, input }) => ({
  external_userid: followsOf(state, requireMember(state, input.userid).userid).map(
    (follow) => follow.external_userid,
  ),
});

const getExternalContact: Handler<'getExternalContact'> = (context) => {
  const { state, input } = context;
  const customer = requireCustomer(state, input.external_userid);
  const page = context.page(
    followersOf(state, customer.external_userid).map((follow) => followUserView(follow, state.tags)),
    `get:${customer.external_userid}`,
  );
  // WeCom only returns next_cursor when there is a next page.
  if (page.next_cursor === '') delete page.next_cursor;
  return { external_contact: externalContactView(customer), ...page };
};

const batchGetByUser: Handler<'batchGetByUser'> = (context) => {
  const { state, input } = context;
  // Older SDKs send the single `userid` the endpoint took before userid_list.
  // The server has checked that one of the two is there.
  const userids = input.userid_list ?? (input.userid === undefined ? [] : [input.userid]);
  for (const userid of userids) requireMember(state, userid);
  // 100 members can follow thousands of customers: only the page's pairs are built.
  const follows = concatListing(userids.map((userid) => followsOf(state, userid)));
  const pairs = mapListing(follows, (follow) => ({
    external_contact: externalContactView(requireCustomer(state, follow.external_userid)),
    follow_info: followInfoView(follow),
  }));
  return context.page(pairs, `batch:${userids.join(',')}`);
};

const updateExternalContactRemark: Handler<'updateExternalContactRemark'> = ({ state, input, emit }) => {
  const follow = requireFollow(state, input.userid, input.external_userid);
  updateRemark(follow, input);
  emit(editEvent(follow));
  return {};
};

function servedContactView(follow: Follow) {
  return {
    is_customer: true,
    tmp_openid: `tmp_${follow.external_userid}`,
    external_userid: follow.external_userid,
    follow_userid: follow.userid,
    add_time: follow.createtime,
  };
}

function otherContactView({ name, ...contact }: OtherContact) {
  return { is_customer: false, name: maskedName(name), ...contact };
}

/** A person met in a customer group who is nobody's customer: a row with the chat's id. */
function groupGuestView(state: SandboxState, guest: GroupGuest) {
  const owner = state.groupChats.chatsById.get(guest.metIn.chat_id)?.owner;
  return {
    is_customer: false,
    tmp_openid: `tmp_${guest.external_userid}`,
    name: maskedName(guest.name),
    ...(owner !== undefined && { follow_userid: owner }),
    chat_id: guest.metIn.chat_id,
    add_time: guest.metIn.join_time,
  };
}

// Every relation of the corp is a row (115,000 at scale 100,000): only the page's rows are built.
const listServedContacts: Handler<'listServedContacts'> = (context) => {
  const { state } = context;
  return context.page(
    concatListing<OperationItem<'listServedContacts'>>([
      mapListing(state.people.follows, servedContactView),
      mapListing(state.otherContacts, otherContactView),
      mapListing([...state.groupChats.guests.values()], (guest) => groupGuestView(state, guest)),
    ]),
    'contact_list',
  );
};

export const customerHandlers = {
  getFollowUserList,
  listExternalContacts,
  getExternalContact,
  batchGetByUser,
  updateExternalContactRemark,
  listServedContacts,
} satisfies HandlerTable;
