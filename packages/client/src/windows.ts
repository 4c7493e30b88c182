import type { WindowRule } from './table';

export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

const DAY_SECONDS = 86_400;

/**
 * Splits `start..end` into consecutive windows the operation accepts, covering every instant of
 * the range exactly once.
 *
 * - Open intervals (WeCom returns items strictly between the bounds): consecutive windows
 *   overlap by one second, (a, b) then (b - 1, c), so an item created exactly at b is in the
 *   second window and in no other, and no instant is lost at a boundary.
 * - Closed, day-granular intervals: consecutive runs of whole days that do not overlap.
 */
export function splitWindows(start: number, end: number, rule: WindowRule): TimeWindow[] {
  const windows: TimeWindow[] = [];
  if (rule.unit === 'day') {
    const span = (rule.maxDays - 1) * DAY_SECONDS;
    for (let from = start; from <= end; from += span + DAY_SECONDS) {
      windows.push({ start: from, end: Math.min(from + span, end) });
    }
    return windows;
  }
  const span = rule.maxDays * DAY_SECONDS;
  if (rule.interval === 'closed') {
    for (let from = start; from <= end; from += span + 1)
      windows.push({ start: from, end: Math.min(from + span, end) });
    return windows;
  }
  let from = start;
  for (;;) {
    const to = Math.min(from + span, end);
    windows.push({ start: from, end: to });
    if (to >= end) return windows;
    from = to - 1;
  }
}
