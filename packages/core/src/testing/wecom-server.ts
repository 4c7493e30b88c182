import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rememberSensitive } from './audit';

/** A scripted misbehaviour for the next request to a path. */
export type Fault =
  | { type: 'errcode'; errcode: number; errmsg?: string }
  /** Waits, then answers normally. */
  | { type: 'latency'; ms: number }
  /** Closes the connection without answering or applying anything. */
  | { type: 'drop' }
  /** Applies the write, then closes the connection without answering. */
  | { type: 'drop-after-apply' }
  | { type: 'html'; status?: number }
  | { type: 'garbage' }
  /** Valid HTTP framing, JSON cut in the middle. */
  | { type: 'truncated' }
  | { type: 'status'; status: number; body?: string };

export interface FakeWecomOptions {
  corpId?: string;
  tokenTtlSeconds?: number;
  /** Per path: at most `calls` per `windowMs`, else 45009 (the way WeCom enforces its minute limits). */
  rateLimits?: Record<string, { calls: number; windowMs: number }>;
  /** Per path: more requests than this in flight at once get 45033. */
  concurrencyCaps?: Record<string, number>;
  /** Every answer to a business path waits this long (to make concurrency observable). */
  latencyMs?: number;
  /** create_time of the moments get_moment_list serves. */
  momentTimes?: number[];
}

export const READ_PATH = '/cgi-bin/externalcontact/get';
export const WRITE_PATH = '/cgi-bin/externalcontact/add_msg_template';
export const MOMENTS_PATH = '/cgi-bin/externalcontact/get_moment_list';
export const GETTOKEN_PATH = '/cgi-bin/gettoken';

interface IssuedToken {
  expiresAt: number;
  revoked: boolean;
}

const MOMENTS_PAGE_SIZE = 3;

/**
 * A WeCom double on 127.0.0.1 that speaks the real wire format: gettoken, a read (get), a paged
 * read (get_moment_list, open interval) and a write (add_msg_template), with token checks,
 * scripted faults and counters of what it received and applied.
 */
export class FakeWecom {
  readonly corpId: string;
  readonly corpSecret = `secret-${randomBytes(16).toString('hex')}`;
  readonly issuedTokens: string[] = [];
  /** Writes that took effect. */
  readonly applied: unknown[] = [];
  readonly requestCounts = new Map<string, number>();
  readonly maxInFlight = new Map<string, number>();
  readonly #tokens = new Map<string, IssuedToken>();
  readonly #faults = new Map<string, Fault[]>();
  readonly #inFlight = new Map<string, number>();
  readonly #sendTimes = new Map<string, number[]>();
  readonly #options: FakeWecomOptions;
  #server: Server | undefined;
  baseUrl = '';

  private constructor(options: FakeWecomOptions) {
    this.#options = options;
    this.corpId = options.corpId ?? 'ww-test-corp';
    rememberSensitive(this.corpSecret);
  }

  static async start(options: FakeWecomOptions = {}, port = 0): Promise<FakeWecom> {
    const fake = new FakeWecom(options);
    await fake.listen(port);
    return fake;
  }

  async listen(port = 0): Promise<void> {
    const server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : undefined);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Queues faults for the next requests to `path`, one per request. */
  fault(path: string, ...faults: Fault[]): void {
    this.#faults.set(path, [...(this.#faults.get(path) ?? []), ...faults]);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  /** WeCom invalidating every token early: the next calls get 40014. */
  revokeTokens(): void {
    for (const token of this.#tokens.values()) token.revoked = true;
  }

  get gettokenCalls(): number {
    return this.requests(GETTOKEN_PATH);
  }

  requests(path: string): number {
    return this.requestCounts.get(path) ?? 0;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const body = await readBody(request);
    this.requestCounts.set(path, this.requests(path) + 1);
    const inFlight = (this.#inFlight.get(path) ?? 0) + 1;
    this.#inFlight.set(path, inFlight);
    this.maxInFlight.set(path, Math.max(this.maxInFlight.get(path) ?? 0, inFlight));
    try {
      await this.#answer(path, url.searchParams, body, response, inFlight);
    } finally {
      this.#inFlight.set(path, (this.#inFlight.get(path) ?? 1) - 1);
    }
  }

  async #answer(
    path: string,
    query: URLSearchParams,
    body: string,
    response: ServerResponse,
    inFlight: number,
  ) {
    const fault = this.#faults.get(path)?.shift();
    if (fault?.type === 'latency') await sleep(fault.ms);
    if (path !== GETTOKEN_PATH && this.#options.latencyMs) await sleep(this.#options.latencyMs);
    if (fault && fault.type !== 'latency' && fault.type !== 'drop-after-apply')
      return this.#misbehave(fault, response);
    if (path === GETTOKEN_PATH) return this.#gettoken(query, response);
    if (![READ_PATH, WRITE_PATH, MOMENTS_PATH].includes(path)) {
      return text(response, 404, 'text/html', '<html><body>404 Not Found</body></html>');
    }

    const tokenError = this.#checkToken(query.get('access_token'));
    if (tokenError) return json(response, tokenError);
    const cap = this.#options.concurrencyCaps?.[path];
    if (cap !== undefined && inFlight > cap) {
      return json(response, {
        errcode: 45033,
        errmsg: 'api concurrent out of limit, hint: [c1], from ip: 127.0.0.1',
      });
    }
    if (this.#overRateLimit(path)) {
      return json(response, {
        errcode: 45009,
        errmsg: 'api freq out of limit, hint: [f1], from ip: 127.0.0.1',
      });
    }
    const answer = this.#business(path, query, body);
    if (fault?.type === 'drop-after-apply') {
      response.socket?.destroy();
      return;
    }
    return json(response, answer);
  }

  #gettoken(query: URLSearchParams, response: ServerResponse) {
    if (query.get('corpid') !== this.corpId)
      return json(response, { errcode: 40013, errmsg: 'invalid corpid, hint: [g1]' });
    if (query.get('corpsecret') !== this.corpSecret) {
      return json(response, {
        errcode: 40001,
        errmsg: 'invalid credential, hint: [1737759218426833351570099], from ip: ',
      });
    }
    const accessToken = `tok_${randomBytes(24).toString('hex')}`;
    const ttl = this.#options.tokenTtlSeconds ?? 7200;
    this.#tokens.set(accessToken, { expiresAt: Date.now() + ttl * 1000, revoked: false });
    this.issuedTokens.push(accessToken);
    rememberSensitive(accessToken);
    return json(response, { errcode: 0, errmsg: 'ok', access_token: accessToken, expires_in: ttl });
  }

  #checkToken(accessToken: string | null): Record<string, unknown> | undefined {
    if (!accessToken) return { errcode: 41001, errmsg: 'access_token missing, hint: [t0]' };
    const token = this.#tokens.get(accessToken);
    if (!token || token.revoked) return { errcode: 40014, errmsg: 'invalid access_token, hint: [t1]' };
    if (token.expiresAt <= Date.now()) return { errcode: 42001, errmsg: 'access_token expired, hint: [t2]' };
    return undefined;
  }

  #overRateLimit(path: string): boolean {
    const limit = this.#options.rateLimits?.[path];
    if (!limit) return false;
    const now = Date.now();
    const recent = (this.#sendTimes.get(path) ?? []).filter((time) => now - time < limit.windowMs);
    recent.push(now);
    this.#sendTimes.set(path, recent);
    return recent.length > limit.calls;
  }

  #business(path: string, query: URLSearchParams, body: string): Record<string, unknown> {
    switch (path) {
      case READ_PATH:
        return {
          errcode: 0,
          errmsg: 'ok',
          external_contact: { external_userid: query.get('external_userid'), name: 'Li Lei', type: 1 },
          follow_user: [],
          field_added_by_wecom_later: { kept: true },
        };
      case WRITE_PATH: {
        this.applied.push(JSON.parse(body || '{}'));
        return { errcode: 0, errmsg: 'ok', fail_list: [], msgid: `msg${this.applied.length}` };
      }
      default:
        return this.#moments(JSON.parse(body || '{}') as Record<string, unknown>);
    }
  }

  /** Moments strictly between start_time and end_time, as WeCom documents, paged by cursor. */
  #moments(input: Record<string, unknown>): Record<string, unknown> {
    const start = Number(input.start_time);
    const end = Number(input.end_time);
    if (end - start > 30 * 86_400) return { errcode: 40058, errmsg: 'invalid time range, hint: [m1]' };
    const matching = (this.#options.momentTimes ?? []).filter((time) => time > start && time < end);
    const offset = input.cursor ? Number(String(input.cursor).replace('c', '')) : 0;
    const page = matching.slice(offset, offset + MOMENTS_PAGE_SIZE);
    const next = offset + MOMENTS_PAGE_SIZE < matching.length ? `c${offset + MOMENTS_PAGE_SIZE}` : '';
    return {
      errcode: 0,
      errmsg: 'ok',
      next_cursor: next,
      moment_list: page.map((time) => ({ moment_id: `mom${time}`, create_time: time })),
    };
  }

  #misbehave(fault: Exclude<Fault, { type: 'latency' | 'drop-after-apply' }>, response: ServerResponse) {
    switch (fault.type) {
      case 'errcode':
        return json(response, {
          errcode: fault.errcode,
          errmsg: fault.errmsg ?? `scripted error, hint: [s${fault.errcode}]`,
        });
      case 'drop':
        response.socket?.destroy();
        return;
      case 'html':
        return text(
          response,
          fault.status ?? 200,
          'text/html',
          '<!DOCTYPE html><html><body><h1>Gateway says hi</h1></body></html>',
        );
      case 'garbage':
        return text(response, 200, 'application/json', '\u0000\u0001garbage%%%');
      case 'truncated':
        return text(response, 200, 'application/json', '{"errcode":0,"errmsg":"ok","external_con');
      case 'status':
        return text(response, fault.status, 'text/plain', fault.body ?? 'upstream failed');
    }
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function json(response: ServerResponse, body: Record<string, unknown>): void {
  text(response, 200, 'application/json', JSON.stringify(body));
}

function text(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
