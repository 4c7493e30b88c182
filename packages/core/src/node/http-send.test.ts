import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, globalAgent as httpsGlobalAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isTimeoutError } from '../abort';
import { WecomNetworkError } from '../errors';
import { networkErrorCode } from '../http';
import { createTransport } from '../transport';
import { nodeHttpSend } from './http-send';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A local server whose requests (with their bodies) are kept, answering through `handle`. */
async function serve(handle: Handler, server: Server = createServer()) {
  const seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const closed: boolean[] = [];
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      seen.push({ method: request.method, url: request.url, headers: request.headers, body });
      const index = closed.push(false) - 1;
      response.on('close', () => {
        closed[index] = true;
      });
      handle(request, body, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { port, seen, closed };
}

const TEXT = JSON.stringify({ errcode: 0, errmsg: 'ok', name: '企业微信客户 🙂', tags: ['重要', '华东'] });
const request = (url: string, overrides: Partial<Parameters<typeof nodeHttpSend>[0]> = {}) =>
  nodeHttpSend({ method: 'GET', url, timeoutMs: 5_000, ...overrides });

describe('nodeHttpSend', () => {
  it('POSTs the body as JSON with its length, and GETs without one', async () => {
    const { port, seen } = await serve((_request, _body, response) => response.end(TEXT));
    const url = `http://127.0.0.1:${port}/cgi-bin/externalcontact/get_moment_comments?access_token=t`;
    const posted = await request(url, { method: 'POST', body: { moment_id: '朋友圈', userid: 'u1' } });
    await request(url);
    expect(posted).toEqual({ status: 200, text: TEXT });
    const [post, get] = seen;
    expect(post).toMatchObject({ method: 'POST', body: '{"moment_id":"朋友圈","userid":"u1"}' });
    expect(post?.headers).toMatchObject({
      'content-type': 'application/json',
      accept: 'application/json',
      'content-length': String(Buffer.byteLength(post?.body ?? '')),
    });
    expect(get).toMatchObject({ method: 'GET', body: '' });
    expect(get?.headers['content-type']).toBeUndefined();
  });

  it('keeps characters whole when their bytes arrive in different chunks', async () => {
    const bytes = Buffer.from(TEXT);
    const split = bytes.indexOf(Buffer.from('微')) + 1; // inside a three-byte character
    const { port } = await serve((_request, _body, response) => {
      response.write(bytes.subarray(0, split));
      setTimeout(() => response.end(bytes.subarray(split)), 20);
    });
    expect((await request(`http://127.0.0.1:${port}/`)).text).toBe(TEXT);
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ])('asks for compression and reads a %s answer', async (encoding, compress) => {
    const { port, seen } = await serve((_request, _body, response) => {
      response.writeHead(200, { 'content-encoding': encoding }).end(compress(Buffer.from(TEXT)));
    });
    expect(await request(`http://127.0.0.1:${port}/`)).toEqual({ status: 200, text: TEXT });
    expect(seen[0]?.headers['accept-encoding']).toContain(encoding);
  });

  it('passes on the status and body of an error page', async () => {
    const { port } = await serve((_request, _body, response) =>
      response.writeHead(502).end('<html>bad gateway'),
    );
    expect(await request(`http://127.0.0.1:${port}/`)).toEqual({ status: 502, text: '<html>bad gateway' });
  });

  it('times out while the answer is still arriving, and closes the connection', async () => {
    const { port, closed } = await serve((_request, _body, response) => response.write('{"errcode":0,'));
    const started = Date.now();
    const error = await request(`http://127.0.0.1:${port}/`, { timeoutMs: 150 }).catch((caught) => caught);
    expect(isTimeoutError(error)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await expect.poll(() => closed[0]).toBe(true);
  });

  it("ends with the caller's reason when the caller aborts", async () => {
    const { port, closed } = await serve(() => {});
    const controller = new AbortController();
    const pending = request(`http://127.0.0.1:${port}/`, { signal: controller.signal });
    await expect.poll(() => closed.length).toBe(1);
    const reason = new Error('the user left');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await expect.poll(() => closed[0]).toBe(true);
  });

  it('sends nothing when the caller has already aborted', async () => {
    const { port, seen } = await serve((_request, _body, response) => response.end(TEXT));
    const reason = new Error('cancelled before it started');
    const pending = request(`http://127.0.0.1:${port}/`, { signal: AbortSignal.abort(reason) });
    await expect(pending).rejects.toBe(reason);
    await request(`http://127.0.0.1:${port}/after`);
    expect(seen.map((entry) => entry.url)).toEqual(['/after']);
  });

  it('reports a connection closed in the middle of the answer as a reset', async () => {
    const { port } = await serve((_request, _body, response) => {
      response.writeHead(200, { 'content-length': '1000' }).write('{"errcode":0,');
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const error = await request(`http://127.0.0.1:${port}/`).catch((caught) => caught);
    expect(networkErrorCode(error)).toBe('ECONNRESET');
  });

  it('reports a refused connection with its code, so a write is known not to have been sent', async () => {
    const { port } = await serve(() => {});
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const error = await request(`http://127.0.0.1:${port}/`).catch((caught) => caught);
    expect(networkErrorCode(error)).toBe('ECONNREFUSED');
  });

  describe('over https', () => {
    const folder = mkdtempSync(join(tmpdir(), 'wecom-kit-tls-'));
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
        ...['-keyout', join(folder, 'key.pem'), '-out', join(folder, 'cert.pem'), '-days', '1'],
        ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      ],
      { stdio: 'ignore' },
    );
    const key = readFileSync(join(folder, 'key.pem'));
    const cert = readFileSync(join(folder, 'cert.pem'));
    const trusted = httpsGlobalAgent.options.ca;
    afterAll(() => {
      httpsGlobalAgent.options.ca = trusted;
      rmSync(folder, { recursive: true, force: true });
    });

    it('refuses an untrusted certificate before sending: a write fails as not sent, saying how to fix it', async () => {
      const { port, seen } = await serve(
        (_request, _body, response) => response.end(TEXT),
        createTlsServer({ key, cert }),
      );
      const transport = createTransport(
        { baseUrl: `https://127.0.0.1:${port}`, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } },
        nodeHttpSend,
      );
      const write = {
        operationId: 'addMsgTemplate',
        method: 'POST',
        path: '/cgi-bin/x',
        idempotent: false,
      } as const;
      const error = await transport.request(write, { body: {} }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(WecomNetworkError);
      expect(error).toMatchObject({
        code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
        cause: { message: expect.stringMatching(/certificate was not trusted.*NODE_EXTRA_CA_CERTS/) },
      });
      expect(seen).toEqual([]);
    });

    it("goes through https's global agent, so what the app sets on it applies", async () => {
      const { port } = await serve(
        (_request, _body, response) => response.end(TEXT),
        createTlsServer({ key, cert }),
      );
      const url = `https://127.0.0.1:${port}/cgi-bin/gettoken`;
      const refused = await request(url).catch((caught) => caught);
      expect(networkErrorCode(refused)).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
      httpsGlobalAgent.options.ca = cert;
      expect(await request(url)).toEqual({ status: 200, text: TEXT });
    });
  });
});
