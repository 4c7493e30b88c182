import type { Random } from '../random';

/** Statistics are not stored: they are derived from the seed, the member or owner, and the day. */
export interface StatisticsSeed {
  salt: number;
}

export function seedStatistics(random: Random): StatisticsSeed {
  return { salt: random.int(1, 0x7fffffff) };
}

/** FNV-1a over the parts: the same inputs always give the same 32-bit value. */
export function hashOf(...parts: (string | number)[]): number {
  let hash = 2166136261;
  const text = parts.join('|');
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 16777619);
  }
  return hash >>> 0;
}

/** A deterministic integer in [min, max] for the given parts. */
export function figure(min: number, max: number, ...parts: (string | number)[]): number {
  return min + (hashOf(...parts) % (max - min + 1));
}
