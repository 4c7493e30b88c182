import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWecomClient, WecomError } from '@wecom-kit/client';
import { type CallbackAddExternalContact, createCallbackHandler } from '@wecom-kit/core/callbacks';
import { type Sandbox, startSandbox } from '@wecom-kit/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { toRequest } from './support/node-request';

// The whole welcome flow over real HTTP: sandbox → encrypted add_external_contact → the app's
// callback handler → send_welcome_msg with the WelcomeCode while it is still valid → sandbox.

const TOKEN = 'e2eCallbackToken';
const AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const WELCOME = '你好，欢迎关注！';

let sandbox: Sandbox | undefined;
let app: Server | undefined;

afterEach(async () => {
  await sandbox?.callbacks.idle();
  await sandbox?.close();
  app?.closeAllConnections();
  await new Promise((resolve) => (app ? app.close(resolve) : resolve(undefined)));
  sandbox = undefined;
  app = undefined;
});

/**
 * The app: its callback endpoint on 127.0.0.1:0. `override` may replace the handler's answer, to
 * act like a proxy that loses it; the handler still ran.
 */
async function startApp(
  handle: (request: Request) => Promise<Response>,
  override?: (attempt: number) => number | undefined,
): Promise<{ url: string; attempts: () => number }> {
  let attempts = 0;
  app = createServer(async (request, response) => {
    const answer = await handle(await toRequest(request));
    const status = override?.(++attempts) ?? answer.status;
    response.writeHead(status, { 'content-type': 'text/plain' }).end(await answer.text());
  });
  await new Promise<void>((resolve) => app?.listen(0, '127.0.0.1', resolve));
  const { port } = app.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/wecom/callback`, attempts: () => attempts };
}

async function addCustomer(userid: string): Promise<{ external_userid: string; welcome_code: string }> {
  const response = await fetch(`${sandbox?.url}/__sandbox/simulate/add-customer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userid, state: 'e2e' }),
  });
  expect(response.status).toBe(200);
  return response.json() as Promise<{ external_userid: string; welcome_code: string }>;
}

/** Any member who may add customers. */
const activeMember = (box: Sandbox) =>
  box.state.people.members.find((member) => member.hasCustomerContact && member.dimissionTime === undefined)
    ?.userid as string;

describe('customer-contact callbacks, end to end', () => {
  it('welcomes a new customer with the WelcomeCode from add_external_contact', async () => {
    const corpId = 'wwe2ecallback000001';
    const wecom = { client: undefined as ReturnType<typeof createWecomClient> | undefined };
    const seen: CallbackAddExternalContact[] = [];
    const endpoint = await startApp(
      createCallbackHandler({
        token: TOKEN,
        encodingAESKey: AES_KEY,
        corpId,
        on: {
          addExternalContact: async (event) => {
            seen.push(event);
            if (!event.WelcomeCode) return;
            await wecom.client?.call('sendWelcomeMsg', {
              welcome_code: event.WelcomeCode,
              text: { content: WELCOME },
            });
          },
        },
      }),
    );
    sandbox = await startSandbox({
      port: 0,
      scale: 300,
      corpId,
      callback: { url: endpoint.url, token: TOKEN, encodingAESKey: AES_KEY },
    });
    wecom.client = createWecomClient({ corpId, corpSecret: sandbox.corpSecret, baseUrl: sandbox.url });

    const userid = activeMember(sandbox);
    const added = await addCustomer(userid);
    await sandbox.callbacks.idle();

    expect(seen).toMatchObject([
      {
        UserID: userid,
        ExternalUserID: added.external_userid,
        State: 'e2e',
        WelcomeCode: added.welcome_code,
      },
    ]);
    const recorded = sandbox.state.messages.welcomeCodes.get(added.welcome_code);
    expect(recorded?.usedAt).toBeTypeOf('number');
    expect(recorded?.message?.text).toEqual({ content: WELCOME });
    expect(sandbox.stats.callbacks).toMatchObject({ delivered: 1, failed: 0 });

    // The code is single use: the customer has been welcomed already.
    const again = await wecom.client
      .call('sendWelcomeMsg', { welcome_code: added.welcome_code, text: { content: WELCOME } })
      .catch((error: unknown) => error);
    expect(again).toBeInstanceOf(WecomError);
    expect((again as WecomError).errcode).toBe(41051);
  });

  it('gets the event again after a 500, and the handler sees it once', async () => {
    const corpId = 'wwe2ecallback000002';
    const seen: CallbackAddExternalContact[] = [];
    const endpoint = await startApp(
      createCallbackHandler({
        token: TOKEN,
        encodingAESKey: AES_KEY,
        corpId,
        on: { addExternalContact: (event) => void seen.push(event) },
      }),
      // The first answer is lost on the way back: WeCom sees a 500 and sends the event again.
      (attempt) => (attempt === 1 ? 500 : undefined),
    );
    sandbox = await startSandbox({
      port: 0,
      scale: 300,
      corpId,
      callback: { url: endpoint.url, token: TOKEN, encodingAESKey: AES_KEY },
    });
    const added = await addCustomer(activeMember(sandbox));
    await sandbox.callbacks.idle();

    expect(endpoint.attempts()).toBe(2);
    expect(seen.map((event) => event.ExternalUserID)).toEqual([added.external_userid]);
    expect(sandbox.stats.callbacks).toEqual({ delivered: 1, failed: 0, retried: 1 });
  });
});
