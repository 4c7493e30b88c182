// The decrypted customer-contact callback events, written by hand to match the `Callback*` schemas
// of spec/components/schemas one for one (same names, same fields, same optionality) until codegen
// emits them from the spec's `webhooks`. Keep the two in step: a field added to a schema is added
// here, and the routing table below names every webhook of the spec.

/** Fields every decrypted callback carries (`CallbackEventBase`). */
export interface CallbackEventBase {
  /** The corp id the event belongs to. */
  ToUserName: string;
  /** Always `sys` for customer-contact events. */
  FromUserName: string;
  /** Unix seconds; repeated deliveries keep the original value. */
  CreateTime: number;
  MsgType: 'event';
  /** `change_external_contact`, `change_external_chat` or `change_external_tag`. */
  Event: string;
  ChangeType: string;
}

/** `CallbackExternalContactBase` */
export interface CallbackExternalContactBase extends CallbackEventBase {
  Event: 'change_external_contact';
  /** The member's userid. */
  UserID: string;
  /** The customer's external_userid. */
  ExternalUserID: string;
}

/** `CallbackAddExternalContact`: a member added a customer. */
export interface CallbackAddExternalContact extends CallbackExternalContactBase {
  ChangeType: 'add_external_contact';
  /** `state` of the contact way or `customer_channel` of the acquisition link, when set. */
  State?: string;
  /** Credential for `sendWelcomeMsg`: about 20 seconds, single use. Often absent. */
  WelcomeCode?: string;
}

/** `CallbackEditExternalContact`: a member edited a customer's remark, description or tags. */
export interface CallbackEditExternalContact extends CallbackExternalContactBase {
  ChangeType: 'edit_external_contact';
}

/** `CallbackAddHalfExternalContact`: a customer added a member who has not added them back. */
export interface CallbackAddHalfExternalContact extends CallbackExternalContactBase {
  ChangeType: 'add_half_external_contact';
  State?: string;
  WelcomeCode?: string;
}

/** `CallbackDelExternalContact`: a member deleted a customer. */
export interface CallbackDelExternalContact extends CallbackExternalContactBase {
  ChangeType: 'del_external_contact';
  /** Known value: `DELETE_BY_TRANSFER` (removed after an in-service transfer). */
  Source?: string;
}

/** `CallbackDelFollowUser`: a customer deleted a member. */
export interface CallbackDelFollowUser extends CallbackExternalContactBase {
  ChangeType: 'del_follow_user';
}

/** `CallbackTransferFail`: an in-service transfer failed; `UserID` is the member who was to take over. */
export interface CallbackTransferFail extends CallbackExternalContactBase {
  ChangeType: 'transfer_fail';
  /** Known values: `customer_refused`, `customer_limit_exceed`. */
  FailReason: string;
}

/** `CallbackExternalChatBase` */
export interface CallbackExternalChatBase extends CallbackEventBase {
  Event: 'change_external_chat';
  ChatId: string;
}

/** `CallbackCreateExternalChat` */
export interface CallbackCreateExternalChat extends CallbackExternalChatBase {
  ChangeType: 'create';
}

/** `CallbackUpdateExternalChat`: the member fields are present only for `add_member` and `del_member`. */
export interface CallbackUpdateExternalChat extends CallbackExternalChatBase {
  ChangeType: 'update';
  /** Known values: `add_member`, `del_member`, `change_owner`, `change_name`, `change_notice`. */
  UpdateDetail: string;
  /** Known values: `0` invited by a member, `3` scanned the group QR code. */
  JoinScene?: number;
  /** Known values: `0` left, `1` removed by the owner or an administrator. */
  QuitScene?: number;
  MemChangeCnt?: number;
  /** userids or external_userids that joined or left. */
  MemChangeList?: string[];
  LastMemVer?: string;
  CurMemVer?: string;
}

/** `CallbackDismissExternalChat` */
export interface CallbackDismissExternalChat extends CallbackExternalChatBase {
  ChangeType: 'dismiss';
}

/** `CallbackExternalTagBase` */
export interface CallbackExternalTagBase extends CallbackEventBase {
  Event: 'change_external_tag';
  /** The strategy group of a strategy tag; absent for corp-wide tags. */
  StrategyId?: number;
}

/** `CallbackCreateExternalTag` */
export interface CallbackCreateExternalTag extends CallbackExternalTagBase {
  ChangeType: 'create';
  Id: string;
  /** Known values: `tag`, `tag_group`. */
  TagType: string;
}

/** `CallbackUpdateExternalTag` */
export interface CallbackUpdateExternalTag extends CallbackExternalTagBase {
  ChangeType: 'update';
  Id: string;
  TagType: string;
}

/** `CallbackDeleteExternalTag`: deleting a group raises one event for the group only. */
export interface CallbackDeleteExternalTag extends CallbackExternalTagBase {
  ChangeType: 'delete';
  Id: string;
  TagType: string;
}

/** `CallbackShuffleExternalTag`: `Id` is the reordered group, absent or empty when the groups moved. */
export interface CallbackShuffleExternalTag extends CallbackExternalTagBase {
  ChangeType: 'shuffle';
  Id?: string;
}

/** Handler name (the spec's webhook name) → event type. */
export interface CustomerContactEventMap {
  addExternalContact: CallbackAddExternalContact;
  editExternalContact: CallbackEditExternalContact;
  addHalfExternalContact: CallbackAddHalfExternalContact;
  delExternalContact: CallbackDelExternalContact;
  delFollowUser: CallbackDelFollowUser;
  transferFail: CallbackTransferFail;
  createExternalChat: CallbackCreateExternalChat;
  updateExternalChat: CallbackUpdateExternalChat;
  dismissExternalChat: CallbackDismissExternalChat;
  createExternalTag: CallbackCreateExternalTag;
  updateExternalTag: CallbackUpdateExternalTag;
  deleteExternalTag: CallbackDeleteExternalTag;
  shuffleExternalTag: CallbackShuffleExternalTag;
}

export type CustomerContactEventName = keyof CustomerContactEventMap;
export type CustomerContactEvent = CustomerContactEventMap[CustomerContactEventName];

/**
 * A verified message that is not one of the customer-contact events, or one whose required fields
 * are missing: other WeCom events and messages reach the catch-all in this shape.
 */
export interface UnrecognizedCallbackMessage {
  readonly [field: string]: unknown;
}

export type CallbackMessage = CustomerContactEvent | UnrecognizedCallbackMessage;

interface EventRoute {
  event: string;
  changeType: string;
  /** String fields the schema requires beyond the base ones. */
  required: readonly string[];
}

const CONTACT = 'change_external_contact';
const CHAT = 'change_external_chat';
const TAG = 'change_external_tag';
const CONTACT_FIELDS = ['UserID', 'ExternalUserID'];

export const CUSTOMER_CONTACT_EVENTS: { readonly [Name in CustomerContactEventName]: EventRoute } = {
  addExternalContact: { event: CONTACT, changeType: 'add_external_contact', required: CONTACT_FIELDS },
  editExternalContact: { event: CONTACT, changeType: 'edit_external_contact', required: CONTACT_FIELDS },
  addHalfExternalContact: {
    event: CONTACT,
    changeType: 'add_half_external_contact',
    required: CONTACT_FIELDS,
  },
  delExternalContact: { event: CONTACT, changeType: 'del_external_contact', required: CONTACT_FIELDS },
  delFollowUser: { event: CONTACT, changeType: 'del_follow_user', required: CONTACT_FIELDS },
  transferFail: { event: CONTACT, changeType: 'transfer_fail', required: [...CONTACT_FIELDS, 'FailReason'] },
  createExternalChat: { event: CHAT, changeType: 'create', required: ['ChatId'] },
  updateExternalChat: { event: CHAT, changeType: 'update', required: ['ChatId', 'UpdateDetail'] },
  dismissExternalChat: { event: CHAT, changeType: 'dismiss', required: ['ChatId'] },
  createExternalTag: { event: TAG, changeType: 'create', required: ['Id', 'TagType'] },
  updateExternalTag: { event: TAG, changeType: 'update', required: ['Id', 'TagType'] },
  deleteExternalTag: { event: TAG, changeType: 'delete', required: ['Id', 'TagType'] },
  shuffleExternalTag: { event: TAG, changeType: 'shuffle', required: [] },
};

const BASE_STRING_FIELDS = ['ToUserName', 'FromUserName', 'Event', 'ChangeType'];

/**
 * Which customer-contact event a message is, or undefined. A message missing a field its type
 * promises is not routed, so a specific handler never sees an event that contradicts its type;
 * the catch-all still receives it.
 */
export function customerContactEventName(message: CallbackMessage): CustomerContactEventName | undefined {
  const fields = message as UnrecognizedCallbackMessage;
  if (fields.MsgType !== 'event' || typeof fields.CreateTime !== 'number') return undefined;
  if (!BASE_STRING_FIELDS.every((field) => typeof fields[field] === 'string')) return undefined;
  for (const [name, route] of Object.entries(CUSTOMER_CONTACT_EVENTS) as [
    CustomerContactEventName,
    EventRoute,
  ][]) {
    if (fields.Event !== route.event || fields.ChangeType !== route.changeType) continue;
    return route.required.every((field) => typeof fields[field] === 'string') ? name : undefined;
  }
  return undefined;
}

/** Narrows a catch-all message to a customer-contact event, optionally to one kind. */
export function isCustomerContactEvent<Name extends CustomerContactEventName = CustomerContactEventName>(
  message: CallbackMessage,
  name?: Name,
): message is CustomerContactEventMap[Name] {
  const actual = customerContactEventName(message);
  return actual !== undefined && (name === undefined || actual === name);
}
