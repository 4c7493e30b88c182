// How fast the reference shows what a reader came for, measured in a cold Chromium (fresh
// profile, no caches) with the internet cut off. Plain JavaScript, like serve.mjs, so that both
// the docs tests and `pnpm bench` import it without a build.
import { launchOfflineChromium } from './offline-chromium.mjs';

/** The operation a deep link opens: far down the page, so it only counts once it is scrolled to. */
export const DEEP_LINK_OPERATION = 'getMomentList';

/**
 * Runs in the page before any of its scripts: on every frame, note when the first operation is
 * laid out (a box with a height, styled), when the deep link's operation is on screen, and when
 * the live Redoc has taken over from the prerendered markup (`#redoc[data-live]`: the page then
 * answers clicks). Frames do not run during long tasks, so a mark is the first frame the reader
 * could have seen it, but only once the page has painted at all: Chromium may run frames while it
 * still holds the previous screen (paint holding, parsing), so a figure is never earlier than the
 * page's first contentful paint.
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
  /** @type {{ firstOperation?: number, deepLink?: number, live?: number, firstPaint?: number }} */
  const marks = {};
  Object.assign(window, { __referenceMarks: marks });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name === 'first-contentful-paint') {
        marks.firstPaint = performance.timeOrigin + entry.startTime - start;
      }
    }
  }).observe({ type: 'paint', buffered: true });
  const check = () => {
    const first = document.querySelector('[data-section-id*="operation/"]');
    if (marks.firstOperation === undefined && first && first.getBoundingClientRect().height > 0) {
      marks.firstOperation = elapsed();
    }
    if (marks.live === undefined && document.querySelector('#redoc[data-live]')) marks.live = elapsed();
    if (deepLinkOperation && marks.deepLink === undefined) {
      const target = document.querySelector(`[data-section-id$="operation/${deepLinkOperation}"]`);
      const box = target?.getBoundingClientRect();
      if (box && box.height > 0 && box.top < window.innerHeight && box.bottom > 0) {
        marks.deepLink = elapsed();
      }
    }
    if (
      marks.firstOperation === undefined ||
      marks.live === undefined ||
      (deepLinkOperation && marks.deepLink === undefined)
    ) {
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
 * @returns {Promise<{ firstOperation: number, deepLink?: number, live: number }>}
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
        return (
          marks?.firstOperation !== undefined &&
          marks.firstPaint !== undefined &&
          marks.live !== undefined &&
          (!wantsDeepLink || marks.deepLink !== undefined)
        );
      },
      Boolean(deepLinkOperation),
      { timeout: 60_000, polling: 100 },
    );
    const marks = await page.evaluate(() => /** @type {any} */ (window).__referenceMarks);
    const painted = (/** @type {number} */ mark) => Math.max(mark, marks.firstPaint);
    return {
      firstOperation: painted(marks.firstOperation),
      deepLink: marks.deepLink === undefined ? undefined : painted(marks.deepLink),
      live: painted(marks.live),
    };
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
 * @param {number[]} runs
 * @returns {{ median: number, min: number, max: number, runs: number[] }}
 */
function summary(runs) {
  return { median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs };
}

/**
 * The figures of the reference's speed target, each over `runs` cold loads (fresh browser and
 * profile) of the portal served at `baseUrl`, after one warm-up load of each that is not counted
 * (the first Chromium start after a pause reads its files from disk): the first operation
 * rendered (`/reference/`), a deep link (`/reference/#operation/getMomentList`) rendered and on
 * screen, and when the first page's live Redoc took over (it then answers clicks).
 *
 * @param {{ baseUrl: string, runs?: number }} options
 */
export async function measureReference({ baseUrl, runs = 5 }) {
  const firstPage = `${baseUrl}/reference/`;
  const deepLinkPage = `${baseUrl}/reference/#operation/${DEEP_LINK_OPERATION}`;
  await measureOnce(firstPage, null);
  await measureOnce(deepLinkPage, DEEP_LINK_OPERATION);
  /** @type {number[]} */
  const firstOperation = [];
  /** @type {number[]} */
  const live = [];
  /** @type {number[]} */
  const deepLink = [];
  for (let run = 0; run < runs; run += 1) {
    const first = await measureOnce(firstPage, null);
    firstOperation.push(first.firstOperation);
    live.push(first.live);
    deepLink.push((await measureOnce(deepLinkPage, DEEP_LINK_OPERATION)).deepLink ?? Number.NaN);
  }
  return { firstOperation: summary(firstOperation), deepLink: summary(deepLink), live: summary(live) };
}
