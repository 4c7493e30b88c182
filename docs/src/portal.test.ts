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

  it('renders every operation of the spec in the reference, with its code sample', async () => {
    resetProblems();
    const page = await openPage('/reference/');
    await page.waitForSelector('[data-section-id*="/operation/"]', { timeout: 60_000 });
    const rendered = await page.$$eval('[data-section-id*="/operation/"]', (sections) =>
      sections.map((section) => section.getAttribute('data-section-id')?.split('/operation/')[1] ?? ''),
    );
    expect([...new Set(rendered)].sort()).toEqual(operationIds);
    const sidebar = (await page.locator('.menu-content').textContent()) ?? '';
    for (const group of tagGroups) expect(sidebar).toContain(group);
    await page.screenshot({ path: join(screenshots, 'reference.png') });
    const moments = page.locator('[data-section-id$="/operation/getMomentList"]');
    await moments.scrollIntoViewIfNeeded();
    await moments.getByRole('tab', { name: 'wecom-kit' }).click();
    const sample = moments.getByRole('tabpanel').filter({ hasText: 'wecom.call' });
    expect(await sample.textContent()).toContain("await wecom.call('getMomentList', {");
    await page.screenshot({ path: join(screenshots, 'reference-code-sample.png') });
    await page.close();
    expect(problems).toEqual({ blocked: [], failed: [], consoleErrors: [] });
  }, 120_000);

  it('finds get_moment_list with the reference search', async () => {
    resetProblems();
    const page = await openPage('/reference/');
    const search = page.getByPlaceholder('Search...');
    await search.waitFor({ timeout: 60_000 });
    await search.fill('get_moment_list');
    const results = page.locator('[data-role="search:results"] li');
    await results.first().waitFor({ timeout: 30_000 });
    expect(await results.allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringContaining('List all moments')]),
    );
    await page.screenshot({ path: join(screenshots, 'reference-search.png') });
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
    expect(guides.length).toBe(8);
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
});
