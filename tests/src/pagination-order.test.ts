import { createWecomClient, type WindowOrder } from '@wecom-kit/client';
import { type Sandbox, startSandbox } from '@wecom-kit/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// paginate over an operation whose range is split into windows walks them newest first, like a
// feed, unless { order: 'oldest-first' }; either way every item comes exactly once.
const DAY = 86_400;
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, scale: 2000 });
});
afterAll(() => sandbox.close());

/** A client that also records the time range of every request of one operation. */
function recordingClient(startField: string, endField: string) {
  const ranges: [number, number][] = [];
  const wecom = createWecomClient({
    corpId: sandbox.corpId,
    corpSecret: sandbox.corpSecret,
    baseUrl: sandbox.url,
    fetch: async (input, init) => {
      const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, number>) : {};
      if (body[startField] !== undefined) ranges.push([body[startField], body[endField] as number]);
      return fetch(input, init);
    },
  });
  return { wecom, ranges };
}

async function momentsIn(order: WindowOrder | undefined, start: number, end: number) {
  const { wecom, ranges } = recordingClient('start_time', 'end_time');
  const moments: { id: string; time: number }[] = [];
  const options = order ? { order } : {};
  for await (const moment of wecom
    .paginate('getMomentList', { start_time: start, end_time: end }, options)
    .items()) {
    moments.push({ id: moment.moment_id, time: moment.create_time });
  }
  return { moments, ranges };
}

describe('paginate over 100 days of moments (four 30-day windows, open bounds)', () => {
  const end = Math.floor(Date.now() / 1000);
  const start = end - 100 * DAY;

  it('walks the windows newest first by default: the items come newest first across window boundaries', async () => {
    const { moments, ranges } = await momentsIn(undefined, start, end);
    expect(ranges.length).toBeGreaterThanOrEqual(4);
    const windows = [...new Map(ranges.map((range) => [range.join(), range])).values()];
    expect(windows[0]?.[1]).toBe(end);
    expect(windows.at(-1)?.[0]).toBe(start);
    for (const [newer, older] of windows
      .slice(0, -1)
      .map((window, index) => [window, windows[index + 1]] as const)) {
      // Open bounds: the older window ends one second after the newer one starts, so nothing on the line is lost.
      expect(older?.[1]).toBe(newer[0] + 1);
      expect(newer[1] - newer[0]).toBeLessThanOrEqual(30 * DAY);
    }
    const times = moments.map((moment) => moment.time);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(times[0]).toBeGreaterThan(end - 30 * DAY);
  });

  it("walks them oldest first with { order: 'oldest-first' }, and both orders give every moment once", async () => {
    const newest = await momentsIn('newest-first', start, end);
    const oldest = await momentsIn('oldest-first', start, end);
    const windows = [...new Map(oldest.ranges.map((range) => [range.join(), range])).values()];
    expect(windows[0]?.[0]).toBe(start);
    expect(windows.at(-1)?.[1]).toBe(end);
    expect(oldest.moments[0]?.time).toBeLessThan(start + 30 * DAY);
    const ids = (list: { id: string }[]) => list.map((moment) => moment.id);
    expect(new Set(ids(newest.moments)).size).toBe(newest.moments.length);
    expect(ids(oldest.moments).sort()).toEqual(ids(newest.moments).sort());
    const expected = sandbox.state.moments.moments.filter(
      (moment) => moment.create_time > start && moment.create_time < end,
    );
    expect(newest.moments).toHaveLength(expected.length);
  });

  it('resumes newest first from a checkpoint in a middle window without repeating or losing a moment', async () => {
    const { wecom } = recordingClient('start_time', 'end_time');
    const all = (await momentsIn(undefined, start, end)).moments.map((moment) => moment.id);
    const range = { start_time: start, end_time: end };
    const first: string[] = [];
    let checkpoint: import('@wecom-kit/client').Page<'getMomentList'>['checkpoint'];
    for await (const page of wecom.paginate('getMomentList', range)) {
      first.push(...page.items.map((moment) => moment.moment_id));
      checkpoint = page.checkpoint;
      if (first.length > all.length / 2) break;
    }
    const rest: string[] = [];
    for await (const moment of wecom.paginate('getMomentList', range, { resumeFrom: checkpoint }).items()) {
      rest.push(moment.moment_id);
    }
    expect([...first, ...rest]).toEqual(all);
  });
});

describe('paginate over 70 days of a statistic (whole-day windows, closed bounds)', () => {
  it('asks for the newest 30 days first, then the 30 before them, then the rest, with no day twice', async () => {
    const { wecom, ranges } = recordingClient('day_begin_time', 'day_end_time');
    // Midnight in China time (UTC+8), where WeCom's days start.
    const beijing = 8 * 3600;
    // Statistics end with yesterday.
    const last = Math.floor((Date.now() / 1000 + beijing) / DAY) * DAY - beijing - DAY;
    const first = last - 69 * DAY;
    const owners = sandbox.state.people.members.slice(0, 2).map((member) => member.userid);
    const input = { day_begin_time: first, day_end_time: last, owner_filter: { userid_list: owners } };
    for await (const _page of wecom.paginate('getGroupChatStatistic', input)) {
      // the windows requested are what this test looks at
    }
    const windows = [...new Map(ranges.map((range) => [range.join(), range])).values()];
    expect(windows).toEqual([
      [last - 29 * DAY, last],
      [last - 59 * DAY, last - 30 * DAY],
      [first, last - 60 * DAY],
    ]);
  });
});
