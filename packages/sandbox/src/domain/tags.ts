import { ApiError, invalidParameter } from '../api-error';
import type { SandboxState } from '../state';
import type { Follow } from '../state/people';
import { type CorpTag, findTag, newTagId, type TagGroup, type TagLibrary } from '../state/tags';

/*
 * The tag library's reads and changes, shared by the corp-tag and strategy-tag operations and by
 * the administrator simulations.
 */

const MAX_CORP_TAGS = 3_000;

/** Which tags to list or delete: by group or by tag id. */
export interface TagSelection {
  readonly tag_id?: readonly string[];
  readonly group_id?: readonly string[];
}

/** New tags, into an existing group (`group_id`) or a group found or made by name. */
export interface NewTags {
  readonly group_id?: string;
  readonly group_name?: string;
  readonly order?: number;
  readonly tag?: readonly { readonly name: string; readonly order?: number }[];
}

/** A tag or group renamed or reordered. */
export interface TagEdit {
  readonly id: string;
  readonly name?: string;
  readonly order?: number;
}

export function groupsOf(library: TagLibrary, strategyId: number | undefined): TagGroup[] {
  return library.groups.filter((group) => group.strategy_id === strategyId);
}

export function listTags(library: TagLibrary, input: TagSelection, strategyId: number | undefined) {
  const groupIds = input.group_id ?? [];
  const tagIds = input.tag_id ?? [];
  const groups = groupsOf(library, strategyId);
  const view = ({ strategy_id, ...group }: TagGroup) =>
    strategyId === undefined ? group : { ...group, strategy_id: strategy_id };
  // As documented: group_id wins when both filters are given.
  if (groupIds.length > 0) return groups.filter((group) => groupIds.includes(group.group_id)).map(view);
  if (tagIds.length > 0) {
    return groups
      .map((group) => ({ ...group, tag: group.tag.filter((tag) => tagIds.includes(tag.id)) }))
      .filter((group) => group.tag.length > 0)
      .map(view);
  }
  return groups.map(view);
}

export function addTags(library: TagLibrary, input: NewTags, now: number, strategyId?: number) {
  const requested = input.tag ?? [];
  if (requested.length === 0) throw invalidParameter('tag must not be empty');
  const total = library.groups.reduce((sum, group) => sum + group.tag.length, 0);
  if (total + requested.length > MAX_CORP_TAGS) throw new ApiError(40126, 'corp tag count exceeds 3000');
  const strategy = strategyId !== undefined;
  let group = groupsOf(library, strategyId).find(
    (candidate) =>
      candidate.group_id === input.group_id || (!input.group_id && candidate.group_name === input.group_name),
  );
  if (input.group_id && !group) throw new ApiError(40068, 'invalid tag group id');
  if (!group) {
    if (typeof input.group_name !== 'string')
      throw invalidParameter('group_name is required for a new group');
    group = {
      group_id: newTagId(library, 'group', strategy),
      group_name: input.group_name,
      create_time: now,
      order: input.order ?? 0,
      tag: [],
      ...(strategy && { strategy_id: strategyId }),
    };
    library.groups.push(group);
  }
  const added: CorpTag[] = [];
  for (const { name, order } of requested) {
    // Duplicate names inside one group are merged into the existing tag.
    const existing = group.tag.find((tag) => tag.name === name);
    if (existing) {
      if (!added.includes(existing)) added.push(existing);
      continue;
    }
    const tag = { id: newTagId(library, 'tag', strategy), name, create_time: now, order: order ?? 0 };
    group.tag.push(tag);
    added.push(tag);
  }
  const { strategy_id: _strategy, ...view } = group;
  return { tag_group: { ...view, ...(strategy && { strategy_id: strategyId }), tag: added } };
}

export function editTag(library: TagLibrary, input: TagEdit) {
  const { id } = input;
  const group = library.groups.find((candidate) => candidate.group_id === id);
  const target = group ?? findTag(library, id)?.tag;
  if (!target) throw new ApiError(40068, 'invalid tag id');
  if (typeof input.name === 'string') {
    if (group) group.group_name = input.name;
    else (target as { name: string }).name = input.name;
  }
  if (typeof input.order === 'number') target.order = input.order;
  return {};
}

export function deleteTags(
  library: TagLibrary,
  input: TagSelection,
  onDelete: (tagIds: Set<string>) => void,
) {
  const groupIds = new Set(input.group_id);
  const tagIds = new Set(input.tag_id);
  if (groupIds.size === 0 && tagIds.size === 0)
    throw invalidParameter('tag_id and group_id cannot both be empty');
  const removed = new Set<string>();
  library.groups = library.groups.filter((group) => {
    if (groupIds.has(group.group_id)) {
      for (const tag of group.tag) removed.add(tag.id);
      return false;
    }
    group.tag = group.tag.filter((tag) => {
      if (!tagIds.has(tag.id)) return true;
      removed.add(tag.id);
      return false;
    });
    // A group whose last tag is deleted is deleted with it.
    return group.tag.length > 0;
  });
  onDelete(removed);
  return {};
}

/** Corp-tag calls must not reach strategy groups, which have their own endpoints. */
export function requireCorpTagIds(library: TagLibrary, ids: readonly string[]): void {
  const corpIds = new Set(
    groupsOf(library, undefined).flatMap((group) => [group.group_id, ...group.tag.map((tag) => tag.id)]),
  );
  const foreign = ids.filter((id) => !corpIds.has(id));
  if (foreign.length > 0) throw new ApiError(40068, `invalid tag id ${foreign.join(',')}`);
}

/** editCorpTag's change: one corp tag or group renamed or reordered. */
export function editCorpTag(library: TagLibrary, input: TagEdit) {
  requireCorpTagIds(library, [input.id]);
  return editTag(library, input);
}

/** Takes deleted tags off every customer they were attached to. */
export function forgetTags(state: SandboxState, removed: ReadonlySet<string>): void {
  for (const follow of state.people.follows) {
    follow.tagIds = follow.tagIds.filter((tagId) => !removed.has(tagId));
  }
}

/** deleteCorpTag's change: corp tags and groups deleted, and taken off every customer. */
export function deleteCorpTags(state: SandboxState, input: TagSelection) {
  requireCorpTagIds(state.tags, [...(input.tag_id ?? []), ...(input.group_id ?? [])]);
  return deleteTags(state.tags, input, (removed) => forgetTags(state, removed));
}

/** Tags added to and taken off the customer as the member sees them; unknown tags are refused. */
export function markTags(
  library: TagLibrary,
  follow: Follow,
  add: readonly string[] = [],
  remove: readonly string[] = [],
): void {
  if (add.length === 0 && remove.length === 0)
    throw invalidParameter('add_tag and remove_tag cannot both be empty');
  for (const tagId of add) if (!findTag(library, tagId)) throw new ApiError(40068, `invalid tag id ${tagId}`);
  const removed = new Set(remove);
  follow.tagIds = [...new Set([...follow.tagIds.filter((tagId) => !removed.has(tagId)), ...add])];
}
