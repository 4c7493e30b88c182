import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchOfflineChromium } from '@wecom-kit/docs/offline-chromium';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const OUTPUT_DIR = fileURLToPath(new URL('../test-output', import.meta.url));

let stack: ChildProcess;
let portalUrl: string;
let browser: Awaited<ReturnType<typeof launchOfflineChromium>>;
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
  // The demo must work on an intranet: nothing may leave this machine.
  browser = await launchOfflineChromium({ viewport: { width: 1360, height: 900 } });
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  watch(page);
});

afterAll(async () => {
  await browser?.close();
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
  // "Load older moments" says what it does: every moment loaded is older than the ones above it.
  const times = await moments()
    .locator('time')
    .evaluateAll((elements) => elements.map((element) => Date.parse(element.getAttribute('datetime') ?? '')));
  expect(times.length).toBeGreaterThan(firstPage);
  expect(times).toEqual([...times].sort((a, b) => b - a));

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
  expect(proxiedCalls).toContain('/api/wecom/cgi-bin/externalcontact/mark_tag');
  // WeCom reports the change back through the callback URL; the live feed shows it.
  const edited = page.getByTestId('event').filter({ hasText: externalUserid });
  await expect
    .poll(() => edited.first().getByTestId('event-type').textContent(), { timeout: 20_000 })
    .toBe('change_external_contact/edit_external_contact');
  await page.screenshot({ path: join(OUTPUT_DIR, '4-tag-marked.png') });

  expect(consoleErrors).toEqual([]);
  expect(failedRequests).toEqual([]);
});

it('shows a new customer in the live feed as WeCom reports it, welcomed by the backend', async () => {
  // A page of its own, so that this test does not depend on where the previous one left off.
  const feedPage = await browser.context.newPage();
  watch(feedPage);
  await feedPage.goto(`${portalUrl}/demo/`);
  const feed = feedPage.getByTestId('live-events');
  await expect.poll(() => feed.getByTestId('connection').textContent(), { timeout: 15_000 }).toBe('Live');

  // The backend's WeCom is the sandbox, so the page offers to simulate a customer adding a member.
  const simulated = feedPage.waitForResponse((response) =>
    response.url().endsWith('/api/demo/simulate-customer'),
  );
  await feed.getByRole('button', { name: 'Simulate a new customer' }).click();
  const added = (await (await simulated).json()) as Record<string, string>;
  expect(added).toMatchObject({ errcode: 0, external_userid: expect.stringMatching(/^wm/) });
  expect(added).not.toHaveProperty('welcome_code');

  // The sandbox delivers add_external_contact to the backend's callback URL; the stream brings it here.
  const event = feed.getByTestId('event').filter({ hasText: added.external_userid });
  await expect.poll(() => event.count(), { timeout: 20_000 }).toBe(1);
  expect(await event.getByTestId('event-type').textContent()).toBe(
    'change_external_contact/add_external_contact',
  );
  expect(await event.textContent()).toContain(added.userid);
  await expect
    .poll(() => event.getByTestId('welcome').textContent(), { timeout: 20_000 })
    .toBe('Welcome message sent');
  await feed.scrollIntoViewIfNeeded();
  await feedPage.screenshot({ path: join(OUTPUT_DIR, '5-live-event.png') });

  // The new customer opens in the side panel, read through the proxy like any other.
  await event.getByRole('button', { name: added.external_userid }).click();
  const customer = feedPage.getByTestId('customer');
  await expect.poll(() => customer.getByTestId('customer-name').count(), { timeout: 15_000 }).toBe(1);
  expect(await customer.textContent()).toContain(added.external_userid);
  await feedPage.screenshot({ path: join(OUTPUT_DIR, '6-new-customer.png') });

  expect(consoleErrors).toEqual([]);
  expect(failedRequests).toEqual([]);
});

/** How far the page scrolls sideways, and the widest elements that stick out (for the message). */
function sidewaysOverflow(target: Page) {
  return target.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const overflow = document.documentElement.scrollWidth - width;
    // Named only when the page does scroll: a visually hidden element may stick out, clipped.
    const culprits =
      overflow > 0
        ? [...document.querySelectorAll('body *')]
            .filter((element) => element.getBoundingClientRect().right > width + 1)
            .slice(0, 5)
            .map(
              (element) =>
                `${element.tagName.toLowerCase()}.${element.className} right=${element.getBoundingClientRect().right}`,
            )
        : [];
    return { overflow, culprits };
  });
}

it('fits a 390 px phone: the demo and the errcode catalog scroll only vertically', async () => {
  const phone = await browser.context.newPage();
  watch(phone);
  await phone.setViewportSize({ width: 390, height: 844 });

  await phone.goto(`${portalUrl}/demo/`);
  await expect
    .poll(() => phone.getByTestId('moment').count(), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(20);
  expect(await sidewaysOverflow(phone)).toEqual({ overflow: 0, culprits: [] });
  await phone.screenshot({ path: join(OUTPUT_DIR, '7-phone-demo.png'), fullPage: false });

  await phone.locator('.customer-chip').first().click();
  await expect.poll(() => phone.getByTestId('customer-name').count(), { timeout: 15_000 }).toBe(1);
  expect(await sidewaysOverflow(phone)).toEqual({ overflow: 0, culprits: [] });
  await phone.screenshot({ path: join(OUTPUT_DIR, '8-phone-customer.png') });

  // A page of its own: leaving the demo would cut its live event stream, a failed request.
  const catalog = await browser.context.newPage();
  watch(catalog);
  await catalog.setViewportSize({ width: 390, height: 844 });
  await catalog.goto(`${portalUrl}/errcodes.html`);
  await catalog.locator('#errcodes tbody tr').first().waitFor();
  expect(await sidewaysOverflow(catalog)).toEqual({ overflow: 0, culprits: [] });
  await catalog.screenshot({ path: join(OUTPUT_DIR, '9-phone-errcodes.png') });

  expect(consoleErrors).toEqual([]);
  expect(failedRequests).toEqual([]);
}, 60_000);
