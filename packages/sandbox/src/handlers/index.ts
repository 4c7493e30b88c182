import { acquisitionHandlers } from './acquisition';
import { albumsRulesHandlers } from './albums-rules';
import { contactWayHandlers } from './contact-ways';
import type { HandledOperationId, Handler, HandlerContext } from './context';
import { customerHandlers } from './customers';
import { groupChatHandlers } from './group-chats';
import { idHandlers } from './ids';
import { messageHandlers } from './messages';
import { momentHandlers } from './moments';
import { statisticsHandlers } from './statistics';
import { strategyHandlers } from './strategies';
import { tagHandlers } from './tags';
import { transferHandlers } from './transfers';
import { welcomeHandlers } from './welcome';

/** Every operation but gettoken, by operationId: one missing does not compile. */
const handlers: { readonly [Op in HandledOperationId]: Handler<Op> } = {
  ...customerHandlers,
  ...tagHandlers,
  ...momentHandlers,
  ...strategyHandlers,
  ...albumsRulesHandlers,
  ...acquisitionHandlers,
  ...contactWayHandlers,
  ...groupChatHandlers,
  ...idHandlers,
  ...transferHandlers,
  ...statisticsHandlers,
  ...messageHandlers,
  ...welcomeHandlers,
};

/** A handler called with an input the server has not typed; see handlerFor. */
export type UntypedHandler = (context: HandlerContext<never>) => object;

/**
 * The handler of an operationId from the URL. The server calls it only after checking the input
 * against that operation's constraints, which is what the handler's input type describes.
 */
export function handlerFor(operationId: string): UntypedHandler | undefined {
  if (!isHandled(operationId)) return undefined;
  // The one cast the handlers need: the operation is known only at run time, so no single
  // HandlerContext type fits the union of every handler (each is invariant in its Op).
  return handlers[operationId] as unknown as UntypedHandler;
}

function isHandled(operationId: string): operationId is HandledOperationId {
  return Object.hasOwn(handlers, operationId);
}
