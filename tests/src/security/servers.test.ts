// Attacks on the servers `pnpm start` runs, each sent exactly as an attacker (or a hostile page)
// would send it. Every refusal is checked at the door and at WeCom's end: the sandbox's stats must
// show that nothing was forwarded or applied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RawAnswer, type RunningStack, rawRequest, startStack } from './stack';

// The demo user's budget at its proxy (examples/dashboard/server.mjs, DEMO_CALLS_PER_MINUTE).
const DEMO_CALLS_PER_MINUTE = 600;

const API = '/cgi-bin/externalcontact';
const PROXY = `/api/wecom${API}`;
const JSON_TYPE = { 'content-type': 'application/json' };
const MARK_TAG_BODY = JSON.stringify({ userid: 'u1', external_userid: 'wm1', add_tag: ['et1'] });

let stack: RunningStack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(() => stack?.stop());

interface Attack {
  name: string;
  at: 'portal' | 'sandbox';
  target: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
}

const attacks: Attack[] = [
  {
    name: 'a cross-site form POST (text/plain, no preflight) applying a tag',
    at: 'portal',
    target: `${PROXY}/mark_tag`,
    method: 'POST',
    headers: { 'content-type': 'text/plain', origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' },
    body: MARK_TAG_BODY,
    status: 403,
  },
  {
    name: 'a text/plain POST without Origin (not JSON)',
    at: 'portal',
    target: `${PROXY}/mark_tag`,
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: MARK_TAG_BODY,
    status: 415,
  },
  {
    name: 'a JSON POST from another origin',
    at: 'portal',
    target: `${PROXY}/mark_tag`,
    method: 'POST',
    headers: { ...JSON_TYPE, origin: 'https://evil.test' },
    body: MARK_TAG_BODY,
    status: 403,
  },
  {
    name: 'DNS rebinding: the proxy under a foreign Host',
    at: 'portal',
    target: `${PROXY}/get_corp_tag_list`,
    method: 'POST',
    headers: { ...JSON_TYPE, host: 'rebind.evil.test:4000' },
    body: '{}',
    status: 403,
  },
  {
    name: 'DNS rebinding: the sandbox control API under a foreign Host',
    at: 'sandbox',
    target: '/__sandbox/reset',
    method: 'POST',
    headers: { ...JSON_TYPE, host: 'rebind.evil.test:4010' },
    body: '{}',
    status: 403,
  },
  {
    name: 'JSON nested 10,000 deep',
    at: 'portal',
    target: `${PROXY}/get_corp_tag_list`,
    method: 'POST',
    headers: JSON_TYPE,
    body: `{"tag_id":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
    status: 400,
  },
  {
    name: 'gettoken through the proxy',
    at: 'portal',
    target: '/api/wecom/cgi-bin/gettoken?corpid=x&corpsecret=y',
    status: 403,
  },
  { name: 'traversal: ..', at: 'portal', target: '/api/wecom/../../etc/passwd', status: 404 },
  {
    name: 'traversal: encoded slash',
    at: 'portal',
    target: `/api/wecom/cgi-bin%2Fexternalcontact%2Fget`,
    status: 400,
  },
  {
    name: 'traversal: encoded ../',
    at: 'portal',
    target: `${PROXY}/x/..%2Fget?external_userid=wm1`,
    status: 400,
  },
  {
    name: 'an embedded URL',
    at: 'portal',
    target: '/api/wecom/https://evil.test/cgi-bin/gettoken',
    status: 400,
  },
  { name: 'a target that does not parse, to the portal', at: 'portal', target: 'http://[/', status: 404 },
  { name: 'a target that does not parse, to the sandbox', at: 'sandbox', target: 'http://[/', status: 400 },
  {
    name: 'a control POST that is not JSON (a form could send it)',
    at: 'sandbox',
    target: '/__sandbox/faults',
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: '{"errcode":-1}',
    status: 415,
  },
  {
    name: 'a fault with errcode 0 and unbounded latency',
    at: 'sandbox',
    target: '/__sandbox/faults',
    method: 'POST',
    headers: JSON_TYPE,
    body: '{"errcode":0,"latencyMs":1e12}',
    status: 400,
  },
];

const send = (attack: Omit<Attack, 'name' | 'status'>): Promise<RawAnswer> =>
  rawRequest(attack.at === 'portal' ? stack.portal : stack.sandbox, attack.target, attack);

describe('every server refuses, and nothing reaches WeCom', () => {
  it.each(attacks)('$name → $status', async (attack) => {
    const before = await stack.stats();
    const answer = await send(attack);
    expect(answer.status).toBe(attack.status);
    const after = await stack.stats();
    expect(after.calls).toEqual(before.calls);
    expect(after.applied).toEqual(before.applied);
    expect(after.tokensIssued).toBe(before.tokensIssued);
    const faults = await (await fetch(`${stack.sandbox}/__sandbox/faults`)).json();
    expect(faults).toEqual({ faults: [] });
  });

  it('a 2 MB body gets errcode 40206 from the sandbox, not a 500 after buffering it', async () => {
    const issued = await (
      await fetch(
        `${stack.sandbox}/cgi-bin/gettoken?corpid=${stack.corpId}&corpsecret=sandbox-secret-change-me`,
      )
    ).json();
    const answer = await rawRequest(
      stack.sandbox,
      `${API}/add_corp_tag?access_token=${issued.access_token}`,
      {
        method: 'POST',
        headers: JSON_TYPE,
        body: Buffer.alloc(2 * 1024 * 1024, 0x20),
      },
    );
    expect(JSON.parse(answer.body)).toMatchObject({ errcode: 40206 });
    expect((await stack.stats()).applied[`${API}/add_corp_tag`]).toBeUndefined();
  });

  it('an 8 KB path is refused without being echoed', async () => {
    const answer = await send({ at: 'portal', target: `/api/wecom/cgi-bin/${'a'.repeat(8_192)}` });
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain('aaaa');
  });

  it('credentials smuggled by the browser are dropped; the server token is used', async () => {
    const answer = await send({
      at: 'portal',
      target: `${PROXY}/get_corp_tag_list?access_token=stolen&corpsecret=guess&debug=1`,
      method: 'POST',
      headers: JSON_TYPE,
      body: JSON.stringify({ access_token: 'stolen', corpsecret: 'guess' }),
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ errcode: 0 });
  });

  // Last: it spends the demo caller's budget for the next minute.
  it('a flood from one caller gets 429 with Retry-After once its budget is spent; WeCom sees no more', async () => {
    const path = `${API}/get_corp_tag_list`;
    const before = (await stack.stats()).calls[path] ?? 0;
    const statuses: number[] = [];
    let retryAfter: unknown;
    for (let call = 0; call < DEMO_CALLS_PER_MINUTE + 10; call += 1) {
      const answer = await send({
        at: 'portal',
        target: `${PROXY}/get_corp_tag_list`,
        method: 'POST',
        headers: JSON_TYPE,
        body: '{}',
      });
      statuses.push(answer.status);
      if (answer.status === 429) {
        retryAfter = answer.headers['retry-after'];
        expect(JSON.parse(answer.body)).toMatchObject({ errcode: 45009 });
      }
    }
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(10);
    expect(retryAfter).toBe('60');
    expect(((await stack.stats()).calls[path] ?? 0) - before).toBeLessThanOrEqual(DEMO_CALLS_PER_MINUTE);
    // 610 requests one after another: well under a second alone, several on a loaded 2-core machine.
  }, 60_000);
});
