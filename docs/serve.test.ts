import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortal } from './serve.mjs';

let dir: string;
let portal: { url: string; close: () => Promise<void> };

/** Raw requests, because fetch would normalise `..` out of the path before sending it. */
function get(
  path: string,
  method = 'GET',
): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${portal.url}${path}`, { method, path }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'portal-serve-'));
  await mkdir(join(dir, 'site/reference'), { recursive: true });
  await writeFile(join(dir, 'site/index.html'), 'home');
  await writeFile(join(dir, 'site/reference/index.html'), 'reference');
  await writeFile(join(dir, 'site/reference/redoc.standalone.js'), 'redoc');
  await writeFile(join(dir, 'secret.txt'), 'outside');
  portal = await startPortal({ distDir: join(dir, 'site'), port: 0 });
});

afterAll(async () => {
  await portal.close();
  await rm(dir, { recursive: true, force: true });
});

describe('createPortalHandler', () => {
  it('serves the home page at / and a folder by its index.html', async () => {
    expect(await get('/')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', body: 'home' });
    expect(await get('/reference/')).toMatchObject({ status: 200, body: 'reference' });
    expect(await get('/reference')).toMatchObject({ status: 200, body: 'reference' });
    expect(await get('/reference/redoc.standalone.js?v=1')).toMatchObject({
      status: 200,
      type: 'text/javascript; charset=utf-8',
    });
  });

  it('refuses paths outside the portal, encoded or not', async () => {
    expect((await get('/../secret.txt')).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get('/reference/..%2f..%2fsecret.txt')).status).toBe(404);
  });

  it('answers 404 for a missing file, nothing for HEAD, and 405 for other methods', async () => {
    expect((await get('/missing.html')).status).toBe(404);
    expect(await get('/', 'HEAD')).toMatchObject({ status: 200, body: '' });
    expect((await get('/', 'POST')).status).toBe(405);
  });
});
