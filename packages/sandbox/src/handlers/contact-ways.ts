import { ApiError, invalidParameter } from '../api-error';
import { requireConfigQuota } from '../domain/chats';
import { requireCustomer, requireMember } from '../domain/people';
import type { SandboxState } from '../state';
import {
  type ContactWay,
  type ContactWayConclusions,
  DEFAULT_TEMP_CHAT_EXPIRES_IN,
  DEFAULT_TEMP_EXPIRES_IN,
  LISTABLE_SINCE,
  newConfigId,
  qrCodeUrl,
} from '../state/contact-ways';
import { DAY } from '../time';
import { type Handler, type HandlerTable, seconds } from './context';

const MAX_MEMBERS_PER_WAY = 100;

function requireContactWay(state: SandboxState, configId: unknown): ContactWay {
  const way = typeof configId === 'string' ? state.contactWays.ways.get(configId) : undefined;
  if (!way) throw new ApiError(41044, 'invalid config_id');
  return way;
}

/** The member rules add_contact_way and update_contact_way share. */
function checkStaff(state: SandboxState, way: ContactWay): void {
  if ((way.type === 1 || way.is_temp) && way.user.length !== 1) {
    throw invalidParameter('a single-member or temporary configuration needs exactly one user');
  }
  for (const userid of way.user) {
    const member = requireMember(state, userid);
    if (!member.hasCustomerContact || member.dimissionTime !== undefined) {
      throw new ApiError(41054, `user ${userid} is not active or has no customer contact permission`);
    }
  }
  const parties = new Set(way.party);
  const covered = new Set(way.user);
  const known = new Set<number>();
  for (const member of state.people.members) {
    for (const department of member.department) {
      known.add(department);
      if (parties.has(department)) covered.add(member.userid);
    }
  }
  for (const party of parties)
    if (!known.has(party)) throw new ApiError(60011, `no privilege to access department ${party}`);
  if (covered.size === 0) throw invalidParameter('user and party cannot both be empty');
  if (covered.size > MAX_MEMBERS_PER_WAY)
    throw new ApiError(41041, `contact way user count exceeds ${MAX_MEMBERS_PER_WAY}`);
}

function conclusionsFrom(value: unknown): ContactWayConclusions {
  const conclusions = value as ContactWayConclusions;
  if (!conclusions.text && !conclusions.image && !conclusions.link && !conclusions.miniprogram) {
    throw invalidParameter('conclusions: text, image, link and miniprogram cannot all be empty');
  }
  return conclusions;
}

/** Applies the optional fields both writes accept; a field that is sent replaces the old value. */
function withChanges(way: ContactWay, input: Record<string, unknown>): ContactWay {
  const next = { ...way };
  if (typeof input.remark === 'string') next.remark = input.remark;
  if (typeof input.skip_verify === 'boolean') next.skip_verify = input.skip_verify;
  if (typeof input.state === 'string') next.state = input.state;
  if (next.scene === 1 && typeof input.style === 'number') {
    if (input.style < 1) throw new ApiError(41042, 'invalid contact way style');
    next.style = input.style;
  }
  if (Array.isArray(input.user)) next.user = input.user as string[];
  if (next.type === 2 && Array.isArray(input.party)) next.party = input.party as number[];
  if (next.is_temp) {
    if (typeof input.expires_in === 'number') next.expires_in = input.expires_in;
    if (typeof input.chat_expires_in === 'number') next.chat_expires_in = input.chat_expires_in;
    if (typeof input.unionid === 'string') next.unionid = input.unionid;
    if (input.conclusions !== undefined) next.conclusions = conclusionsFrom(input.conclusions);
  }
  return next;
}

function contactWayView(way: ContactWay) {
  const { createTime: _createTime, conclusions, ...view } = way;
  return {
    ...view,
    ...(way.scene === 2 && { qr_code: qrCodeUrl(way.config_id) }),
    ...(conclusions && { conclusions: conclusionsView(conclusions) }),
  };
}

/** WeCom takes the closing image as a media_id and gives it back as a URL. */
function conclusionsView({ image, ...rest }: ContactWayConclusions) {
  return {
    ...rest,
    ...(image && {
      image: { pic_url: `https://wework.qpic.cn/wwpic/sandbox/media/${image.media_id ?? 'unknown'}/0` },
    }),
  };
}

const addContactWay: Handler<'addContactWay'> = (context) => {
  const { state, input } = context;
  if (input.type !== 1 && input.type !== 2) throw new ApiError(41039, 'invalid contact way type');
  if (input.scene !== 1 && input.scene !== 2) throw new ApiError(41040, 'invalid contact way scene');
  const isTemp = input.is_temp === true;
  const draft = withChanges(
    {
      config_id: '',
      type: input.type,
      scene: input.scene,
      remark: '',
      skip_verify: true,
      user: [],
      party: [],
      is_temp: isTemp,
      ...(isTemp && { expires_in: DEFAULT_TEMP_EXPIRES_IN, chat_expires_in: DEFAULT_TEMP_CHAT_EXPIRES_IN }),
      ...(typeof input.mark_source === 'boolean' && { mark_source: input.mark_source }),
      createTime: seconds(context),
    },
    input,
  );
  checkStaff(state, draft);
  if (!isTemp) requireConfigQuota(state);
  const way = { ...draft, config_id: newConfigId(state.contactWays, 'contact_way') };
  state.contactWays.ways.set(way.config_id, way);
  return { config_id: way.config_id, ...(way.scene === 2 && { qr_code: qrCodeUrl(way.config_id) }) };
};

const getContactWay: Handler<'getContactWay'> = ({ state, input }) => ({
  contact_way: contactWayView(requireContactWay(state, input.config_id)),
});

const listContactWays: Handler<'listContactWays'> = (context) => {
  const { state, input } = context;
  const now = seconds(context);
  const start = Math.max(
    LISTABLE_SINCE,
    typeof input.start_time === 'number' ? input.start_time : now - 90 * DAY,
  );
  const end = typeof input.end_time === 'number' ? input.end_time : now;
  const rows = [...state.contactWays.ways.values()]
    .filter((way) => !way.is_temp && way.createTime >= start && way.createTime <= end)
    .sort((a, b) => a.createTime - b.createTime)
    .map((way) => ({ config_id: way.config_id }));
  // Omitted times stay out of the scope: their defaults move with the clock between pages.
  return context.page(
    rows,
    `list_contact_way:${String(input.start_time ?? '')}:${String(input.end_time ?? '')}`,
  );
};

const updateContactWay: Handler<'updateContactWay'> = (context) => {
  const { state, input } = context;
  const way = requireContactWay(state, input.config_id);
  if (way.is_temp && way.createTime + (way.expires_in ?? 0) <= seconds(context)) {
    throw invalidParameter('an expired temporary configuration can no longer be edited');
  }
  const next = withChanges(way, input);
  if (input.user !== undefined || input.party !== undefined) checkStaff(state, next);
  state.contactWays.ways.set(way.config_id, next);
  return {};
};

const deleteContactWay: Handler<'deleteContactWay'> = ({ state, input }) => {
  state.contactWays.ways.delete(requireContactWay(state, input.config_id).config_id);
  return {};
};

const closeTempChat: Handler<'closeTempChat'> = (context) => {
  const { state, input } = context;
  requireMember(state, input.userid);
  requireCustomer(state, input.external_userid);
  const now = seconds(context);
  const session = state.contactWays.tempChats.find(
    (chat) =>
      chat.userid === input.userid && chat.external_userid === input.external_userid && chat.endTime > now,
  );
  if (!session) throw invalidParameter('no temporary session in progress between this member and customer');
  session.endTime = now;
  return {};
};

export const contactWayHandlers = {
  addContactWay,
  getContactWay,
  listContactWays,
  updateContactWay,
  deleteContactWay,
  closeTempChat,
} satisfies HandlerTable;
