import type { Sandbox } from '../server';

export const API = '/cgi-bin/externalcontact';

/** A WeCom answer: errcode/errmsg plus the operation's fields, typed by the caller. */
export type Answer<T extends object = Record<string, unknown>> = { errcode: number; errmsg: string } & T;

export interface SandboxApi {
  readonly token: string;
  post<T extends object = Record<string, unknown>>(path: string, body: unknown): Promise<Answer<T>>;
  get<T extends object = Record<string, unknown>>(
    path: string,
    query?: Record<string, string>,
  ): Promise<Answer<T>>;
}

/** Real HTTP calls to a sandbox's externalcontact APIs, with a freshly issued access token. */
export async function connect(sandbox: Sandbox): Promise<SandboxApi> {
  const issued = await fetch(
    `${sandbox.url}/cgi-bin/gettoken?corpid=${sandbox.corpId}&corpsecret=${sandbox.corpSecret}`,
  );
  const { access_token: token } = (await issued.json()) as { access_token: string };
  const url = (path: string, query: Record<string, string> = {}) =>
    `${sandbox.url}${API}${path}?${new URLSearchParams({ access_token: token, ...query })}`;
  return {
    token,
    async post(path, body) {
      const response = await fetch(url(path), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return response.json();
    },
    async get(path, query) {
      return (await fetch(url(path, query))).json();
    },
  };
}
