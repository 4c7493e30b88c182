// Debian's Chromium driven by playwright-core with the outside world cut off: the portal and the
// demo must work on an intranet, so their browser tests run this way. Plain JavaScript, like
// serve.mjs, so other packages' tests import it without a build.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium dials Google's hosts at every start.
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

/**
 * A fresh-profile Chromium in which every http(s) request to a host other than this machine is
 * aborted and reported to `onBlocked`.
 *
 * @param {{ viewport?: { width: number; height: number }; onBlocked?: (url: string) => void }} [options]
 * @returns {Promise<{ context: import('playwright-core').BrowserContext; close: () => Promise<void> }>}
 */
export async function launchOfflineChromium({ viewport, onBlocked } = {}) {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does.`,
    );
  }
  const profileDir = await mkdtemp(join(tmpdir(), 'wecom-kit-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    ...(viewport && { viewport }),
  });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if ((url.protocol === 'http:' || url.protocol === 'https:') && !LOCAL_HOSTS.has(url.hostname)) {
      onBlocked?.(url.href);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}
