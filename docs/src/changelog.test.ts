// The changelog page from real history: a clone of this repository with three release tags put on
// commits of its spec history, built into a portal and read in an offline Chromium.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchOfflineChromium } from '../offline-chromium.mjs';
import { createPortalHandler } from '../serve.mjs';
import { buildPortal } from './portal';

const run = promisify(execFile);
const docsDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const screenshots = join(docsDir, 'test-output');

/** Commits of the spec's history on main: every path written; webhooks added; maxAgeDays added. */
const RELEASES = [
  ['0.1.0', '3ebed92'],
  ['0.2.0', '4b1a41c'],
  ['0.3.0', '3d687f6'],
] as const;

let workDir: string;
let server: Server;
let baseUrl: string;
let browser: Awaited<ReturnType<typeof launchOfflineChromium>>;
const problems: string[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'portal-changelog-test-'));
  const clone = join(workDir, 'repo');
  const { stdout: root } = await run('git', ['rev-parse', '--show-toplevel'], { cwd: docsDir });
  await run('git', ['clone', '--quiet', '--shared', root.trim(), clone]);
  for (const [version, commit] of RELEASES) {
    // One annotated tag, as `changeset publish` makes them; the others lightweight.
    const annotated = version === '0.2.0' ? ['-a', '-m', version] : [];
    await run('git', ['tag', ...annotated, `@wecom-kit/client@${version}`, commit], { cwd: clone });
  }
  const distDir = join(workDir, 'dist');
  await buildPortal({ outDir: distDir, historyRoot: clone });
  const handler = createPortalHandler(distDir);
  server = createServer((request, response) => void handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  await mkdir(screenshots, { recursive: true });
  browser = await launchOfflineChromium({
    viewport: { width: 1366, height: 900 },
    onBlocked: (url) => problems.push(`blocked ${url}`),
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the changelog page', () => {
  it('lists each release with its changes by kind, linking to the operations', async () => {
    const page = await browser.context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${baseUrl}/changelog.html`);
    const versions = await page.locator('section.release h2').allTextContents();
    expect(versions).toEqual(['Unreleased', '0.3.0', '0.2.0', '0.1.0']);
    // What main holds beyond the last tag changes with every spec edit: only its baseline is fixed.
    expect(await page.locator('#v-Unreleased').textContent()).toContain('Compared with 0.3.0');

    const release = page.locator('#v-0\\.3\\.0');
    expect(await release.locator('.since').textContent()).toMatch(
      /^Compared with 0\.2\.0: 0 breaking, \d+ non-breaking/,
    );
    const change = release.locator('li', { hasText: 'getUserBehaviorData' });
    expect(await change.textContent()).toContain('x-wecom-window.maxAgeDays (none) → 180');
    expect(await page.locator('#v-0\\.2\\.0').textContent()).toContain(
      'errcode 60123 (Invalid department id) added',
    );
    await page.screenshot({ path: join(screenshots, 'changelog.png'), fullPage: true });

    await change.locator('a').click();
    const operation = page.locator('[data-section-id$="/operation/getUserBehaviorData"]');
    await operation.waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).pathname).toBe('/reference/statistics.html');
    // "added in" / "changed in" on the operation itself, linking back to the releases.
    const history = operation.locator('em', { hasText: 'Added in' });
    expect(await history.textContent()).toBe('Added in 0.1.0 · changed in 0.3.0.');
    expect(
      await history.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
    ).toEqual(['../changelog.html#v-0.1.0', '../changelog.html#v-0.3.0']);
    await page.close();
    expect(problems).toEqual([]);
  }, 120_000);
});
