import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { REDACTED, redact } from '../redact';
import { observe, rememberSensitive } from '../testing/audit';
import { MemorySuiteTicketStore } from '../token/suite-tickets';
import { createCallbackRequest } from './deliver';
import type { CallbackCancelAuth } from './events';
import { type CallbackDelivery, type CallbackRejection, createCallbackHandler } from './handler';

// A suite's command callback URL: the receive id is the suite id, InfoType selects the callback.
const URL_BASE = 'https://provider.example.com/wecom/command';
const SUITE_ID = 'wwsuite0123456789ab';
const secrets = { token: 'SuiteToken42', encodingAESKey: 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut' };
rememberSensitive(secrets.token);
rememberSensitive(secrets.encodingAESKey);
const NOW = 1_700_000_000;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
});
afterEach(() => {
  vi.useRealTimers();
});

const post = (message: Record<string, string | number>, receiveId = SUITE_ID) =>
  createCallbackRequest(URL_BASE, message, { ...secrets, corpId: receiveId, timestamp: NOW });

function setup() {
  const tickets = new MemorySuiteTicketStore();
  const delivered: { handler: string; message: unknown; delivery: CallbackDelivery }[] = [];
  const rejections: CallbackRejection[] = [];
  const handle = createCallbackHandler({
    ...secrets,
    suiteId: SUITE_ID,
    suiteTickets: tickets,
    on: {
      cancelAuth: (callback, delivery) => {
        expectTypeOf(callback).toEqualTypeOf<CallbackCancelAuth>();
        delivered.push({ handler: 'cancelAuth', message: callback, delivery });
      },
      createAuth: (callback, delivery) =>
        void delivered.push({ handler: 'createAuth', message: callback, delivery }),
      event: (message, delivery) => void delivered.push({ handler: 'event', message, delivery }),
    },
    onRejected: (rejection) => {
      observe(rejection);
      rejections.push(rejection);
    },
  });
  return { handle, tickets, delivered, rejections };
}

describe('command callbacks (a suite command URL)', () => {
  it('stores each suite_ticket where the suite token source reads it, answers success, and redacts it from then on', async () => {
    const { handle, tickets, delivered } = setup();
    const ticket = 'ticket-Qm9yZWFsIHRpY2tldCB2YWx1ZQ';
    const response = await handle(
      post({ SuiteId: SUITE_ID, InfoType: 'suite_ticket', TimeStamp: NOW, SuiteTicket: ticket }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('success');
    expect(await tickets.get(SUITE_ID)).toBe(ticket);
    expect(delivered.map(({ handler, delivery }) => [handler, delivery.name])).toEqual([
      ['event', 'suiteTicket'],
    ]);
    expect(redact(`ticket=${ticket}`)).toBe(`ticket=${REDACTED}`);
  });

  it('hands create_auth and cancel_auth to their typed handlers, then to the catch-all', async () => {
    const { handle, delivered } = setup();
    await handle(
      post({ SuiteId: SUITE_ID, InfoType: 'create_auth', TimeStamp: NOW, AuthCode: 'auth-code-0001' }),
    );
    await handle(post({ SuiteId: SUITE_ID, InfoType: 'cancel_auth', TimeStamp: NOW, AuthCorpId: 'wwcorpA' }));
    expect(delivered.map(({ handler }) => handler)).toEqual(['createAuth', 'event', 'cancelAuth', 'event']);
    expect(delivered[2]?.message).toMatchObject({ AuthCorpId: 'wwcorpA', TimeStamp: NOW });
  });

  it('delivers a repeated command callback once', async () => {
    const { handle, delivered } = setup();
    const cancel = { SuiteId: SUITE_ID, InfoType: 'cancel_auth', TimeStamp: NOW, AuthCorpId: 'wwcorpB' };
    await handle(post(cancel));
    const again = await handle(post(cancel));
    expect(await again.text()).toBe('success');
    expect(delivered.filter(({ handler }) => handler === 'cancelAuth')).toHaveLength(1);
  });

  it('refuses a message encrypted for another receive id (a corp) without calling a handler', async () => {
    const { handle, delivered, rejections, tickets } = setup();
    const response = await handle(
      post({ SuiteId: SUITE_ID, InfoType: 'suite_ticket', TimeStamp: NOW, SuiteTicket: 'forged' }, 'wwcorpA'),
    );
    expect(response.status).toBe(403);
    expect(rejections.map(({ reason }) => reason)).toEqual(['receive-id']);
    expect(delivered).toEqual([]);
    expect(await tickets.get(SUITE_ID)).toBeUndefined();
  });

  it('leaves a command callback without its required field to the catch-all', async () => {
    const { handle, delivered } = setup();
    await handle(post({ SuiteId: SUITE_ID, InfoType: 'cancel_auth', TimeStamp: NOW }));
    expect(delivered.map(({ handler, delivery }) => [handler, delivery.name])).toEqual([
      ['event', undefined],
    ]);
  });

  it('needs exactly one receive id', () => {
    const base = { ...secrets, on: {} };
    expect(() => createCallbackHandler(base)).toThrow(/Pass one of corpId .* or suiteId/);
    expect(() => createCallbackHandler({ ...base, corpId: 'ww1', suiteId: SUITE_ID })).toThrow(/Pass one of/);
    expect(() =>
      createCallbackHandler({ ...base, corpId: 'ww1', suiteTickets: new MemorySuiteTicketStore() }),
    ).toThrow(/suiteTickets needs suiteId/);
  });
});
