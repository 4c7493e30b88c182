import type { WecomClientOptions, WecomEvent } from '@wecom-kit/client';
import { afterAll, expect } from 'vitest';

/**
 * Client options that compare every success body the sandbox sends with the spec (specCheck at
 * sample rate 1); after the calling test file, no drift may have been seen. So every test against
 * the sandbox also checks that the sandbox answers as the spec says.
 */
export function watchSpecDrift(): Required<Pick<WecomClientOptions, 'specCheck' | 'onEvent'>> {
  const drift: WecomEvent[] = [];
  afterAll(() => {
    expect(drift, 'the sandbox answered outside the spec').toEqual([]);
  });
  return {
    specCheck: { sampleRate: 1 },
    onEvent: (event) => {
      if (event.type === 'spec-drift') drift.push(event);
    },
  };
}
