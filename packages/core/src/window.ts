export type WindowInterval = 'open' | 'closed';
export type WindowUnit = 'second' | 'day';

/** Unix seconds, as WeCom takes them. */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

const DAY_SECONDS = 86_400;

/**
 * Splits [start, end] into consecutive windows of at most `maxDays` that together cover every
 * instant of the original range exactly once, given how WeCom reads the bounds:
 *
 * - `open` (start, end), as get_moment_list: instants equal to a bound are excluded, so a shared
 *   boundary t would be lost by both (s, t) and (t, e). Each next window therefore starts one unit
 *   before the previous end: (s, t+1) covers up to t, and (t, e) starts at t+1.
 * - `closed` [start, end], day-granular by default as the statistics APIs: both bounds are included,
 *   so each next window starts one unit after the previous end.
 *
 * A range that already fits is returned unchanged.
 */
export function* splitWindow(
  start: number,
  end: number,
  maxDays: number,
  interval: WindowInterval,
  unit: WindowUnit = interval === 'open' ? 'second' : 'day',
): Generator<TimeWindow> {
  const step = unit === 'day' ? DAY_SECONDS : 1;
  // For a closed range the bounds themselves count: n days are start + (n - 1) days.
  const maxSpan = interval === 'open' ? maxDays * DAY_SECONDS : maxDays * DAY_SECONDS - step;
  const advance = interval === 'open' ? maxSpan - step : maxSpan + step;
  if (!(maxSpan >= 0 && advance > 0)) {
    throw new RangeError(`splitWindow: maxDays ${maxDays} is too small to make progress in ${unit}s.`);
  }
  if (end - start <= maxSpan) {
    yield { start, end };
    return;
  }
  let windowStart = start;
  for (;;) {
    const windowEnd = Math.min(windowStart + maxSpan, end);
    yield { start: windowStart, end: windowEnd };
    if (windowEnd >= end) return;
    windowStart = interval === 'open' ? windowEnd - step : windowEnd + step;
  }
}
