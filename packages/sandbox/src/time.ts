/** The sandbox's units of time. WeCom speaks unix seconds; the sandbox's clock gives milliseconds. */

export const MINUTE = 60;
export const HOUR = 3_600;
export const DAY = 86_400;
export const DAY_MS = DAY * 1_000;

/** WeCom's calendar days are China's (UTC+8): its statistics begin and end at Beijing midnight. */
const BEIJING_OFFSET = 8 * HOUR;

/** Unix seconds of a clock reading in milliseconds. */
export function toSeconds(ms: number): number {
  return Math.floor(ms / 1_000);
}

/** Midnight (Beijing time) of the day containing `seconds`. */
export function dayStart(seconds: number): number {
  return seconds - ((seconds + BEIJING_OFFSET) % DAY);
}
