import { randomBytes } from 'node:crypto';
import { ApiError } from '../api-error';
import { mapListing } from '../listing';
import type { SandboxState } from '../state';
import { addMoment, type MomentRecord, newMomentId } from '../state/moments';
import { toSeconds } from '../time';
import type { Handler, HandlerTable } from './context';

/** How long an add_moment_task job stays "creating" before the moment exists. */
export const MOMENT_JOB_DURATION_MS = 200;

function requireMoment(state: SandboxState, momentId: unknown): MomentRecord {
  const moment = typeof momentId === 'string' ? state.moments.momentsById.get(momentId) : undefined;
  if (!moment) throw new ApiError(41060, 'invalid moment_id');
  return moment;
}

function momentView(moment: MomentRecord) {
  const { tasks: _tasks, audience: _audience, comments: _comments, likes: _likes, ...view } = moment;
  return view;
}

const addMomentTask: Handler<'addMomentTask'> = ({ state, input, now }) => {
  const senders = (input.visible_range?.sender_list?.user_list ?? []) as string[];
  const invalidSenders = senders.filter((userid) => !state.people.membersById.has(userid));
  const validSenders = senders.filter((userid) => state.people.membersById.has(userid));
  const publishers =
    validSenders.length > 0 ? validSenders : state.people.members.slice(0, 3).map((member) => member.userid);
  const moment: MomentRecord = {
    moment_id: newMomentId(state.moments),
    create_time: toSeconds(now),
    create_type: 0,
    visible_type: input.visible_range?.external_contact_list ? 0 : 1,
    ...(input.text ? { text: input.text as { content: string } } : {}),
    tasks: publishers.map((userid) => ({ userid, publish_status: 0 })),
    audience: new Map(
      publishers.map((userid) => [
        userid,
        (state.people.followsByMember.get(userid) ?? []).map((follow) => follow.external_userid),
      ]),
    ),
    comments: [],
    likes: [],
  };
  const jobid = `job${randomBytes(12).toString('hex')}`;
  state.moments.jobs.set(jobid, { jobid, createdAt: now, invalidSenders, moment, done: false });
  return { jobid };
};

const getMomentTaskResult: Handler<'getMomentTaskResult'> = ({ state, input, now }) => {
  const job = state.moments.jobs.get(input.jobid as string);
  if (!job) throw new ApiError(40058, 'invalid parameter: unknown jobid');
  if (now - job.createdAt < MOMENT_JOB_DURATION_MS) return { status: 2, type: 'add_moment_task' };
  if (!job.done) {
    addMoment(state.moments, job.moment);
    job.done = true;
  }
  return {
    status: 3,
    type: 'add_moment_task',
    result: {
      errcode: 0,
      errmsg: 'ok',
      moment_id: job.moment.moment_id,
      invalid_sender_list: { user_list: job.invalidSenders, department_list: [] },
      invalid_external_contact_list: { tag_list: [] },
    },
  };
};

const cancelMomentTask: Handler<'cancelMomentTask'> = ({ state, input }) => {
  const moment = requireMoment(state, input.moment_id);
  if (moment.create_type !== 0) throw new ApiError(41067, 'moment_id is not an enterprise moment');
  // Members who have not published yet can no longer do so; published posts stay.
  moment.tasks = moment.tasks.filter((task) => task.publish_status === 1);
  return {};
};

const getMomentList: Handler<'getMomentList'> = (context) => {
  const { state, input } = context;
  const start = input.start_time;
  const end = input.end_time;
  const filterType = input.filter_type ?? 2;
  const matches = state.moments.moments
    .filter((moment) => moment.create_time > start && moment.create_time < end)
    .filter((moment) => filterType === 2 || moment.create_type === filterType)
    .filter((moment) => input.creator === undefined || moment.creator === input.creator)
    .sort((a, b) => b.create_time - a.create_time || a.moment_id.localeCompare(b.moment_id));
  // A page holds at most 20 of the hundreds of moments a window can match: only those are built.
  return context.page(
    mapListing(matches, momentView),
    `moments:${start}:${end}:${filterType}:${String(input.creator ?? '')}`,
  );
};

const getMomentTask: Handler<'getMomentTask'> = (context) => {
  const moment = requireMoment(context.state, context.input.moment_id);
  if (moment.create_type !== 0) throw new ApiError(41067, 'moment_id is not an enterprise moment');
  return context.page(moment.tasks, `tasks:${moment.moment_id}`);
};

function audienceOf(moment: MomentRecord, userid: unknown): string[] {
  const audience = moment.audience.get(userid as string);
  if (!audience) throw new ApiError(41061, 'the moment was not sent by this userid');
  return audience;
}

const getMomentCustomerList: Handler<'getMomentCustomerList'> = (context) => {
  const moment = requireMoment(context.state, context.input.moment_id);
  const userid = context.input.userid as string;
  const customers = audienceOf(moment, userid).map((external_userid) => ({ userid, external_userid }));
  return context.page(customers, `audience:${moment.moment_id}:${userid}`);
};

const getMomentSendResult: Handler<'getMomentSendResult'> = (context) => {
  const moment = requireMoment(context.state, context.input.moment_id);
  const userid = context.input.userid as string;
  const task = moment.tasks.find((candidate) => candidate.userid === userid);
  if (task?.publish_status === 0) throw new ApiError(41062, 'the member has not published this moment');
  const customers = audienceOf(moment, userid).map((external_userid) => ({ external_userid }));
  return context.page(customers, `visible:${moment.moment_id}:${userid}`);
};

const getMomentComments: Handler<'getMomentComments'> = ({ state, input }) => {
  const moment = requireMoment(state, input.moment_id);
  audienceOf(moment, input.userid);
  return { comment_list: moment.comments, like_list: moment.likes };
};

export const momentHandlers = {
  addMomentTask,
  getMomentTaskResult,
  cancelMomentTask,
  getMomentList,
  getMomentTask,
  getMomentCustomerList,
  getMomentSendResult,
  getMomentComments,
} satisfies HandlerTable;
