import { describe, expect, it } from 'vitest';
import type { Member } from './state/people';
import { TAKEOVER_DELAY_SECONDS } from './state/transfers';
import { useCheckedSandbox } from './testing/fixture';
import { DAY_MS } from './time';

const t = useCheckedSandbox();

type Outcome = { external_userid: string; errcode: number };
type Takeover = { external_userid: string; status: number; takeover_time: number };

const now = () => Math.floor(t.clock / 1000);

/** Moves the clock past a takeover; the old token would have expired by then. */
async function travel(ms: number): Promise<void> {
  t.clock += ms;
  await t.reconnect();
}
const people = () => t.sandbox.state.people;
const employed = () =>
  people().members.filter((member) => member.hasCustomerContact && member.dimissionTime === undefined);
const customersOf = (userid: string) =>
  (people().followsByMember.get(userid) ?? []).map((follow) => follow.external_userid);
const follows = (userid: string, externalUserid: string) => customersOf(userid).includes(externalUserid);

/** Customers never transferred: no pending takeover, no quota spent. */
const fresh = (id: string) => (t.sandbox.state.transfers.byCustomer.get(id) ?? []).length === 0;

/** Two employed members, the first with never-transferred customers the second does not have. */
function pair(): [Member, Member, string[]] {
  const [handover, takeover] = employed() as [Member, Member];
  return [
    handover,
    takeover,
    customersOf(handover.userid).filter((id) => fresh(id) && !follows(takeover.userid, id)),
  ];
}

async function results(path: string, handover: string, takeover: string): Promise<Takeover[]> {
  const rows: Takeover[] = [];
  let cursor = '';
  do {
    const page = await t.api.post<{ customer: Takeover[]; next_cursor?: string }>(path, {
      handover_userid: handover,
      takeover_userid: takeover,
      cursor,
    });
    expect(page.errcode).toBe(0);
    rows.push(...page.customer);
    cursor = page.next_cursor ?? '';
  } while (cursor !== '');
  return rows;
}

/** Marks a member as departed, as the admin console would. */
function resign(member: Member): Member {
  member.dimissionTime = now() - 3 * 86_400;
  return member;
}

describe('on-job customer transfers', () => {
  it('start per customer, wait 24 hours, then move the customer (or record the refusal)', async () => {
    const [handover, takeover, customers] = pair();
    const strangers = customersOf(takeover.userid).filter((id) => !follows(handover.userid, id));
    const started = await t.api.post<{ customer: Outcome[] }>('/transfer_customer', {
      handover_userid: handover.userid,
      takeover_userid: takeover.userid,
      external_userid: [...customers, 'wmUNKNOWNSANDBOX', strangers[0]],
    });
    expect(started.errcode).toBe(0);
    expect(started.customer.map((row) => row.errcode)).toEqual([...customers.map(() => 0), 40096, 40131]);

    const waiting = await results('/transfer_result', handover.userid, takeover.userid);
    expect(waiting.map((row) => row.external_userid).sort()).toEqual([...customers].sort());
    for (const row of waiting)
      expect(row).toEqual({ ...row, status: 2, takeover_time: now() + TAKEOVER_DELAY_SECONDS });
    // Nothing moves while the takeover is pending, and a second start is refused.
    expect(customersOf(handover.userid)).toEqual(expect.arrayContaining(customers));
    const again = await t.api.post<{ customer: Outcome[] }>('/transfer_customer', {
      handover_userid: handover.userid,
      takeover_userid: takeover.userid,
      external_userid: [customers[0]],
    });
    expect(again.customer[0]?.errcode).toBe(40129);

    await travel(DAY_MS + 1_000);
    const done = await results('/transfer_result', handover.userid, takeover.userid);
    expect(new Set(done.map((row) => row.status))).toEqual(new Set([1, 3]));
    const listed = await t.api.get<{ external_userid: string[] }>('/list', { userid: takeover.userid });
    for (const row of done) {
      const moved = row.status === 1;
      expect(row.takeover_time).toBe(moved ? now() - 1 : 0);
      expect(listed.external_userid.includes(row.external_userid)).toBe(moved);
      expect(follows(handover.userid, row.external_userid)).toBe(!moved);
    }
    const taken = done.find((row) => row.status === 1)?.external_userid as string;
    const detail = await t.api.get<{ follow_user: { userid: string }[] }>('/get', { external_userid: taken });
    expect(detail.follow_user.map((entry) => entry.userid)).toContain(takeover.userid);
  });

  it('allows two transfers per customer in 90 days (40128) and refuses the same member on both sides (40130)', async () => {
    const [first, second, third] = employed() as [Member, Member, Member];
    const customer = customersOf(first.userid).find(
      (id) => fresh(id) && !follows(second.userid, id) && !follows(third.userid, id),
    ) as string;
    const transfer = async (from: Member, to: Member) =>
      (
        await t.api.post<{ customer: Outcome[] }>('/transfer_customer', {
          handover_userid: from.userid,
          takeover_userid: to.userid,
          external_userid: [customer],
        })
      ).customer[0]?.errcode;
    expect(await transfer(first, first)).toBe(40130);
    expect(await transfer(first, second)).toBe(0);
    await travel(DAY_MS + 1_000);
    // A refusal (status 3) leaves the customer with the handover member; either way the quota is spent.
    const outcome = async (from: Member, to: Member) =>
      (await results('/transfer_result', from.userid, to.userid))[0]?.status;
    const holder = (await outcome(first, second)) === 1 ? second : first;
    expect(await transfer(holder, third)).toBe(0);
    await travel(DAY_MS + 1_000);
    const current = (await outcome(holder, third)) === 1 ? third : holder;
    expect(await transfer(current, current === first ? second : first)).toBe(40128);
  });

  it('rejects an unknown, resigned or customer-contact-less takeover member with 40003', async () => {
    const [handover, takeover, customers] = pair();
    const body = { handover_userid: handover.userid, external_userid: customers.slice(0, 1) };
    expect((await t.api.post('/transfer_customer', { ...body, takeover_userid: 'nobody' })).errcode).toBe(
      40003,
    );
    resign(takeover);
    expect(
      (await t.api.post('/transfer_customer', { ...body, takeover_userid: takeover.userid })).errcode,
    ).toBe(40003);
    expect(
      (await t.api.post('/transfer_result', { handover_userid: 'nobody', takeover_userid: takeover.userid }))
        .errcode,
    ).toBe(40003);
  });

  it('legacy transfer: one customer, top-level errcode, visible in transfer_result', async () => {
    const [handover, takeover, customers] = pair();
    const body = { handover_userid: handover.userid, takeover_userid: takeover.userid };
    expect((await t.api.post('/transfer', { ...body, external_userid: 'wmUNKNOWNSANDBOX' })).errcode).toBe(
      40096,
    );
    expect((await t.api.post('/transfer', { ...body, external_userid: customers[0] })).errcode).toBe(0);
    expect(await results('/transfer_result', handover.userid, takeover.userid)).toEqual([
      { external_userid: customers[0], status: 2, takeover_time: now() + TAKEOVER_DELAY_SECONDS },
    ]);
  });

  it('legacy get_transfer_result: one customer at the top level, 5 without a record', async () => {
    const [handover, takeover, customers] = pair();
    const [moved, untouched] = customers as [string, string];
    const body = { handover_userid: handover.userid, takeover_userid: takeover.userid };
    const due = now() + TAKEOVER_DELAY_SECONDS;
    expect((await t.api.post('/transfer', { ...body, external_userid: moved })).errcode).toBe(0);
    const waiting = await t.api.post('/get_transfer_result', { ...body, external_userid: moved });
    expect(waiting).toMatchObject({ errcode: 0, status: 2, takeover_time: due });
    const none = await t.api.post('/get_transfer_result', { ...body, external_userid: untouched });
    expect(none).toMatchObject({ errcode: 0, status: 5, takeover_time: 0 });
    await travel(DAY_MS + 1_000);
    const done = await t.api.post<{ status: number }>('/get_transfer_result', {
      ...body,
      external_userid: moved,
    });
    expect(done.status === 1 ? follows(takeover.userid, moved) : done.status === 3).toBe(true);
    const missing = await t.api.post('/get_transfer_result', body);
    expect(missing.errcode).toBe(41035);
    const stranger = await t.api.post('/get_transfer_result', { ...body, external_userid: 'wmUNKNOWN' });
    expect(stranger.errcode).toBe(40096);
  });
});

describe('resigned members', () => {
  it('leave get_follow_user_list, while their customers stay theirs until handed over', async () => {
    const listed = async () =>
      (await t.api.get<{ follow_user: string[] }>('/get_follow_user_list')).follow_user;
    const [leaver] = employed().filter((member) => customersOf(member.userid).length > 0) as [Member];
    expect(await listed()).toContain(leaver.userid);
    resign(leaver);
    const after = await listed();
    expect(after).not.toContain(leaver.userid);
    expect(after).toEqual(employed().map((member) => member.userid));
    const theirs = await t.api.get<{ external_userid: string[] }>('/list', { userid: leaver.userid });
    expect(theirs.external_userid).toEqual(customersOf(leaver.userid));
    expect(theirs.external_userid.length).toBeGreaterThan(0);
  });

  it('lists unassigned customers, hands them over, and drops them from the list', async () => {
    const [departed, takeover] = employed().filter((member) => customersOf(member.userid).every(fresh)) as [
      Member,
      Member,
    ];
    resign(departed);
    const customers = customersOf(departed.userid);
    const listed = await t.api.post<{
      info: { handover_userid: string; external_userid: string; dimission_time: number }[];
    }>('/get_unassigned_list', { cursor: '' });
    expect(listed.info).toEqual(
      customers.map((id) => ({
        handover_userid: departed.userid,
        external_userid: id,
        dimission_time: departed.dimissionTime,
      })),
    );
    expect(listed).toMatchObject({ next_cursor: '', is_last: true });

    const handed = customers.filter((id) => !follows(takeover.userid, id)).slice(0, 3);
    const started = await t.api.post<{ customer: Outcome[] }>('/resigned/transfer_customer', {
      handover_userid: departed.userid,
      takeover_userid: takeover.userid,
      external_userid: handed,
      // Older SDKs send the on-job message here too; WeCom ignores it for resigned members.
      transfer_success_msg: '您好，您的服务已由同事接替。',
    });
    expect(started.customer.map((row) => row.errcode)).toEqual([0, 0, 0]);
    const remaining = await t.api.post<{ info: { external_userid: string }[] }>('/get_unassigned_list', {});
    expect(remaining.info.map((row) => row.external_userid)).toEqual(
      customers.filter((id) => !handed.includes(id)),
    );
    expect(
      (await results('/resigned/transfer_result', departed.userid, takeover.userid)).map((row) => row.status),
    ).toEqual([2, 2, 2]);

    await travel(DAY_MS + 1_000);
    const done = await results('/resigned/transfer_result', departed.userid, takeover.userid);
    for (const row of done) expect(follows(takeover.userid, row.external_userid)).toBe(row.status === 1);
    // The legacy call also serves resigned members, as a resigned transfer.
    const left = customersOf(departed.userid).find((id) => !handed.includes(id)) as string;
    const legacy = {
      handover_userid: departed.userid,
      takeover_userid: takeover.userid,
      external_userid: left,
    };
    expect((await t.api.post('/transfer', legacy)).errcode).toBe(0);
    const resignedRows = await results('/resigned/transfer_result', departed.userid, takeover.userid);
    expect(resignedRows.map((row) => row.external_userid)).toContain(left);
  });

  it('pages the unassigned list by page_id without next_cursor, up to 50,000 rows', async () => {
    for (const member of employed().slice(0, 3)) resign(member);
    const first = await t.api.post<{ info: unknown[]; is_last: boolean }>('/get_unassigned_list', {
      page_id: 0,
      page_size: 5,
    });
    expect(first.info).toHaveLength(5);
    expect(first).toMatchObject({ is_last: false });
    expect(first).not.toHaveProperty('next_cursor');
    const deep = await t.api.post('/get_unassigned_list', { page_id: 50, page_size: 1_000 });
    expect(deep.errcode).toBe(40058);
  });

  it('refuses a member who is still employed (40097) and a customer they do not follow (40131)', async () => {
    const [departed, takeover, other] = employed() as [Member, Member, Member];
    const body = {
      takeover_userid: takeover.userid,
      external_userid: customersOf(departed.userid).slice(0, 1),
    };
    expect(
      (await t.api.post('/resigned/transfer_customer', { ...body, handover_userid: departed.userid }))
        .errcode,
    ).toBe(40097);
    resign(departed);
    const stranger = customersOf(other.userid).find((id) => !follows(departed.userid, id));
    const answer = await t.api.post<{ customer: Outcome[] }>('/resigned/transfer_customer', {
      ...body,
      handover_userid: departed.userid,
      external_userid: [stranger],
    });
    expect(answer.customer).toEqual([{ external_userid: stranger, errcode: 40131 }]);
    const unknown = await t.api.post('/resigned/transfer_result', {
      handover_userid: 'nobody',
      takeover_userid: takeover.userid,
    });
    expect(unknown.errcode).toBe(40003);
  });
});
