// The decrypted callbacks: customer-contact events and a suite's command callbacks. Their types
// and routing tables are generated from the spec's `webhooks` and `Callback*` schemas
// (../generated/callback-events.ts), so a payload field retyped in the spec is retyped here and
// handlers that read it the old way stop compiling.
import {
  type CommandCallbackMap,
  type CustomerContactEventMap,
  commandCallbackRoutes,
  customerContactRoutes,
} from '../generated/callback-events';

export type {
  CallbackAddExternalContact,
  CallbackAddHalfExternalContact,
  CallbackCancelAuth,
  CallbackChangeAuth,
  CallbackCommandBase,
  CallbackCreateAuth,
  CallbackCreateExternalChat,
  CallbackCreateExternalTag,
  CallbackDelExternalContact,
  CallbackDeleteExternalTag,
  CallbackDelFollowUser,
  CallbackDismissExternalChat,
  CallbackEditExternalContact,
  CallbackEventBase,
  CallbackExternalChatBase,
  CallbackExternalContactBase,
  CallbackExternalTagBase,
  CallbackResetPermanentCode,
  CallbackShuffleExternalTag,
  CallbackSuiteTicket,
  CallbackTransferFail,
  CallbackUpdateExternalChat,
  CallbackUpdateExternalTag,
  CommandCallbackMap,
  CustomerContactEventMap,
} from '../generated/callback-events';

export type CustomerContactEventName = keyof CustomerContactEventMap;
export type CustomerContactEvent = CustomerContactEventMap[CustomerContactEventName];

/**
 * A verified message that is not one of the customer-contact events, or one whose required fields
 * are missing: other WeCom events and messages reach the catch-all in this shape.
 */
export interface UnrecognizedCallbackMessage {
  readonly [field: string]: unknown;
}

export type CommandCallbackName = keyof CommandCallbackMap;
export type CommandCallback = CommandCallbackMap[CommandCallbackName];

// Command callbacks reach the catch-all as UnrecognizedCallbackMessage (their own handlers get
// them typed), so reading an event field such as ChangeType off a catch-all message stays legal.
export type CallbackMessage = CustomerContactEvent | UnrecognizedCallbackMessage;

interface EventRoute {
  event: string;
  changeType: string;
  /** String fields the schema requires beyond the base ones. */
  required: readonly string[];
}

export const CUSTOMER_CONTACT_EVENTS: { readonly [Name in CustomerContactEventName]: EventRoute } =
  customerContactRoutes;

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

interface CommandRoute {
  infoType: string;
  /** String fields the schema requires beyond the base ones. */
  required: readonly string[];
}

export const COMMAND_CALLBACKS: { readonly [Name in CommandCallbackName]: CommandRoute } =
  commandCallbackRoutes;

/**
 * Which command callback (sent to a suite's command URL, selected by InfoType) a message is, or
 * undefined; like events, one missing a field its type promises is left to the catch-all.
 */
export function commandCallbackName(message: CallbackMessage): CommandCallbackName | undefined {
  const fields = message as UnrecognizedCallbackMessage;
  if (typeof fields.SuiteId !== 'string' || typeof fields.TimeStamp !== 'number') return undefined;
  for (const [name, route] of Object.entries(COMMAND_CALLBACKS) as [CommandCallbackName, CommandRoute][]) {
    if (fields.InfoType !== route.infoType) continue;
    return route.required.every((field) => typeof fields[field] === 'string') ? name : undefined;
  }
  return undefined;
}
