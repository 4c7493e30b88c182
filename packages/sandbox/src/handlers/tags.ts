import { editEvent, requireFollow } from '../domain/people';
import { addTags, deleteCorpTags, editCorpTag, listTags, markTags } from '../domain/tags';
import { type HandlerTable, seconds } from './context';

// WeCom raises change_external_tag only for changes an administrator makes in a client or the
// admin console, never for these API writes: the admin-* simulate routes (simulate/tags.ts) do.
export const tagHandlers = {
  getCorpTagList: ({ state, input }) => ({ tag_group: listTags(state.tags, input, undefined) }),
  addCorpTag: (context) => addTags(context.state.tags, context.input, seconds(context)),
  editCorpTag: ({ state, input }) => editCorpTag(state.tags, input),
  deleteCorpTag: ({ state, input }) => deleteCorpTags(state, input),
  markTag: ({ state, input, emit }) => {
    const follow = requireFollow(state, input.userid, input.external_userid);
    markTags(state.tags, follow, input.add_tag, input.remove_tag);
    emit(editEvent(follow));
    return {};
  },
} satisfies HandlerTable;
