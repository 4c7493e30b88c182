import { behaviorByDay, chatFiguresByDay, chatFiguresByOwner, windowDays } from '../domain/statistics';
import { DAY, dayStart } from '../time';
import { type HandlerTable, type SharedContext, seconds } from './context';

/** Group-chat statistics close with yesterday: today's figures are not final. */
function groupChatWindow(context: SharedContext<'getGroupChatStatistic' | 'getGroupChatStatisticByDay'>) {
  const begin = context.input.day_begin_time;
  return windowDays(begin, context.input.day_end_time ?? begin, dayStart(seconds(context)) - DAY);
}

export const statisticsHandlers = {
  getUserBehaviorData: (context) => {
    const { state, input } = context;
    const days = windowDays(input.start_time, input.end_time, dayStart(seconds(context)));
    return { behavior_data: behaviorByDay(state, input, days) };
  },
  getGroupChatStatistic: (context) =>
    context.page(
      chatFiguresByOwner(context.state, context.input.owner_filter, groupChatWindow(context), context.input),
    ),
  getGroupChatStatisticByDay: (context) => ({
    items: chatFiguresByDay(context.state, context.input.owner_filter, groupChatWindow(context)),
  }),
} satisfies HandlerTable;
