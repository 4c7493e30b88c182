import { describe, expect, it } from 'vitest';
import type { WindowRule } from './table';
import { splitWindows } from './windows';

const DAY = 86_400;
const open: WindowRule = { startField: 's', endField: 'e', maxDays: 30, interval: 'open', unit: 'second' };
const days: WindowRule = { startField: 's', endField: 'e', maxDays: 30, interval: 'closed', unit: 'day' };

/** How many windows contain instant t, by the interval semantics WeCom applies. */
function coverage(t: number, windows: { start: number; end: number }[], rule: WindowRule): number {
  return windows.filter((w) =>
    rule.interval === 'open' ? t > w.start && t < w.end : t >= w.start && t <= w.end,
  ).length;
}

describe('splitWindows', () => {
  it('keeps a range that fits in one window as it is', () => {
    expect(splitWindows(1000, 1000 + 30 * DAY, open)).toEqual([{ start: 1000, end: 1000 + 30 * DAY }]);
  });

  it('covers every instant of a long open range exactly once, boundaries included', () => {
    const start = 1_700_000_000;
    const end = start + 95 * DAY + 17;
    const windows = splitWindows(start, end, open);
    expect(windows).toHaveLength(4);
    for (const window of windows) expect(window.end - window.start).toBeLessThanOrEqual(30 * DAY);
    // Every window boundary and its neighbours, plus the range's own edges.
    const probes = windows.flatMap((w) => [w.start - 1, w.start, w.start + 1, w.end - 1, w.end, w.end + 1]);
    for (const t of probes) {
      const expected = t > start && t < end ? 1 : 0;
      expect(coverage(t, windows, open), `instant ${t}`).toBe(expected);
    }
  });

  it('splits closed day ranges into runs of at most 30 whole days without overlap', () => {
    const start = 1_700_006_400; // a midnight
    const end = start + 89 * DAY; // 90 days, both ends included
    const windows = splitWindows(start, end, days);
    expect(windows).toEqual([
      { start, end: start + 29 * DAY },
      { start: start + 30 * DAY, end: start + 59 * DAY },
      { start: start + 60 * DAY, end: start + 89 * DAY },
    ]);
    for (let day = start - DAY; day <= end + DAY; day += DAY) {
      expect(coverage(day, windows, days)).toBe(day >= start && day <= end ? 1 : 0);
    }
  });
});
