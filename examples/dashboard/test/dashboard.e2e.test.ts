import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const OUTPUT_DIR = fileURLToPath(new URL('../test-output', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

let stack: ChildProcess;
let portalUrl: string;
let userDataDir: string;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];
const failedRequests: string[] = [];
const proxiedCalls: string[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/** `pnpm start` minus the build (turbo built everything first): the sandbox, the portal, the demo. */
async function startStack(): Promise<void> {
  const [sandboxPort, portalPort] = [await freePort(), await freePort()];
  stack = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: REPO_ROOT,
    env: { ...process.env, SANDBOX_PORT: String(sandboxPort), PORTAL_PORT: String(portalPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('wecom-kit is running')) resolve();
    };
    stack.stdout?.on('data', read);
    stack.stderr?.on('data', read);
    stack.once('exit', (code) => reject(new Error(`scripts/start.mjs exited with ${code}:\n${output}`)));
  });
  portalUrl = `http://127.0.0.1:${portalPort}`;
}

function watch(target: Page): void {
  target.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  target.on('pageerror', (error) => consoleErrors.push(error.message));
  target.on('requestfailed', (request) =>
    failedRequests.push(`${request.url()} ${request.failure()?.errorText}`),
  );
  target.on('response', (response) => {
    if (response.status() >= 400) failedRequests.push(`${response.url()} HTTP ${response.status()}`);
  });
  target.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/api/wecom/')) proxiedCalls.push(pathname);
  });
}

beforeAll(async () => {
  await mkdir(OUTPUT_DIR, { recursive: true });
  await startStack();
  userDataDir = await mkdtemp(join(tmpdir(), 'wecom-dashboard-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1360, height: 900 },
  });
  // The demo must work on an intranet: nothing may leave this machine.
  await context.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    return LOCAL_HOSTS.has(hostname) ? route.continue() : route.abort('blockedbyclient');
  });
  page = context.pages()[0] ?? (await context.newPage());
  watch(page);
});

afterAll(async () => {
  await context?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  if (stack && stack.exitCode === null) {
    const exited = new Promise((resolve) => stack.once('exit', resolve));
    stack.kill('SIGTERM');
    await exited;
  }
});

const moments = () => page.getByTestId('moment');

it('pages through moments, opens a customer and marks a tag, all through the proxy', async () => {
  await page.goto(`${portalUrl}/demo/`);
  await expect.poll(() => moments().count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(20);
  await expect.poll(() => page.getByTestId('comments').count()).toBeGreaterThanOrEqual(5);
  await page.screenshot({ path: join(OUTPUT_DIR, '1-moments.png') });

  // Infinite scroll: reaching the end of the list loads the next page of moments.
  const firstPage = await moments().count();
  await page.getByRole('button', { name: 'Load older moments' }).scrollIntoViewIfNeeded();
  await expect.poll(() => moments().count(), { timeout: 15_000 }).toBeGreaterThan(firstPage);
  await page.screenshot({ path: join(OUTPUT_DIR, '2-second-page.png') });
  expect(proxiedCalls.filter((path) => path.endsWith('/get_moment_list')).length).toBeGreaterThanOrEqual(2);

  // A customer who reacted to a moment opens in the side panel.
  const chip = page.locator('.customer-chip').first();
  const externalUserid = (await chip.textContent()) ?? '';
  await chip.click();
  const customer = page.getByTestId('customer');
  await expect.poll(() => customer.getByTestId('customer-name').count()).toBe(1);
  expect(await customer.textContent()).toContain(externalUserid);
  await page.screenshot({ path: join(OUTPUT_DIR, '3-customer.png') });

  // Marking a tag invalidates the customer's query; the refetched view shows the new tag.
  const tagSelect = customer.getByLabel('Tag');
  const tagName =
    (await tagSelect.locator('option[value]:not([value=""])').first().textContent())?.trim() ?? '';
  await tagSelect.selectOption({ label: tagName });
  const tagsOfFirstMember = customer.getByTestId('follow-user').first().getByTestId('tags');
  expect(await tagsOfFirstMember.textContent()).not.toContain(tagName);
  await customer.getByRole('button', { name: 'Mark tag' }).click();
  await expect.poll(() => tagsOfFirstMember.locator('.chip.tag', { hasText: tagName }).count()).toBe(1);
  await page.screenshot({ path: join(OUTPUT_DIR, '4-tag-marked.png') });
  expect(proxiedCalls).toContain('/api/wecom/cgi-bin/externalcontact/mark_tag');

  expect(consoleErrors).toEqual([]);
  expect(failedRequests).toEqual([]);
});
