import { randomBytes } from 'node:crypto';
import { ApiError } from '../api-error';
import type { SandboxState } from '../state';
import { addMoment, type MomentJob, type MomentRecord, newMomentId } from '../state/moments';
import { toSeconds } from '../time';
import { followsOf } from './people';

/*
 * 客户朋友圈: publishing an enterprise moment through a job, listing moments, and who was asked to
 * publish one and who could see it.
 */

/** How long an add_moment_task job stays "creating" before the moment exists. */
const MOMENT_JOB_DURATION_MS = 200;

/** What add_moment_task takes that the sandbox acts on. */
export interface MomentTask {
  readonly text?: { readonly content?: string };
  readonly visible_range?: {
    readonly sender_list?: { readonly user_list?: readonly string[] };
    readonly external_contact_list?: object;
  };
}

/** Which moments get_moment_list shows: a time window, a kind (2: every kind) and a creator. */
export interface MomentFilter {
  readonly start_time: number;
  readonly end_time: number;
  readonly filter_type?: number;
  readonly creator?: string;
}

export function requireMoment(state: SandboxState, momentId: unknown): MomentRecord {
  const moment = typeof momentId === 'string' ? state.moments.momentsById.get(momentId) : undefined;
  if (!moment) throw new ApiError(41060, 'invalid moment_id');
  return moment;
}

/** Only enterprise moments (create_type 0) have publishing tasks. */
export function requireEnterpriseMoment(state: SandboxState, momentId: unknown): MomentRecord {
  const moment = requireMoment(state, momentId);
  if (moment.create_type !== 0) throw new ApiError(41067, 'moment_id is not an enterprise moment');
  return moment;
}

/**
 * Starts the job that creates an enterprise moment; returns its jobid. Unknown senders are
 * reported by the job; without a valid sender the first three members publish.
 */
export function startMomentJob(state: SandboxState, task: MomentTask, now: number): string {
  const senders = task.visible_range?.sender_list?.user_list ?? [];
  const invalidSenders = senders.filter((userid) => !state.people.membersById.has(userid));
  const validSenders = senders.filter((userid) => state.people.membersById.has(userid));
  const publishers =
    validSenders.length > 0 ? validSenders : state.people.members.slice(0, 3).map((member) => member.userid);
  const moment: MomentRecord = {
    moment_id: newMomentId(state.moments),
    create_time: toSeconds(now),
    create_type: 0,
    visible_type: task.visible_range?.external_contact_list ? 0 : 1,
    // A text part without content carries nothing to show.
    ...(task.text?.content !== undefined && { text: { content: task.text.content } }),
    tasks: publishers.map((userid) => ({ userid, publish_status: 0 })),
    audience: new Map(
      publishers.map((userid) => [userid, followsOf(state, userid).map((follow) => follow.external_userid)]),
    ),
    comments: [],
    likes: [],
  };
  const jobid = `job${randomBytes(12).toString('hex')}`;
  state.moments.jobs.set(jobid, { jobid, createdAt: now, invalidSenders, moment, done: false });
  return jobid;
}

/** The job, finished once its time has passed: the moment joins the list when the job is first seen done. */
export function settleMomentJob(state: SandboxState, jobid: string, now: number): MomentJob {
  const job = state.moments.jobs.get(jobid);
  if (!job) throw new ApiError(40058, 'invalid parameter: unknown jobid');
  if (!job.done && now - job.createdAt >= MOMENT_JOB_DURATION_MS) {
    addMoment(state.moments, job.moment);
    job.done = true;
  }
  return job;
}

/** Members who have not published yet can no longer do so; published posts stay. */
export function cancelMomentTasks(moment: MomentRecord): void {
  moment.tasks = moment.tasks.filter((task) => task.publish_status === 1);
}

/** The moments the filter matches, newest first. */
export function filteredMoments(state: SandboxState, filter: MomentFilter): MomentRecord[] {
  const kind = filter.filter_type ?? 2;
  return state.moments.moments
    .filter((moment) => moment.create_time > filter.start_time && moment.create_time < filter.end_time)
    .filter((moment) => kind === 2 || moment.create_type === kind)
    .filter((moment) => filter.creator === undefined || moment.creator === filter.creator)
    .sort((a, b) => b.create_time - a.create_time || a.moment_id.localeCompare(b.moment_id));
}

/** The customers the member's post of the moment went to. */
export function audienceOf(moment: MomentRecord, userid: string): string[] {
  const audience = moment.audience.get(userid);
  if (!audience) throw new ApiError(41061, 'the moment was not sent by this userid');
  return audience;
}

/** The customers who could see the member's post: only once the member has published it. */
export function publishedAudienceOf(moment: MomentRecord, userid: string): string[] {
  const task = moment.tasks.find((candidate) => candidate.userid === userid);
  if (task?.publish_status === 0) throw new ApiError(41062, 'the member has not published this moment');
  return audienceOf(moment, userid);
}
