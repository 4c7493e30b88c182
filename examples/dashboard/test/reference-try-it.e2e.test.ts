// "Try it against the sandbox" in the reference served by `pnpm start` (scripts/start.mjs; the
// test pipeline has built everything), in an offline Chromium: a read answered by the sandbox,
// and a write the demo's proxy refuses, each with the errcode's meaning and the wecom.call line.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { launchOfflineChromium } from '@wecom-kit/docs/offline-chromium';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '../../..');
const screenshots = join(import.meta.dirname, '../test-output');
let child: ChildProcess;
let portalUrl: string;
let browser: Awaited<ReturnType<typeof launchOfflineChromium>>;
const problems: string[] = [];

beforeAll(async () => {
  child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: repoRoot,
    env: { ...process.env, SANDBOX_PORT: '0', PORTAL_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  portalUrl = await new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /portal\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1];
      if (url && output.includes('Press Ctrl-C')) resolve(url);
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`scripts/start.mjs exited with ${code}:\n${output}`)));
  });
  await mkdir(screenshots, { recursive: true });
  browser = await launchOfflineChromium({
    viewport: { width: 1366, height: 900 },
    onBlocked: (url) => problems.push(`blocked ${url}`),
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  child?.kill('SIGINT');
});

/** Opens an operation's "Try it", sends the prefilled example, and returns its answer panel. */
async function tryOperation(page: Page, file: string, operationId: string) {
  await page.goto(`${portalUrl}/reference/${file}#operation/${operationId}`);
  const box = page.locator(`form.try-it[data-operation="${operationId}"]`).locator('..');
  await box.locator('summary').click({ timeout: 60_000 });
  const form = page.locator(`form.try-it[data-operation="${operationId}"]`);
  expect(await form.locator('textarea').inputValue()).not.toBe('{}');
  await form.getByRole('button', { name: 'Send' }).click();
  const answer = form.locator('.try-it-answer');
  await answer.locator('.status').waitFor({ timeout: 30_000 });
  await form.scrollIntoViewIfNeeded();
  return answer;
}

describe('Try it against the sandbox, under pnpm start', () => {
  it('sends a read through the proxy and shows the answer, its errcode and the wecom.call line', async () => {
    const page = await browser.context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    const answer = await tryOperation(page, 'tags.html', 'getCorpTagList');
    expect(await answer.locator('.status').textContent()).toBe('HTTP 200');
    const body = JSON.parse((await answer.locator('pre.body').textContent()) ?? '');
    expect(body).toMatchObject({ errcode: 0, tag_group: expect.any(Array) });
    expect(await answer.locator('.meaning').textContent()).toBe('errcode 0: the call succeeded.');
    expect(await answer.locator('pre.call').textContent()).toMatch(
      /^const result = await wecom\.call\('getCorpTagList', \{\n/,
    );
    await page.screenshot({ path: join(screenshots, 'try-it-read.png') });
    await page.close();
    expect(problems).toEqual([]);
  }, 120_000);

  it('shows a write the proxy does not forward as refused, with the catalog meaning of its errcode', async () => {
    const page = await browser.context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    const answer = await tryOperation(page, 'tags.html', 'addCorpTag');
    expect(await answer.locator('.status').textContent()).toBe('HTTP 403');
    expect(JSON.parse((await answer.locator('pre.body').textContent()) ?? '')).toMatchObject({
      errcode: 48002,
    });
    expect(await answer.locator('.meaning').textContent()).toMatch(/^errcode 48002, .+ \(config\): /);
    expect(await answer.locator('pre.call').textContent()).toContain("await wecom.call('addCorpTag', {");
    await page.screenshot({ path: join(screenshots, 'try-it-refused-write.png') });
    await page.close();
    expect(problems).toEqual([]);
  }, 120_000);
});
