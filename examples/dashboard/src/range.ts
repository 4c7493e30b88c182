const DAY_MS = 86_400_000;

/** Calendar days as the date inputs hold them, `YYYY-MM-DD`, in the reader's time zone. */
export interface DateRange {
  from: string;
  to: string;
}

export const DEFAULT_RANGE_DAYS = 90;

function isoDay(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

export function lastDays(days: number, today = new Date()): DateRange {
  return { from: isoDay(new Date(today.getTime() - days * DAY_MS)), to: isoDay(today) };
}

function midnight(day: string): number {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year as number, (month as number) - 1, date as number).getTime() / 1000;
}

/**
 * The range as getMomentList's bounds: from the first day's midnight to the midnight after the
 * last day. Ranges longer than WeCom's 30 days are fine: the client pages through 30-day windows.
 */
export function toTimeWindow(range: DateRange): { start_time: number; end_time: number } | string {
  if (!range.from || !range.to) return 'Choose both dates.';
  const start_time = midnight(range.from);
  const end_time = midnight(range.to) + 86_400;
  return end_time > start_time ? { start_time, end_time } : 'The start date must come before the end date.';
}

export function formatDateTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function formatDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleDateString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
  });
}
