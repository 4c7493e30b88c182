// The built portal in a real browser (Debian's Chromium) with every request that leaves
// 127.0.0.1 blocked: the proof that the site works on an intranet with no internet at all.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchOfflineChromium } from '../offline-chromium.mjs';
import { createPortalHandler } from '../serve.mjs';
import { buildPortal } from './portal';

const docsDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const screenshots = join(docsDir, 'test-output');

let distDir: string;
let browser: Awaited<ReturnType<typeof launchOfflineChromium>>;
let server: Server;
let baseUrl: string;
let context: BrowserContext;
let operationIds: string[];
let tagGroups: string[];

/** What went wrong while a page was open; every list must stay empty. */
interface Problems {
  blocked: string[];
  failed: string[];
  consoleErrors: string[];
}

const problems: Problems = { blocked: [], failed: [], consoleErrors: [] };

function resetProblems(): void {
  problems.blocked.length = 0;
  problems.failed.length = 0;
  problems.consoleErrors.length = 0;
}

async function openPage(path: string): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(`${path}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.consoleErrors.push(`${path}: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.failed.push(`${request.url()} (${request.failure()?.errorText ?? 'failed'})`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) problems.failed.push(`${response.url()} (HTTP ${response.status()})`);
  });
  await page.goto(`${baseUrl}${path}`, { waitUntil: 'load' });
  return page;
}

/**
 * Waits until the live Redoc has replaced the prerendered markup: only then do tabs and menus
 * answer clicks, and screenshots show what a reader works with.
 */
async function waitForLiveRedoc(page: Page): Promise<void> {
  await page.locator('#redoc[data-live]').waitFor({ state: 'attached', timeout: 60_000 });
}

beforeAll(async () => {
  distDir = await mkdtemp(join(tmpdir(), 'portal-dist-'));
  await buildPortal({ outDir: distDir });
  const spec = JSON.parse(await readFile(join(distDir, 'reference/openapi.json'), 'utf8')) as {
    paths: Record<string, Record<string, { operationId?: string }>>;
    webhooks?: Record<string, Record<string, { operationId?: string }>>;
    'x-tagGroups': { name: string }[];
  };
  tagGroups = spec['x-tagGroups'].map((group) => group.name);
  operationIds = [...Object.values(spec.paths), ...Object.values(spec.webhooks ?? {})]
    .flatMap((item) => Object.values(item).map((operation) => operation.operationId))
    .filter((id): id is string => typeof id === 'string')
    .sort();

  const handler = createPortalHandler(distDir);
  server = createServer((request, response) => void handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  await mkdir(screenshots, { recursive: true });
  browser = await launchOfflineChromium({
    viewport: { width: 1366, height: 900 },
    onBlocked: (url) => problems.blocked.push(url),
  });
  context = browser.context;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  if (distDir) await rm(distDir, { recursive: true, force: true });
});

describe('the portal in Chromium, offline', () => {
  it('loads the home page and links to the reference, the guides and the errcode catalog', async () => {
    resetProblems();
    const page = await openPage('/');
    const links = await page.$$eval('main a[href]', (anchors) => anchors.map((a) => a.getAttribute('href')));
    expect(links).toContain('reference/index.html');
    expect(links).toContain('errcodes.html');
    expect(links).toContain('guides/getting-started.html');
    await page.screenshot({ path: join(screenshots, 'home.png'), fullPage: true });
    for (const href of new Set(links)) {
      const response = await page.request.get(new URL(href as string, page.url()).href);
      expect(response.status(), href as string).toBe(200);
    }
    await page.close();
    expect(problems).toEqual({ blocked: [], failed: [], consoleErrors: [] });
  });

  it('renders every operation of the spec across the group pages, each group on its own page', async () => {
    resetProblems();
    const home = await openPage('/reference/');
    const pages = await home.$$eval('.groups a', (links) => links.map((a) => a.getAttribute('href') ?? ''));
    await home.close();
    expect(pages).toHaveLength(tagGroups.length);
    const rendered: string[] = [];
    for (const file of pages) {
      const page = await openPage(`/reference/${file}`);
      await page.waitForSelector('[data-section-id*="/operation/"]', { timeout: 60_000 });
      rendered.push(
        ...(await page.$$eval('[data-section-id*="/operation/"]', (sections) =>
          sections.map((section) => section.getAttribute('data-section-id')?.split('/operation/')[1] ?? ''),
        )),
      );
      if (file === 'index.html') {
        await waitForLiveRedoc(page);
        await page.screenshot({ path: join(screenshots, 'reference.png') });
      }
      // The static portal has no sandbox behind it: no "Try it".
      expect(await page.locator('.try-it-box').count(), file).toBe(0);
      await page.close();
    }
    expect([...new Set(rendered)].sort()).toEqual(operationIds);
    expect(problems).toEqual({ blocked: [], failed: [], consoleErrors: [] });
  }, 240_000);

  it("opens a deep link to another group on that group's page, scrolled to the operation", async () => {
    resetProblems();
    const page = await openPage('/reference/#operation/getMomentList');
    const section = page.locator('[data-section-id$="/operation/getMomentList"]');
    await section.waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).pathname).toBe('/reference/moments.html');
    await expect
      .poll(() => section.evaluate((node) => node.getBoundingClientRect().top), { timeout: 30_000 })
      .toBeLessThan(900);
    await page.close();
    expect(problems).toEqual({ blocked: [], failed: [], consoleErrors: [] });
  }, 120_000);

  it('shows the operations before Redoc has loaded: prerendered, styled, the deep link on screen', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // Redoc's bundle never arrives: what the reader sees is the build's markup alone.
    await page.route('**/redoc.standalone.js', () => undefined);
    await page.goto(`${baseUrl}/reference/moments.html#operation/getMomentList`, {
      waitUntil: 'domcontentloaded',
    });
    const heading = page.locator('[data-section-id$="/operation/getMomentList"] h2');
    const place = () =>
      heading.evaluate((node) => ({
        top: node.getBoundingClientRect().top,
        shellBottom: document.querySelector('.shell')?.getBoundingClientRect().bottom ?? 0,
        font: getComputedStyle(node).fontSize,
      }));
    await expect.poll(async () => (await place()).top, { timeout: 30_000 }).toBeLessThan(900);
    const { top, shellBottom, font } = await place();
    // Below the sticky bars, on screen, and in Redoc's heading style (not the browser's default).
    expect(top).toBeGreaterThanOrEqual(shellBottom - 1);
    expect(font).not.toBe('24px');
    expect(await page.locator('#redoc[data-live]').count()).toBe(0);
    // The sidebar sticks below the bars, as the live Redoc places it.
    const menuTop = await page.locator('.menu-content').evaluate((menu) => menu.getBoundingClientRect().top);
    expect(Math.abs(menuTop - shellBottom)).toBeLessThan(1);
    await page.screenshot({ path: join(screenshots, 'reference-prerendered.png') });
    await page.close();
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows JSON samples without a box over the braces, and TypeScript samples wrapped, not cut', async () => {
    resetProblems();
    const page = await openPage('/reference/moments.html#operation/getMomentList');
    const moments = page.locator('[data-section-id$="/operation/getMomentList"]');
    await moments.waitFor({ timeout: 60_000 });
    await waitForLiveRedoc(page);
    const json = moments.getByRole('tabpanel').first();
    // The box was the site stylesheet's `code` background on Redoc's <code> around each sample.
    const backgrounds = await json
      .locator('code')
      .evaluateAll((codes) => codes.map((code) => getComputedStyle(code).backgroundColor));
    expect(backgrounds.length).toBeGreaterThan(0);
    expect(new Set(backgrounds)).toEqual(new Set(['rgba(0, 0, 0, 0)']));
    await json.screenshot({ path: join(screenshots, 'json-sample.png') });

    await moments.getByRole('tab', { name: 'wecom-kit' }).click();
    const sample = moments.getByRole('tabpanel').filter({ hasText: 'wecom.call' });
    expect(await sample.textContent()).toContain("await wecom.call('getMomentList', {");
    const overflow = await sample.locator('pre').evaluate((pre) => pre.scrollWidth - pre.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await sample.screenshot({ path: join(screenshots, 'typescript-sample.png') });
    await page.close();
    expect(problems).toEqual({ blocked: [], failed: [], consoleErrors: [] });
  }, 120_000);

  it('finds operations by path, operationId, Chinese name and summary, tags by name, and errcodes', async () => {
    resetProblems();
    const page = await openPage('/reference/customers.html');
    const search = page.locator('#reference-search');
    const firstResult = page.locator('#reference-results li a').first();
    const expectations: [query: string, href: string][] = [
      ['get_moment_list', 'moments.html#operation/getMomentList'],
      ['/cgi-bin/externalcontact/get', 'customers.html#operation/getExternalContact'],
      ['getExternalContact', 'customers.html#operation/getExternalContact'],
      ['获取客户详情', 'customers.html#operation/getExternalContact'],
      ['批量获取客户详情', 'customers.html#operation/batchGetByUser'],
      ['客户朋友圈', 'moments.html#tag/Moments'],
      ['List all moments', 'moments.html#operation/getMomentList'],
      ['transfer a member', 'transfers.html#operation/transferCustomer'],
      ['45009', '../errcodes.html#errcode-45009'],
    ];
    const firsts: [string, string | null][] = [];
    for (const [query] of expectations) {
      await search.fill(query);
      firsts.push([query, await firstResult.getAttribute('href')]);
    }
    expect(firsts).toEqual(expectations);

    // Enough to choose from: a broad word lists many operations, most of them on screen at once.
    await search.fill('tag');
    const results = page.locator('#reference-results li');
    expect(await results.count()).toBeGreaterThan(20);
    const onScreen = await results.evaluateAll(
      (items) => items.filter((item) => item.getBoundingClientRect().bottom <= window.innerHeight).length,
    );
    expect(onScreen).toBeGreaterThanOrEqual(10);
    await page.screenshot({ path: join(screenshots, 'reference-search.png') });

    // Choosing a result on another group's page opens it there.
    await search.fill('get_moment_list');
    await search.press('Enter');
    await page.locator('[data-section-id$="/operation/getMomentList"]').waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).pathname).toBe('/reference/moments.html');

    await search.fill('45009');
    await search.press('Enter');
    await page.waitForURL(/errcodes\.html#errcode-45009$/);
    expect(await page.locator('#errcode-45009').isVisible()).toBe(true);
    await page.close();
    expect(problems).toEqual({ blocked: [], failed: [], consoleErrors: [] });
  }, 120_000);

  it('filters the errcode catalog as the reader types', async () => {
    resetProblems();
    const page = await openPage('/errcodes.html');
    const rows = page.locator('#errcodes tbody tr');
    expect(await rows.count()).toBeGreaterThan(50);
    await page.fill('#errcode-search', '45009');
    expect(await page.locator('#errcodes tbody tr:visible').allInnerTexts()).toEqual([
      expect.stringMatching(/^45009\b/),
    ]);
    await page.fill('#errcode-search', '');
    await page.selectOption('#errcode-class', 'token');
    const classes = await page.$$eval('#errcodes tbody tr:not([hidden])', (visible) =>
      visible.map((row) => (row as HTMLElement).dataset.class),
    );
    expect(classes.length).toBeGreaterThan(0);
    expect(new Set(classes)).toEqual(new Set(['token']));
    await page.screenshot({ path: join(screenshots, 'errcodes.png') });
    await page.close();
    expect(problems).toEqual({ blocked: [], failed: [], consoleErrors: [] });
  });

  it('renders every guide, and their links resolve', async () => {
    resetProblems();
    const home = await openPage('/');
    const guides = await home.$$eval('.guides a', (anchors) =>
      anchors.map((a) => a.getAttribute('href') ?? ''),
    );
    await home.close();
    expect(guides.length).toBe(9);
    for (const guide of guides) {
      const page = await openPage(`/${guide}`);
      expect(await page.locator('article.guide h1').count(), guide).toBe(1);
      const links = await page.$$eval('article a[href]', (anchors) =>
        anchors.map((a) => a.getAttribute('href') ?? ''),
      );
      for (const href of links.filter((link) => !/^[a-z]+:/.test(link))) {
        const response = await page.request.get(new URL(href, page.url()).href);
        expect(response.status(), `${guide} -> ${href}`).toBe(200);
      }
      if (guide.endsWith('getting-started.html')) {
        await page.screenshot({ path: join(screenshots, 'guide-getting-started.png'), fullPage: true });
      }
      await page.close();
    }
    expect(problems).toEqual({ blocked: [], failed: [], consoleErrors: [] });
  }, 120_000);

  it('fits a 390 px phone: no page is wider than the screen', async () => {
    resetProblems();
    const phone = await launchOfflineChromium({
      viewport: { width: 390, height: 844 },
      onBlocked: (url) => problems.blocked.push(url),
    });
    try {
      const paths: [string, string][] = [
        ['/', 'home-390.png'],
        ['/reference/moments.html#operation/getMomentList', 'reference-390.png'],
        ['/changelog.html', 'changelog-390.png'],
        ['/guides/getting-started.html', 'guide-390.png'],
      ];
      for (const [path, screenshot] of paths) {
        const page = await phone.context.newPage();
        page.on('pageerror', (error) => problems.consoleErrors.push(`${path}: ${error.message}`));
        await page.goto(`${baseUrl}${path}`);
        if (path.startsWith('/reference/')) {
          await page.locator('[data-section-id$="/operation/getMomentList"]').waitFor({ timeout: 60_000 });
          await waitForLiveRedoc(page);
        }
        // Nothing sticks out to the right: neither the page nor any element of the portal's bar.
        expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(
          390,
        );
        const barRight = await page
          .locator('.bar')
          .evaluate((bar) =>
            Math.max(...[...bar.querySelectorAll('*')].map((node) => node.getBoundingClientRect().right)),
          );
        expect(barRight, path).toBeLessThanOrEqual(390);
        await page.screenshot({ path: join(screenshots, screenshot) });
        await page.close();
      }
    } finally {
      await phone.close();
    }
    expect(problems).toEqual({ blocked: [], failed: [], consoleErrors: [] });
  }, 180_000);
});
