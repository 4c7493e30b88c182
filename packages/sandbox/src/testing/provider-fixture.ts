import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { PROVIDER_DEFAULTS } from '../provider/options';
import type { Sandbox } from '../server';
import { type CommandReceiver, startCommandReceiver } from './command-receiver';
import { startCheckedSandbox } from './fidelity';
import { CALLBACK_AES_KEY, CALLBACK_TOKEN } from './receiver';

export type Body = Record<string, unknown> & { errcode?: number; errmsg?: string };

export const suiteCredentials = {
  suite_id: PROVIDER_DEFAULTS.suiteId,
  suite_secret: PROVIDER_DEFAULTS.suiteSecret,
};

export const TTL_SECONDS = 7200;

/**
 * One checked sandbox in provider mode (two authorizing corps) per test file, with a command URL
 * that verifies and records what it receives; reset before each test, its first ticket pushed again.
 */
export function useProviderSandbox() {
  let sandbox: Sandbox;
  let receiver: CommandReceiver;
  let latestTicket: string | undefined;

  beforeAll(async () => {
    receiver = await startCommandReceiver();
    sandbox = await startCheckedSandbox({
      scale: 200,
      tokenTtl: TTL_SECONDS,
      now: () => fixture.clock,
      provider: {
        corps: 2,
        commandCallback: { url: receiver.url, token: CALLBACK_TOKEN, encodingAESKey: CALLBACK_AES_KEY },
      },
    });
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });
  beforeEach(async () => {
    fixture.clock = Date.now();
    await world().idle();
    receiver.commands.length = 0;
    latestTicket = undefined;
    sandbox.reset(); // pushes the first suite ticket again
    await world().idle();
  });

  const world = () => {
    const provider = sandbox.provider;
    if (!provider) throw new Error('the sandbox runs in provider mode');
    return provider;
  };

  async function call(path: string, body: unknown, query: Record<string, string> = {}): Promise<Body> {
    const response = await fetch(`${sandbox.url}/cgi-bin/${path}?${new URLSearchParams(query)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as Body;
  }

  async function get(path: string, query: Record<string, string>): Promise<Body> {
    return (
      await fetch(`${sandbox.url}/cgi-bin/${path}?${new URLSearchParams(query)}`)
    ).json() as Promise<Body>;
  }

  async function control(route: string, body: unknown = {}): Promise<Body> {
    const response = await fetch(`${sandbox.url}/__sandbox/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as Body;
  }

  /** The newest suite_ticket the command URL received. */
  async function ticket(): Promise<string> {
    await world().idle();
    const pushed = receiver.commands.filter(({ message }) => message.InfoType === 'suite_ticket');
    latestTicket = String(pushed.at(-1)?.message.SuiteTicket ?? latestTicket);
    return latestTicket;
  }

  async function suiteToken(): Promise<string> {
    const answer = await call('service/get_suite_token', {
      ...suiteCredentials,
      suite_ticket: await ticket(),
    });
    return String(answer.suite_access_token);
  }

  /** Authorizes corp `index` and exchanges the code: its open corp id and permanent code. */
  async function authorize(index: number, appType = 'third_party') {
    const { auth_code, auth_corpid } = await control('provider/authorize', { corp: index, appType });
    const answer = await call(
      'service/get_permanent_code',
      { auth_code },
      { suite_access_token: await suiteToken() },
    );
    expect(answer.errcode).toBe(0);
    return { corpid: String(auth_corpid), permanentCode: String(answer.permanent_code), answer };
  }

  async function corpToken(corpid: string, permanentCode: string): Promise<string> {
    const answer = await call(
      'service/get_corp_token',
      { auth_corpid: corpid, permanent_code: permanentCode },
      { suite_access_token: await suiteToken() },
    );
    return String(answer.access_token);
  }

  const customersOf = async (accessToken: string) =>
    (await get('externalcontact/list', { access_token: accessToken, userid: 'member0001' }))
      .external_userid as string[] | undefined;

  const fixture = {
    /** The sandbox's clock, ms; tests move it forward. */
    clock: Date.now(),
    get sandbox() {
      return sandbox;
    },
    get receiver() {
      return receiver;
    },
    world,
    call,
    get,
    control,
    ticket,
    suiteToken,
    authorize,
    corpToken,
    customersOf,
  };
  return fixture;
}
