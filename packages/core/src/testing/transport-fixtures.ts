import type { WecomEvent } from '../events';
import { nodeHttpSend } from '../node/http-send';
import type { OperationMeta } from '../operation';
import { createTransport, type Transport, type TransportOptions } from '../transport';
import { observe } from './audit';
import { type FakeWecom, MOMENTS_PATH, READ_PATH, WRITE_PATH } from './wecom-server';

export const readOp: OperationMeta = {
  operationId: 'getExternalContact',
  method: 'GET',
  path: READ_PATH,
  idempotent: true,
};
export const writeOp: OperationMeta = {
  operationId: 'addMsgTemplate',
  method: 'POST',
  path: WRITE_PATH,
  idempotent: false,
};
export const momentsOp: OperationMeta = {
  operationId: 'getMomentList',
  method: 'POST',
  path: MOMENTS_PATH,
  idempotent: true,
};

export const readInput = { query: { external_userid: 'wmUser1' } };
export const writeInput = {
  body: { chat_type: 'single', external_userid: ['wmUser1'], text: { content: 'hi' } },
};

/** How the transports under test send: fetch, or node:http in the `node-http` test project. */
const send = process.env.WECOM_KIT_TEST_SEND === 'node-http' ? nodeHttpSend : undefined;

/** A transport pointed at the fake, with quick retries, whose events are kept and audited. */
export function transportFor(
  fake: FakeWecom,
  options: Partial<TransportOptions> = {},
): { transport: Transport; events: WecomEvent[] } {
  const events: WecomEvent[] = [];
  const created = createTransport(
    {
      corpId: fake.corpId,
      corpSecret: fake.corpSecret,
      baseUrl: fake.baseUrl,
      ...options,
      retry: options.retry === false ? false : { baseDelayMs: 5, maxDelayMs: 40, ...options.retry },
      onEvent: (event) => {
        events.push(event);
        observe(event);
      },
    },
    send,
  );
  // Every error a call throws goes to the redaction audit, whether or not the test looks at it.
  const audited = <T>(promise: Promise<T>) =>
    promise.catch((error: unknown) => {
      observe(error);
      throw error;
    });
  const transport: Transport = {
    tokens: created.tokens,
    request: (op, input, callOptions) => audited(created.request(op, input, callOptions)),
    exchange: (op, input, callOptions) => audited(created.exchange(op, input, callOptions)),
  };
  return { transport, events };
}

export function eventsOfType<Type extends WecomEvent['type']>(
  events: WecomEvent[],
  type: Type,
): Extract<WecomEvent, { type: Type }>[] {
  return events.filter((event): event is Extract<WecomEvent, { type: Type }> => event.type === type);
}
