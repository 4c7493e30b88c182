import { describe, expect, it } from 'vitest';
import { splitWindow, type TimeWindow } from './window';

const DAY = 86_400;

/** How many windows return the instant t, reading bounds the way WeCom does. */
function coverage(windows: TimeWindow[], t: number, interval: 'open' | 'closed'): number {
  return windows.filter((w) => (interval === 'open' ? w.start < t && t < w.end : w.start <= t && t <= w.end))
    .length;
}

describe('splitWindow, open interval (start, end) in seconds', () => {
  const start = 1_700_000_000;
  const end = start + 65 * DAY + 123;
  const windows = [...splitWindow(start, end, 30, 'open')];

  it('keeps every window within maxDays', () => {
    expect(windows.length).toBe(3);
    for (const w of windows) expect(w.end - w.start).toBeLessThanOrEqual(30 * DAY);
    expect(windows[0]?.start).toBe(start);
    expect(windows.at(-1)?.end).toBe(end);
  });

  it('covers every instant strictly inside exactly once, including instants on shared boundaries', () => {
    const boundaries = windows.flatMap((w) => [w.start, w.end]);
    const probes = new Set<number>([start - 1, start, start + 1, end - 1, end, end + 1]);
    for (const b of boundaries) for (const d of [-2, -1, 0, 1, 2]) probes.add(b + d);
    for (const t of probes) {
      expect(coverage(windows, t, 'open'), `t = start + ${t - start}`).toBe(t > start && t < end ? 1 : 0);
    }
  });

  it('returns a range that fits unchanged', () => {
    expect([...splitWindow(start, start + 30 * DAY, 30, 'open')]).toEqual([{ start, end: start + 30 * DAY }]);
  });
});

describe('splitWindow, closed day-granular interval [start, end]', () => {
  const start = 1_700_006_400; // a midnight (UTC+8)
  const end = start + 69 * DAY;
  const windows = [...splitWindow(start, end, 30, 'closed')];

  it('makes consecutive day windows of at most maxDays days, without overlap', () => {
    expect(windows).toEqual([
      { start, end: start + 29 * DAY },
      { start: start + 30 * DAY, end: start + 59 * DAY },
      { start: start + 60 * DAY, end },
    ]);
  });

  it('covers each of the 70 days exactly once', () => {
    for (let day = -1; day <= 70; day++) {
      expect(coverage(windows, start + day * DAY, 'closed')).toBe(day >= 0 && day <= 69 ? 1 : 0);
    }
  });

  it('can split into single days', () => {
    expect([...splitWindow(start, start + 2 * DAY, 1, 'closed')].map((w) => (w.start - start) / DAY)).toEqual(
      [0, 1, 2],
    );
  });
});

it('rejects a maxDays that cannot make progress', () => {
  expect(() => [...splitWindow(0, 10 * DAY, 0, 'closed')]).toThrow(RangeError);
  expect(() => [...splitWindow(0, 10 * DAY, 1, 'open', 'day')]).toThrow(RangeError);
});
