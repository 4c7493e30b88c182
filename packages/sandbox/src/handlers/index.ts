import { acquisitionHandlers } from './acquisition';
import { albumsRulesHandlers } from './albums-rules';
import { contactWayHandlers } from './contact-ways';
import type { Handler } from './context';
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

/** Every simulated operation, by operationId. */
export const handlers: Readonly<Record<string, Handler>> = {
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
