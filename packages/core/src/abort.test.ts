import { describe, expect, it } from 'vitest';
import { raceSignal, sleep } from './abort';

describe('sleep', () => {
  it('ends early with the signal reason', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = sleep(5_000, controller.signal);
    controller.abort(new Error('now'));
    await expect(pending).rejects.toThrow('now');
    // Far below the 5 s sleep, with room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('raceSignal', () => {
  it('rejects on abort while the shared promise goes on', async () => {
    const controller = new AbortController();
    const shared = sleep(30).then(() => 'done');
    const raced = raceSignal(shared, controller.signal);
    controller.abort(new Error('caller left'));
    await expect(raced).rejects.toThrow('caller left');
    await expect(shared).resolves.toBe('done');
  });
});
