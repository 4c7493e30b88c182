import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFaultRule } from './faults';
import { type Sandbox, startSandbox } from './server';

const CONTROL_TOKEN = 'control-token-for-tests';
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, scale: 20, controlToken: CONTROL_TOKEN, maxBodyBytes: 4096 });
});
afterAll(() => sandbox.close());

/** A raw HTTP/1.1 exchange, so that the Host header and the request target are exactly as given. */
function raw(
  target: string,
  headers: Record<string, string>,
  options: { method?: string; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port: sandbox.port,
        path: target,
        method: options.method ?? 'GET',
        headers,
        setHost: false,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

const host = () => `127.0.0.1:${sandbox.port}`;
const control = (path: string, init: RequestInit = {}) =>
  fetch(`${sandbox.url}/__sandbox/${path}`, {
    ...init,
    headers: { authorization: `Bearer ${CONTROL_TOKEN}`, ...init.headers },
  });

describe('the sandbox refuses', () => {
  it('a Host that is not a loopback name (DNS rebinding), before anything is served', async () => {
    const answer = await raw(`/__sandbox/stats`, { host: 'rebind.evil.test' });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ errcode: 48002 });
  });

  it('a request target that does not parse, with 400, and keeps running', async () => {
    const answer = await raw('http://[/', { host: host() });
    expect(answer).toMatchObject({ status: 400 });
    expect(JSON.parse(answer.body)).toMatchObject({ errcode: 40058 });
    expect((await control('stats')).status).toBe(200);
  });

  it('a body over the cap with errcode 40206, not a text/plain 500', async () => {
    const issued = await (
      await fetch(`${sandbox.url}/cgi-bin/gettoken?corpid=${sandbox.corpId}&corpsecret=${sandbox.corpSecret}`)
    ).json();
    const answer = await raw(
      `/cgi-bin/externalcontact/add_corp_tag?access_token=${issued.access_token}`,
      { host: host(), 'content-type': 'application/json' },
      { method: 'POST', body: JSON.stringify({ group_name: 'x'.repeat(10_000) }) },
    );
    expect(JSON.parse(answer.body)).toMatchObject({ errcode: 40206 });
    expect(sandbox.stats.applied['/cgi-bin/externalcontact/add_corp_tag']).toBeUndefined();
  });

  it('control requests without the control token, and control POSTs that are not JSON', async () => {
    const reset = () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect((await fetch(`${sandbox.url}/__sandbox/stats`)).status).toBe(401);
    expect((await fetch(`${sandbox.url}/__sandbox/reset`, reset())).status).toBe(401);
    const wrong = { ...reset(), headers: { ...reset().headers, authorization: 'Bearer guess' } };
    expect((await fetch(`${sandbox.url}/__sandbox/reset`, wrong)).status).toBe(401);
    const textPlain = await control('faults', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ errcode: -1 }),
    });
    expect(textPlain.status).toBe(415);
    expect(await (await control('faults')).json()).toEqual({ faults: [] });
    expect((await control('reset', reset())).status).toBe(200);
  });
});

describe('fault rules', () => {
  it.each([
    [{ errcod: -1 }, /unknown fault field\(s\) errcod/],
    [{ errcode: 0 }, /fault errcode must be a non-zero integer/],
    [{ errcode: '-1' }, /fault errcode must be/],
    [{ latencyMs: 1e9 }, /fault latencyMs must be an integer from 0 to 60000/],
    [{ latencyMs: -5 }, /fault latencyMs/],
    [{ httpStatus: 999 }, /fault httpStatus must be an HTTP status/],
    [{ httpStatus: 502.5 }, /fault httpStatus/],
    [{ drop: 'yes' }, /fault drop must be true or false/],
    [{ errcode: -1, rate: 2 }, /fault rate must be a number in \(0, 1\]/],
    [{ errcode: -1, count: 0 }, /fault count must be an integer/],
    [{ errcode: -1, path: 7 }, /fault path must be a path/],
    [{ path: '/cgi-bin/gettoken' }, /a fault needs one of/],
  ])('refuses %j, naming the field', (rule, message) => {
    expect(() => parseFaultRule(rule)).toThrow(message);
  });

  it('are checked the same way at startup (the CLI --fault path) as by the control API', async () => {
    await expect(startSandbox({ port: 0, scale: 10, faults: [{ errcode: 0 }] })).rejects.toThrow(
      /fault errcode must be a non-zero integer/,
    );
    const answer = await control('faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errcode: 0 }),
    });
    expect(answer.status).toBe(400);
    expect((await answer.json()).errmsg).toMatch(/fault errcode must be a non-zero integer/);
  });

  it('fail token fetches when they name /cgi-bin/gettoken, and only then', async () => {
    const gettoken = () =>
      fetch(`${sandbox.url}/cgi-bin/gettoken?corpid=${sandbox.corpId}&corpsecret=${sandbox.corpSecret}`);
    const add = (rule: object) =>
      control('faults', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(rule),
      });
    await add({ errcode: -1, count: 1 }); // every business API, not gettoken
    expect((await (await gettoken()).json()).errcode).toBe(0);
    await add({ path: '/cgi-bin/gettoken', errcode: 40001, count: 1 });
    await add({ path: '/cgi-bin/gettoken', httpStatus: 503, count: 1 });
    expect((await (await gettoken()).json()).errcode).toBe(40001);
    expect((await gettoken()).status).toBe(503);
    expect((await (await gettoken()).json()).errcode).toBe(0);
    await control('faults', { method: 'DELETE' });
  });
});
