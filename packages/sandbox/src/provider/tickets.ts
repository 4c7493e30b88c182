import { randomBytes } from 'node:crypto';

/** WeCom pushes a suite ticket about every ten minutes (doc 90628). */
export const TICKET_INTERVAL_MS = 10 * 60_000;
/** Each ticket stays usable for thirty minutes, so two missed pushes do no harm (doc 90600). */
export const TICKET_LIFETIME_MS = 30 * 60_000;

/** The suite tickets pushed so far and when the next one is due, by the sandbox's clock. */
export class SuiteTickets {
  private pushed: { value: string; at: number }[] = [];
  private nextAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number) {}

  /** Whether a push is due now (at start, then every ten minutes). */
  due(): boolean {
    return this.now() >= this.nextAt;
  }

  /** A new ticket; the schedule restarts from now. */
  issue(): string {
    const now = this.now();
    const value = randomBytes(32).toString('base64url');
    this.pushed = [
      ...this.pushed.filter((ticket) => now - ticket.at < TICKET_LIFETIME_MS),
      { value, at: now },
    ];
    this.nextAt = now + TICKET_INTERVAL_MS;
    return value;
  }

  /** A ticket that was pushed less than thirty minutes ago; older and unknown ones are refused. */
  isValid(ticket: string): boolean {
    const now = this.now();
    return this.pushed.some((pushed) => pushed.value === ticket && now - pushed.at < TICKET_LIFETIME_MS);
  }

  reset(): void {
    this.pushed = [];
    this.nextAt = Number.NEGATIVE_INFINITY;
  }
}
