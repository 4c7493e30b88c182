import { ApiError, invalidParameter } from '../api-error';
import { editEvent, requireFollow } from '../domain/people';
import { addTags, deleteCorpTags, editCorpTag, listTags } from '../domain/tags';
import { findTag } from '../state/tags';
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
    const add = (input.add_tag as string[] | undefined) ?? [];
    const remove = new Set((input.remove_tag as string[] | undefined) ?? []);
    if (add.length === 0 && remove.size === 0)
      throw invalidParameter('add_tag and remove_tag cannot both be empty');
    for (const tagId of add)
      if (!findTag(state.tags, tagId)) throw new ApiError(40068, `invalid tag id ${tagId}`);
    follow.tagIds = [...new Set([...follow.tagIds.filter((tagId) => !remove.has(tagId)), ...add])];
    emit(editEvent(follow));
    return {};
  },
} satisfies HandlerTable;
