import { createWecomClient, type WecomEvent } from '@wecom-kit/client';
import { mapConcurrent } from '@wecom-kit/core/internal';
import { FigureSet } from '../lib/figures';
import { SandboxProcess } from '../lib/processes';
import { round } from '../lib/stats';

const CALLS = 3_000;
/** The sandbox's per-minute quota for get_moment_comments: 3,000 calls need two minute windows, so the run takes about a minute. */
const QUOTA_PER_MINUTE = 1_500;
const WINDOW_MS = 60_000;
const FAN_OUT = 16;
const PATH = '/cgi-bin/externalcontact/get_moment_comments';

interface CommentTarget {
  moment_id: string;
  userid: string;
}

export async function rateLimit(): Promise<FigureSet> {
  const figures = new FigureSet('rate-limit utilization');
  const sandbox = await SandboxProcess.start({ scale: 20_000, rateLimitPerMinute: QUOTA_PER_MINUTE });
  try {
    const targets = await commentTargets(sandbox);
    await sandbox.reset();
    await throughTheClient(sandbox, targets, figures);
    await sandbox.reset();
    await naivePromiseAll(sandbox, targets, figures);
  } finally {
    await sandbox.stop();
  }
  return figures;
}

/** Personal moments and their authors, whose comments get_moment_comments may read; repeated up to CALLS. */
async function commentTargets(sandbox: SandboxProcess): Promise<CommentTarget[]> {
  const wecom = createWecomClient({
    corpId: sandbox.corpId,
    corpSecret: sandbox.corpSecret,
    baseUrl: sandbox.url,
  });
  const end = Math.floor(Date.now() / 1000);
  const found: CommentTarget[] = [];
  for await (const moment of wecom
    .paginate('getMomentList', { start_time: end - 180 * 86_400, end_time: end, filter_type: 1 })
    .items()) {
    if (moment.creator) found.push({ moment_id: moment.moment_id, userid: moment.creator });
  }
  if (found.length === 0) throw new Error('the sandbox has no personal moments to read comments of');
  return Array.from({ length: CALLS }, (_, index) => found[index % found.length] as CommentTarget);
}

/**
 * The client is told the quota (rateLimit.perMinute) and the calls go through mapConcurrent.
 * 3,000 calls at 1,500 per minute window cannot finish before the second window opens, 60 s
 * after the first call: utilization is that floor divided by the measured time.
 */
async function throughTheClient(sandbox: SandboxProcess, targets: CommentTarget[], figures: FigureSet) {
  const events: WecomEvent[] = [];
  const wecom = createWecomClient({
    corpId: sandbox.corpId,
    corpSecret: sandbox.corpSecret,
    baseUrl: sandbox.url,
    rateLimit: { perMinute: QUOTA_PER_MINUTE },
    onEvent: (event) => {
      if (event.type === 'rate-limited' || event.type === 'retry') events.push(event);
    },
  });
  let failed = 0;
  let firstError = '';
  const started = performance.now();
  await mapConcurrent(
    targets,
    (target, _index, signal) =>
      wecom.call('getMomentComments', target, { signal }).catch((error: unknown) => {
        // Counted rather than thrown, so that one failure does not stop the measurement.
        failed += 1;
        firstError ||= error instanceof Error ? error.message : String(error);
      }),
    { concurrency: FAN_OUT },
  );
  const elapsedMs = performance.now() - started;
  const stats = await sandbox.stats();
  const floorMs = (Math.ceil(CALLS / QUOTA_PER_MINUTE) - 1) * WINDOW_MS;
  const served = stats.calls[PATH] ?? 0;
  figures.add({
    name: `${CALLS.toLocaleString('en-US')} getMomentComments via mapConcurrent (${FAN_OUT}), quota ${QUOTA_PER_MINUTE.toLocaleString('en-US')}/min: run time`,
    value: elapsedMs / 1000,
    digits: 1,
    unit: 's',
  });
  const succeeded = CALLS - failed;
  figures.add({
    name: 'client: achieved rate as % of the quota',
    // (succeeded calls per second) ÷ (all calls per second if they finished right at the floor).
    value: (100 * succeeded * floorMs) / (CALLS * elapsedMs),
    digits: 1,
    unit: '%',
    target: { op: '>=', value: 90 },
    detail: `${served} requests served; held back by the local limiter ${events.filter((event) => event.type === 'rate-limited' && event.reason === 'budget').length} times`,
  });
  figures.add({
    name: 'client: calls that failed',
    value: failed,
    unit: '',
    target: { op: '==', value: 0 },
    ...(firstError && { detail: `first: ${firstError}` }),
  });
  figures.add({
    name: 'client: 45009 answers (over the quota)',
    value: stats.errcodes['45009'] ?? 0,
    unit: '',
    target: { op: '==', value: 0 },
  });
  figures.add({
    name: 'client: 45033 answers (too many calls in flight)',
    value: stats.errcodes['45033'] ?? 0,
    unit: '',
    target: { op: '==', value: 0 },
  });
}

/** What the same work looks like without the client: every request at once, no limiter, no retries. */
async function naivePromiseAll(sandbox: SandboxProcess, targets: CommentTarget[], figures: FigureSet) {
  const { access_token: token } = (await (
    await fetch(`${sandbox.url}/cgi-bin/gettoken?corpid=${sandbox.corpId}&corpsecret=${sandbox.corpSecret}`)
  ).json()) as { access_token: string };
  const started = performance.now();
  const errcodes = await Promise.all(
    targets.map(async (target) => {
      try {
        const response = await fetch(`${sandbox.url}${PATH}?access_token=${token}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(target),
        });
        return ((await response.json()) as { errcode: number }).errcode;
      } catch {
        return Number.NaN;
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  const count = (errcode: number) => errcodes.filter((value) => value === errcode).length;
  figures.add({
    name: 'naive Promise.all (bare fetch): calls that succeeded',
    value: count(0),
    unit: `of ${CALLS.toLocaleString('en-US')}`,
    detail: `in ${round(elapsedMs / 1000, 1)} s; network failures: ${errcodes.filter(Number.isNaN).length}`,
  });
  figures.add({ name: 'naive Promise.all: 45009 answers', value: count(45009), unit: '' });
  figures.add({ name: 'naive Promise.all: 45033 answers', value: count(45033), unit: '' });
}
