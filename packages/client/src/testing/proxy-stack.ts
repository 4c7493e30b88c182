// A proxy in front of a scripted WeCom, for the proxy's tests: it records what reached WeCom.
import type { RetryOptions } from '@wecom-kit/core';
import { expect } from 'vitest';
import { createWecomClient } from '../index';
import { createWecomProxy, type WecomProxyOptions } from '../proxy';

export const CORP_SECRET = 'proxy-test-secret-5f1c9a';
export const SERVER_TOKEN = 'server-token-7d2e4b90';
export const DAY = 86_400;
export const ORIGIN = 'http://dashboard.test';

interface Forwarded {
  path: string;
  query: URLSearchParams;
  body: unknown;
}

/** A scripted WeCom behind the proxy's server-side client: it records what reached it. */
export function setup(
  options: Partial<Omit<WecomProxyOptions, 'client'>> = {},
  /** The business fields WeCom answers, or a whole Response (a gateway's error page, say). */
  answer: (path: string) => object = () => ({}),
  /** The server-side client's retries; off unless a test is about them. */
  retry: Partial<RetryOptions> | false = false,
) {
  const forwarded: Forwarded[] = [];
  let tokenFetches = 0;
  const upstreamFetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    if (url.pathname === '/cgi-bin/gettoken') {
      tokenFetches += 1;
      return Response.json({ errcode: 0, errmsg: 'ok', access_token: SERVER_TOKEN, expires_in: 7200 });
    }
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    forwarded.push({ path: url.pathname, query: url.searchParams, body });
    const answered = answer(url.pathname);
    if (answered instanceof Response) return answered;
    return Response.json({ errcode: 0, errmsg: 'ok', ...answered });
  };
  const client = createWecomClient({
    corpId: 'wwproxytest',
    corpSecret: CORP_SECRET,
    baseUrl: 'https://wecom.test',
    fetch: upstreamFetch,
    retry,
  });
  const proxy = createWecomProxy({
    basePath: '/api/wecom',
    authorize: () => 'user-1',
    allowedHosts: ['dashboard.test'],
    ...options,
    client,
  });
  const send = async (path: string, init?: RequestInit) => {
    const response = await proxy(new Request(`${ORIGIN}${path}`, init));
    const text = await response.text();
    expect(text).not.toContain(SERVER_TOKEN);
    expect(text).not.toContain(CORP_SECRET);
    return { status: response.status, headers: response.headers, body: JSON.parse(text) };
  };
  const post = (path: string, body: unknown) =>
    send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return { proxy, forwarded, send, post, tokenFetches: () => tokenFetches };
}
