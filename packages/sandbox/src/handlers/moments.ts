import {
  audienceOf,
  cancelMomentTasks,
  filteredMoments,
  publishedAudienceOf,
  requireEnterpriseMoment,
  requireMoment,
  settleMomentJob,
  startMomentJob,
} from '../domain/moments';
import { mapListing } from '../listing';
import type { MomentRecord } from '../state/moments';
import type { Handler, HandlerTable } from './context';

function momentView(moment: MomentRecord) {
  const { tasks: _tasks, audience: _audience, comments: _comments, likes: _likes, ...view } = moment;
  return view;
}

const getMomentTaskResult: Handler<'getMomentTaskResult'> = ({ state, input, now }) => {
  const job = settleMomentJob(state, input.jobid, now);
  if (!job.done) return { status: 2, type: 'add_moment_task' };
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

const getMomentList: Handler<'getMomentList'> = (context) => {
  const { input } = context;
  // A page holds at most 20 of the hundreds of moments a window can match: only those are built.
  return context.page(
    mapListing(filteredMoments(context.state, input), momentView),
    `moments:${input.start_time}:${input.end_time}:${input.filter_type ?? 2}:${String(input.creator ?? '')}`,
  );
};

const getMomentCustomerList: Handler<'getMomentCustomerList'> = (context) => {
  const moment = requireMoment(context.state, context.input.moment_id);
  const { userid } = context.input;
  const customers = audienceOf(moment, userid).map((external_userid) => ({ userid, external_userid }));
  return context.page(customers, `audience:${moment.moment_id}:${userid}`);
};

const getMomentSendResult: Handler<'getMomentSendResult'> = (context) => {
  const moment = requireMoment(context.state, context.input.moment_id);
  const { userid } = context.input;
  const customers = publishedAudienceOf(moment, userid).map((external_userid) => ({ external_userid }));
  return context.page(customers, `visible:${moment.moment_id}:${userid}`);
};

export const momentHandlers = {
  addMomentTask: ({ state, input, now }) => ({ jobid: startMomentJob(state, input, now) }),
  getMomentTaskResult,
  cancelMomentTask: ({ state, input }) => {
    cancelMomentTasks(requireEnterpriseMoment(state, input.moment_id));
    return {};
  },
  getMomentList,
  getMomentTask: (context) => {
    const moment = requireEnterpriseMoment(context.state, context.input.moment_id);
    return context.page(moment.tasks, `tasks:${moment.moment_id}`);
  },
  getMomentCustomerList,
  getMomentSendResult,
  getMomentComments: ({ state, input }) => {
    const moment = requireMoment(state, input.moment_id);
    audienceOf(moment, input.userid);
    return { comment_list: moment.comments, like_list: moment.likes };
  },
} satisfies HandlerTable;
