import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WecomConfigError, type WecomEvent } from '@wecom-kit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWecomClient, type WecomClientOptions } from '../index';

const GET_PATH = '/cgi-bin/externalcontact/get';
const GROUP_MSG_PATH = '/cgi-bin/externalcontact/get_groupmsg_list_v2';

function officialExample(name: string): Record<string, unknown> {
  const url = new URL(`../../../../spec/examples/official/${name}.response.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8'));
}

/**
 * A fake WeCom on 127.0.0.1: gettoken, and for every other path the body the test scripted
 * (a function of the request count, so that consecutive calls can differ).
 */
class ScriptedWecom {
  readonly bodies = new Map<string, (call: number) => unknown>();
  readonly calls = new Map<string, number>();
  #server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.#server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      request.resume();
      request.on('end', () => {
        const call = this.calls.get(path) ?? 0;
        this.calls.set(path, call + 1);
        const body =
          path === '/cgi-bin/gettoken'
            ? { errcode: 0, errmsg: 'ok', access_token: 'scripted-token', expires_in: 7200 }
            : (this.bodies.get(path)?.(call) ?? { errcode: 40096, errmsg: 'invalid external userid' });
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  businessCalls(): number {
    return [...this.calls]
      .filter(([path]) => path !== '/cgi-bin/gettoken')
      .reduce((sum, [, n]) => sum + n, 0);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server?.close(() => resolve()));
  }
}

const wecom = new ScriptedWecom();
beforeAll(() => wecom.start());
afterAll(() => wecom.close());

/** A client with specCheck on, and the drift events its listener received. */
function checkedClient(options: Partial<WecomClientOptions> = {}) {
  const drift: WecomEvent[] = [];
  const onEvent =
    options.onEvent ??
    ((event: WecomEvent) => {
      if (event.type === 'spec-drift') drift.push(event);
    });
  const client = createWecomClient({
    corpId: 'wwspeccheck',
    corpSecret: 'spec-check-secret',
    baseUrl: wecom.url,
    specCheck: { sampleRate: 1 },
    ...options,
    onEvent,
  });
  return { client, drift, onEvent };
}

const byPointer = (events: WecomEvent[]) =>
  [...events].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('specCheck against a fake WeCom', () => {
  it('reports nothing for the official example bodies', async () => {
    wecom.bodies.set(GET_PATH, () => officialExample('externalcontact_get'));
    wecom.bodies.set(GROUP_MSG_PATH, () => officialExample('externalcontact_get_groupmsg_list_v2'));
    const { client, drift } = checkedClient();
    await client.call('getExternalContact', { external_userid: 'woAJ2GCAAAXtWyujaWJHDDGi0mACHAAA' });
    await client.POST(GROUP_MSG_PATH, {
      body: { chat_type: 'single', start_time: 1605171726, end_time: 1605172726 },
    });
    // Checks run in order once the schema table has loaded: when a probe's drift arrives, the
    // checks of the calls before it are done.
    wecom.bodies.set(GET_PATH, () => ({ ...officialExample('externalcontact_get'), probe: 1 }));
    await client.call('getExternalContact', { external_userid: 'woAJ2GCAAAXtWyujaWJHDDGi0mACHAAA' });
    await expect.poll(() => drift.length).toBe(1);
    expect(drift).toEqual([
      { type: 'spec-drift', operationId: 'getExternalContact', pointer: '/probe', kind: 'unknown-field' },
    ]);
  });

  it('sees an added field, a dropped required one, a changed type and a new enum value, once each and without values', async () => {
    wecom.bodies.set(GET_PATH, () => {
      const body = officialExample('externalcontact_get') as {
        external_contact: Record<string, unknown>;
        follow_user: Record<string, unknown>[];
      };
      body.external_contact.nickname_hint = 'a customer value 7f3a';
      for (const follower of body.follow_user) {
        delete follower.remark;
        follower.createtime = String(follower.createtime);
      }
      return body;
    });
    wecom.bodies.set(GROUP_MSG_PATH, () => {
      const body = officialExample('externalcontact_get_groupmsg_list_v2') as {
        group_msg_list: { attachments: { msgtype: string }[] }[];
      };
      for (const attachment of body.group_msg_list[0]?.attachments ?? []) attachment.msgtype = 'voice';
      return body;
    });
    const { client, drift } = checkedClient();
    const contact = await client.call('getExternalContact', {
      external_userid: 'woAJ2GCAAAXtWyujaWJHDDGi0mACHAAA',
    });
    const { data, error } = await client.POST(GROUP_MSG_PATH, {
      body: { chat_type: 'single', start_time: 1605171726, end_time: 1605172726 },
    });
    await expect.poll(() => drift.length).toBe(4);

    expect(byPointer(drift)).toEqual(
      byPointer([
        {
          type: 'spec-drift',
          operationId: 'getExternalContact',
          pointer: '/external_contact/nickname_hint',
          kind: 'unknown-field',
        },
        {
          type: 'spec-drift',
          operationId: 'getExternalContact',
          pointer: '/follow_user/*/remark',
          kind: 'missing-required',
        },
        {
          type: 'spec-drift',
          operationId: 'getExternalContact',
          pointer: '/follow_user/*/createtime',
          kind: 'wrong-type',
        },
        {
          type: 'spec-drift',
          operationId: 'getGroupMsgListV2',
          pointer: '/group_msg_list/*/attachments/*/msgtype',
          kind: 'unknown-enum-value',
        },
      ]),
    );
    const reported = JSON.stringify(drift);
    for (const value of ['a customer value 7f3a', 'voice', '李四', 'rocky', '1525779812'])
      expect(reported).not.toContain(value);
    // The calls themselves are untouched: the drifted bodies come back as WeCom sent them.
    expect(contact.external_contact).toHaveProperty('nickname_hint', 'a customer value 7f3a');
    expect(error).toBeUndefined();
    expect(data?.group_msg_list?.[0]?.attachments?.[0]?.msgtype).toBe('voice');
  });

  it('reports each drift once per listener and process, however many calls and clients see it', async () => {
    wecom.bodies.set(GET_PATH, (call) => {
      const body = officialExample('externalcontact_get');
      body.dedup_probe = call;
      return body;
    });
    const first = checkedClient();
    await first.client.call('getExternalContact', { external_userid: 'wm1' });
    await expect.poll(() => first.drift.length).toBe(1);
    await first.client.call('getExternalContact', { external_userid: 'wm1' });
    // A second client (another corp, say) that logs to the same listener.
    const second = checkedClient({ corpId: 'wwother', onEvent: first.onEvent });
    await second.client.call('getExternalContact', { external_userid: 'wm1' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(first.drift).toEqual([
      {
        type: 'spec-drift',
        operationId: 'getExternalContact',
        pointer: '/dedup_probe',
        kind: 'unknown-field',
      },
    ]);
    // Another listener hears about it once for itself.
    const other = checkedClient();
    await other.client.call('getExternalContact', { external_userid: 'wm1' });
    await other.client.call('getExternalContact', { external_userid: 'wm1' });
    await expect.poll(() => other.drift.length).toBe(1);
  });

  it('checks exactly the calls whose random draw falls under sampleRate', async () => {
    wecom.bodies.set(GET_PATH, (call) => ({
      ...officialExample('externalcontact_get'),
      [`sampled_${call}`]: 1,
    }));
    wecom.calls.delete(GET_PATH);
    const draws = [0.2, 0.7, 0.49, 0.5, 0.99, 0];
    const { client, drift } = checkedClient({
      specCheck: { sampleRate: 0.5, random: () => draws.shift() ?? 1 },
    });
    for (let call = 0; call < 6; call++) await client.call('getExternalContact', { external_userid: 'wm1' });
    await expect.poll(() => drift.length).toBe(3);
    expect(drift.map((event) => (event as { pointer: string }).pointer).sort()).toEqual([
      '/sampled_0',
      '/sampled_2',
      '/sampled_5',
    ]);
    expect(draws).toEqual([]);
  });

  it('never draws or checks at sampleRate 0', async () => {
    let draws = 0;
    const { client, drift } = checkedClient({
      specCheck: {
        sampleRate: 0,
        random: () => {
          draws += 1;
          return 0;
        },
      },
    });
    wecom.bodies.set(GET_PATH, () => ({ ...officialExample('externalcontact_get'), never_checked: 1 }));
    await client.call('getExternalContact', { external_userid: 'wm1' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(draws).toBe(0);
    expect(drift).toEqual([]);
  });

  it('names unknown keys that do not look like field names `*`, since they are data', async () => {
    wecom.bodies.set(GET_PATH, () => {
      const body = officialExample('externalcontact_get') as { external_contact: Record<string, unknown> };
      body.external_contact['13800000001'] = true;
      body.external_contact['李四 notes'] = true;
      return body;
    });
    const { client, drift } = checkedClient();
    await client.call('getExternalContact', { external_userid: 'wm1' });
    await expect.poll(() => drift.length).toBe(1);
    expect(drift).toEqual([
      {
        type: 'spec-drift',
        operationId: 'getExternalContact',
        pointer: '/external_contact/*',
        kind: 'unknown-field',
      },
    ]);
  });

  it('never fails the call: a drifted body with a broken listener still resolves', async () => {
    wecom.bodies.set(GET_PATH, () => ({
      ...officialExample('externalcontact_get'),
      follow_user: 'not a list',
    }));
    let heard = 0;
    const { client } = checkedClient({
      onEvent: (event) => {
        if (event.type !== 'spec-drift') return;
        heard += 1;
        throw new Error('logger down');
      },
    });
    const contact = await client.call('getExternalContact', { external_userid: 'wm1' });
    expect(contact.follow_user).toBe('not a list');
    await expect.poll(() => heard).toBe(1);
  });

  it('refuses a bad sampleRate or a missing onEvent before anything is sent', () => {
    const before = wecom.businessCalls();
    const options = { corpId: 'ww1', corpSecret: 's', baseUrl: wecom.url };
    for (const sampleRate of [2, -0.1, Number.NaN, '1' as unknown as number]) {
      expect(() => createWecomClient({ ...options, specCheck: { sampleRate }, onEvent: () => {} })).toThrow(
        /specCheck\.sampleRate is .*; pass a number from 0/,
      );
    }
    expect(() => createWecomClient({ ...options, specCheck: { sampleRate: 1 } })).toThrow(WecomConfigError);
    expect(() => createWecomClient({ ...options, specCheck: { sampleRate: 1 } })).toThrow(/pass onEvent/);
    expect(wecom.businessCalls()).toBe(before);
  });
});
