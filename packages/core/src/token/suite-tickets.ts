import { type Clock, systemClock } from '../clock';

/** How long WeCom accepts a suite_ticket after pushing it (a new one comes every 10 minutes). */
export const SUITE_TICKET_TTL_MS = 30 * 60_000;

/**
 * Where the latest suite_ticket of each suite is kept: the command callback handler writes it,
 * the suite's token source reads it. Share one (Redis) between the processes that receive
 * callbacks and those that call WeCom.
 */
export interface SuiteTicketStore {
  /** The latest ticket of the suite, unless it is older than WeCom accepts. */
  get(suiteId: string): Promise<string | undefined>;
  set(suiteId: string, ticket: string): Promise<void>;
}

/** The default store: one process. */
export class MemorySuiteTicketStore implements SuiteTicketStore {
  readonly #tickets = new Map<string, { ticket: string; expiresAt: number }>();
  readonly #clock: Clock;

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
  }

  async get(suiteId: string): Promise<string | undefined> {
    const held = this.#tickets.get(suiteId);
    if (held && held.expiresAt <= this.#clock.now()) this.#tickets.delete(suiteId);
    return this.#tickets.get(suiteId)?.ticket;
  }

  async set(suiteId: string, ticket: string): Promise<void> {
    this.#tickets.set(suiteId, { ticket, expiresAt: this.#clock.now() + SUITE_TICKET_TTL_MS });
  }
}
