// How fast the reference shows what a reader came for, measured in a cold Chromium (fresh
// profile, no caches) with the internet cut off. Plain JavaScript, like serve.mjs, so that both
// the docs tests and `pnpm bench` import it without a build.
import { launchOfflineChromium } from './offline-chromium.mjs';

/** The operation a deep link opens: far down the page, so it only counts once it is scrolled to. */
export const DEEP_LINK_OPERATION = 'getMomentList';

/**
 * Runs in the page before any of its scripts: on every frame, note when the first operation is
 * in the DOM and when the deep link's operation is on screen. Frames do not run during long
 * tasks, so a mark is the first frame the reader could have seen it.
 *
 * @param {string | null} deepLinkOperation
 */
function watchForOperations(deepLinkOperation) {
  // A deep link to another group's page is redirected there: times count from the first page's
  // navigation start, kept for the tab in sessionStorage.
  const key = 'referenceSpeedStart';
  const start = Number(sessionStorage.getItem(key) ?? performance.timeOrigin);
  sessionStorage.setItem(key, String(start));
  const elapsed = () => performance.timeOrigin + performance.now() - start;
  /** @type {{ firstOperation?: number, deepLink?: number }} */
  const marks = {};
  Object.assign(window, { __referenceMarks: marks });
  const check = () => {
    if (marks.firstOperation === undefined && document.querySelector('[data-section-id*="operation/"]')) {
      marks.firstOperation = elapsed();
    }
    if (deepLinkOperation && marks.deepLink === undefined) {
      const target = document.querySelector(`[data-section-id$="operation/${deepLinkOperation}"]`);
      const box = target?.getBoundingClientRect();
      if (box && box.height > 0 && box.top < window.innerHeight && box.bottom > 0) {
        marks.deepLink = elapsed();
      }
    }
    if (marks.firstOperation === undefined || (deepLinkOperation && marks.deepLink === undefined)) {
      requestAnimationFrame(check);
    }
  };
  requestAnimationFrame(check);
}

/**
 * Opens `url` in a fresh offline Chromium and returns the milliseconds from navigation start.
 *
 * @param {string} url
 * @param {string | null} deepLinkOperation
 * @returns {Promise<{ firstOperation: number, deepLink?: number }>}
 */
async function measureOnce(url, deepLinkOperation) {
  const browser = await launchOfflineChromium({ viewport: { width: 1366, height: 900 } });
  try {
    const page = await browser.context.newPage();
    await page.addInitScript(watchForOperations, deepLinkOperation);
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(
      (wantsDeepLink) => {
        const marks = /** @type {any} */ (window).__referenceMarks;
        return marks?.firstOperation !== undefined && (!wantsDeepLink || marks.deepLink !== undefined);
      },
      Boolean(deepLinkOperation),
      { timeout: 60_000, polling: 100 },
    );
    return await page.evaluate(() => /** @type {any} */ (window).__referenceMarks);
  } finally {
    await browser.close();
  }
}

/**
 * @param {number[]} values
 * @returns {number}
 */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

/**
 * The two figures of the reference's speed target, each the median of `runs` cold loads of the
 * portal served at `baseUrl`: the first operation rendered (`/reference/`) and a deep link
 * (`/reference/#operation/getMomentList`) rendered and scrolled into view.
 *
 * @param {{ baseUrl: string, runs?: number }} options
 */
export async function measureReference({ baseUrl, runs = 3 }) {
  /** @type {number[]} */
  const firstOperation = [];
  /** @type {number[]} */
  const deepLink = [];
  for (let run = 0; run < runs; run += 1) {
    firstOperation.push((await measureOnce(`${baseUrl}/reference/`, null)).firstOperation);
    const linked = await measureOnce(
      `${baseUrl}/reference/#operation/${DEEP_LINK_OPERATION}`,
      DEEP_LINK_OPERATION,
    );
    deepLink.push(linked.deepLink ?? Number.NaN);
  }
  return {
    firstOperation: { median: median(firstOperation), runs: firstOperation },
    deepLink: { median: median(deepLink), runs: deepLink },
  };
}
