import { randomBytes } from 'node:crypto';
import type { WecomEvent } from '@wecom-kit/client';
import { type FaultRule, type Sandbox, startSandbox } from '@wecom-kit/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditedClient, useRedactionAudit } from '../support/audit';
import { watchSpecDrift } from '../support/spec-drift';

const DAY = 86_400;
const ITEMS = 10_000;
const PAGE = 50;
const REVOKE_EVERY = 50;
const audit = useRedactionAudit();
const specDrift = watchSpecDrift();
let sandbox: Sandbox;

beforeAll(async () => {
  // Scale 9,000 seeds about 10,300 member-customer relations; the listing is cut to exactly 10,000.
  sandbox = await startSandbox({
    port: 0,
    scale: 9_000,
    corpSecret: `fault-matrix-${randomBytes(8).toString('hex')}`,
  });
  sandbox.state.people.follows.length = ITEMS;
  // contact_list also serves people who are not customers; without them it is exactly those rows.
  sandbox.state.otherContacts.length = 0;
  sandbox.state.groupChats.guests.clear();
});
afterAll(() => sandbox.close());

/**
 * The matrix of the issue, as fault rules for one API. The injector draws each rule in turn, so
 * later rates are divided by what is left, to make each fault hit the stated share of all calls:
 * 10 % busy (-1), 5 % 45033, 2 % connections dropped after the answer was computed, 1 % bodies cut short.
 */
function faultMatrix(path: string): FaultRule[] {
  const shares: [Omit<FaultRule, 'rate' | 'path'>, number][] = [
    [{ errcode: -1 }, 0.1],
    [{ errcode: 45033 }, 0.05],
    [{ drop: true }, 0.02],
    [{ malformed: true }, 0.01],
  ];
  let left = 1;
  return shares.map(([effect, share]) => {
    const rule = { path, ...effect, rate: share / left };
    left -= share;
    return rule;
  });
}

async function addFaults(rules: FaultRule[]): Promise<void> {
  const response = await fetch(`${sandbox.url}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rules),
  });
  expect(response.status).toBe(200);
}

async function clearFaults(): Promise<void> {
  await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' });
}

/** A client that revokes its token at the sandbox right before every 50th request, and counts what it saw. */
function faultyClient() {
  const seen = {
    requests: 0,
    revocations: 0,
    retries: { errcode: 0, network: 0, http: 0, token: 0, timeout: 0 },
  };
  const client = auditedClient(audit, {
    corpId: sandbox.corpId,
    corpSecret: sandbox.corpSecret,
    baseUrl: sandbox.url,
    // A batch job tolerates more attempts than an interactive call; backoff is kept short for the test.
    retry: { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 20 },
    specCheck: specDrift.specCheck,
    onEvent: (event: WecomEvent) => {
      specDrift.onEvent(event);
      if (event.type === 'request') {
        seen.requests += 1;
        if (seen.requests % REVOKE_EVERY === 0) {
          sandbox.revokeTokens();
          seen.revocations += 1;
        }
      }
      if (event.type === 'retry') seen.retries[event.reason] += 1;
    },
  });
  return { client, seen };
}

describe('reads under the fault matrix, with the token revoked every 50 calls', () => {
  it('walks all 10,000 contact_list rows exactly once, with a bounded number of calls', {
    timeout: 30_000,
  }, async () => {
    const path = '/cgi-bin/externalcontact/contact_list';
    const expected = new Set(
      sandbox.state.people.follows.map((follow) => `${follow.userid}/${follow.external_userid}`),
    );
    expect(expected.size).toBe(ITEMS);
    await addFaults(faultMatrix(path));
    const { client, seen } = faultyClient();
    const rows: string[] = [];
    try {
      for await (const row of client.paginate('listServedContacts', { limit: PAGE }).items()) {
        rows.push(`${row.follow_userid}/${row.external_userid}`);
      }
    } finally {
      await clearFaults();
    }

    expect(rows).toHaveLength(ITEMS);
    expect(new Set(rows)).toEqual(expected);
    const pages = ITEMS / PAGE;
    const calls = sandbox.stats.calls[path] ?? 0;
    // About 18 % of attempts fail and every 50th carries a revoked token: 1.5 attempts per page is far above that.
    expect(calls).toBeLessThanOrEqual(Math.ceil(pages * 1.5));
    expect(calls).toBe(seen.requests);
    // Each revocation costs one gettoken, never a storm.
    expect(sandbox.stats.calls['/cgi-bin/gettoken']).toBeLessThanOrEqual(seen.revocations + 1);
    // Every kind of fault happened and was recovered from.
    expect(sandbox.stats.errcodes['-1']).toBeGreaterThan(0);
    expect(sandbox.stats.errcodes['45033']).toBeGreaterThan(0);
    expect(seen.retries.network).toBeGreaterThan(0);
    expect(seen.retries.http).toBeGreaterThan(0);
    expect(seen.retries.token).toBeGreaterThan(0);
  });

  it('walks 90 days of moments window by window, each moment exactly once', { timeout: 30_000 }, async () => {
    const path = '/cgi-bin/externalcontact/get_moment_list';
    const end = Math.floor(Date.now() / 1000);
    const start = end - 90 * DAY;
    const expected = sandbox.state.moments.moments
      .filter((moment) => moment.create_time > start && moment.create_time < end)
      .map((moment) => moment.moment_id)
      .sort();
    expect(expected.length).toBeGreaterThan(200);
    await addFaults(faultMatrix(path));
    const { client, seen } = faultyClient();
    const moments: string[] = [];
    try {
      for await (const moment of client
        .paginate('getMomentList', { start_time: start, end_time: end })
        .items()) {
        moments.push(moment.moment_id);
      }
    } finally {
      await clearFaults();
    }

    expect(moments.sort()).toEqual(expected);
    const pages = Math.ceil(expected.length / 20) + 3;
    expect(sandbox.stats.calls[path]).toBeLessThanOrEqual(Math.ceil(pages * 1.5));
    expect(sandbox.stats.calls[path]).toBe(seen.requests);
  });
});
