import { randomBytes } from 'node:crypto';
import {
  WecomConfigError,
  WecomError,
  WecomHttpError,
  WecomKitError,
  WecomNetworkError,
  WecomOutcomeUnknownError,
} from '@wecom-kit/client';
import { type Sandbox, startSandbox } from '@wecom-kit/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditedClient, exposedText, useRedactionAudit } from '../support/audit';

const audit = useRedactionAudit();
let sandbox: Sandbox;
const issued: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    scale: 200,
    corpSecret: `redaction-${randomBytes(12).toString('hex')}`,
  });
});
afterAll(() => sandbox.close());

/** A fetch standing for a misbehaving network or gateway on business calls; gettoken goes to the sandbox. */
type Misbehaviour = (url: string, init?: RequestInit) => Promise<Response>;

function clientThrough(misbehave: Misbehaviour) {
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.includes('/cgi-bin/gettoken')) {
      const response = await globalThis.fetch(input, init);
      const body = (await response.clone().json()) as { access_token?: string };
      if (body.access_token) issued.push(body.access_token);
      return response;
    }
    return misbehave(url, init);
  };
  return auditedClient(audit, {
    corpId: sandbox.corpId,
    corpSecret: sandbox.corpSecret,
    baseUrl: sandbox.url,
    fetch,
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
  });
}

function expectNoSecret(value: unknown): void {
  const text = exposedText(value);
  expect(text).not.toContain(sandbox.corpSecret);
  for (const token of issued) expect(text).not.toContain(token);
}

describe('secrets and tokens never reach errors or events', () => {
  it('a gateway page that echoes the request URL, token included', async () => {
    const wecom = clientThrough(
      async (url) => new Response(`<html><body>502 Bad Gateway for ${url}</body></html>`, { status: 502 }),
    );
    const error = await audit.rejectionOf(wecom.call('getFollowUserList'));
    expect(error).toBeInstanceOf(WecomHttpError);
    expect(issued.length).toBeGreaterThan(0);
    expect((error as WecomHttpError).bodySnippet).toContain('access_token=');
    expectNoSecret(error);
  });

  it('an errmsg that quotes the token', async () => {
    const wecom = clientThrough(async (url) => {
      const token = new URL(url).searchParams.get('access_token');
      return Response.json({
        errcode: 40_058,
        errmsg: `invalid parameter ${token}, hint: [1700000000_1_abc]`,
      });
    });
    const error = await audit.rejectionOf(wecom.call('getFollowUserList'));
    expect(error).toBeInstanceOf(WecomError);
    expect((error as WecomError).requestId).toBe('1700000000_1_abc');
    expectNoSecret(error);
  });

  it('a network failure whose message and cause carry the URL', async () => {
    const wecom = clientThrough(async (url) => {
      throw new TypeError(`fetch failed for ${url}`, {
        cause: Object.assign(new Error(`connect ECONNRESET ${url}`), { code: 'ECONNRESET' }),
      });
    });
    const read = await audit.rejectionOf(wecom.call('getFollowUserList'));
    expect(read).toBeInstanceOf(WecomNetworkError);
    expectNoSecret(read);
    const write = await audit.rejectionOf(
      wecom.call('addMsgTemplate', { external_userid: ['wmX'], text: { content: 'hello' } }),
    );
    expect(write).toBeInstanceOf(WecomOutcomeUnknownError);
    expectNoSecret(write);
  });

  it('a wrong secret, refused by gettoken, is not repeated in the configuration error', async () => {
    const wrongSecret = `wrong-secret-${randomBytes(8).toString('hex')}`;
    const wecom = auditedClient(audit, {
      corpId: sandbox.corpId,
      corpSecret: wrongSecret,
      baseUrl: sandbox.url,
    });
    const error = await audit.rejectionOf(wecom.call('getFollowUserList'));
    expect(error).toBeInstanceOf(WecomConfigError);
    expect((error as WecomConfigError).errcode).toBe(40_001);
    expect(exposedText(error)).not.toContain(wrongSecret);
  });

  it('a gettoken request that fails with its URL (corpsecret included) in the message', async () => {
    const wecom = auditedClient(audit, {
      corpId: sandbox.corpId,
      corpSecret: sandbox.corpSecret,
      baseUrl: sandbox.url,
      retry: { maxAttempts: 1 },
      fetch: async (input) => {
        throw new Error(`getaddrinfo ENOTFOUND while fetching ${String(input)}`);
      },
    });
    const error = await audit.rejectionOf(wecom.call('getFollowUserList'));
    expect(error).toBeInstanceOf(WecomKitError);
    expectNoSecret(error);
  });
});
