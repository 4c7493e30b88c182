import type { SandboxEvent } from '../callbacks';
import { createRandom } from '../random';
import { toSeconds } from '../time';
import { type AcquisitionBook, seedAcquisition } from './acquisition';
import {
  type InterceptRuleBook,
  type ProductAlbum,
  seedInterceptRules,
  seedProductAlbum,
} from './albums-rules';
import { type ContactWayBook, seedContactWays } from './contact-ways';
import { type GroupChatBook, seedGroupChats } from './group-chats';
import { type MessageBook, seedMessages, settleMessages } from './messages';
import { type MomentBook, seedMoments } from './moments';
import { type OtherContact, seedOtherContacts } from './other-contacts';
import { type People, seedPeople } from './people';
import { type StatisticsSeed, seedStatistics } from './statistics';
import { type StrategyBook, seedStrategies } from './strategies';
import { seedTags, type TagLibrary } from './tags';
import { seedTransfers, settleTransfers, type TransferBook } from './transfers';

/** Everything the sandbox simulates for one corp. Writes change it; reads serve from it. */
export interface SandboxState {
  people: People;
  /** Served people who are not customers (contact_list only). */
  otherContacts: OtherContact[];
  tags: TagLibrary;
  moments: MomentBook;
  strategies: StrategyBook;
  albums: ProductAlbum;
  interceptRules: InterceptRuleBook;
  acquisition: AcquisitionBook;
  contactWays: ContactWayBook;
  groupChats: GroupChatBook;
  transfers: TransferBook;
  messages: MessageBook;
  statistics: StatisticsSeed;
}

export interface SeedOptions {
  seed: number;
  scale: number;
  /** Current time, ms: seeded timestamps are relative to it. */
  now: number;
  /**
   * Ends every seeded customer id (default `SANDBOX`): each authorizing corp of the provider mode
   * has its own, because a provider sees a customer under a different id in every corp.
   */
  idTag?: string;
}

/** Builds the seeded state. The same seed and scale always give the same data (timestamps aside). */
export function createState({ seed, scale, now, idTag }: SeedOptions): SandboxState {
  const random = createRandom(seed);
  const nowSeconds = toSeconds(now);
  const people = seedPeople(random, scale, nowSeconds, idTag);
  const tags = seedTags(random, people, nowSeconds);
  const moments = seedMoments(random, people, scale, nowSeconds);
  const strategies = seedStrategies(random, people, scale, nowSeconds, tags);
  const albums = seedProductAlbum(random, people, scale, nowSeconds);
  const interceptRules = seedInterceptRules(random, people, scale, nowSeconds);
  const acquisition = seedAcquisition(random, people, scale, nowSeconds);
  const contactWays = seedContactWays(random, people, scale, nowSeconds);
  const groupChats = seedGroupChats(random, people, scale, nowSeconds);
  const transfers = seedTransfers(random, people, nowSeconds);
  const messages = seedMessages(random, people, groupChats, scale, nowSeconds);
  const statistics = seedStatistics(random);
  const otherContacts = seedOtherContacts(random, people, nowSeconds);
  return {
    people,
    otherContacts,
    tags,
    moments,
    strategies,
    albums,
    interceptRules,
    acquisition,
    contactWays,
    groupChats,
    transfers,
    messages,
    statistics,
  };
}

/**
 * Applies what time alone changes: takeovers whose 24 hours have passed and members confirming
 * mass messages. The server calls it before every handler, so every read sees the same present.
 */
export function advanceState(state: SandboxState, now: number, emit?: (event: SandboxEvent) => void): void {
  const nowSeconds = toSeconds(now);
  settleTransfers(state.transfers, state.people, nowSeconds, (transfer) => {
    if (transfer.refused) {
      emit?.({
        Event: 'change_external_contact',
        ChangeType: 'transfer_fail',
        UserID: transfer.takeover_userid,
        ExternalUserID: transfer.external_userid,
        FailReason: 'customer_refused',
      });
    } else if (transfer.kind === 'onjob') {
      // The spec names this Source for in-service transfers only: the old member lost no customer.
      emit?.({
        Event: 'change_external_contact',
        ChangeType: 'del_external_contact',
        UserID: transfer.handover_userid,
        ExternalUserID: transfer.external_userid,
        Source: 'DELETE_BY_TRANSFER',
      });
    }
  });
  settleMessages(state.messages, state.people, nowSeconds);
}
