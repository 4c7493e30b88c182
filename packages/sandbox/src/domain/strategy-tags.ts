import { ApiError } from '../api-error';
import type { SandboxState } from '../state';
import type { TagGroup } from '../state/tags';
import {
  addTags,
  deleteTags,
  editTag,
  forgetTags,
  listTags,
  type NewTags,
  type TagEdit,
  type TagSelection,
} from './tags';

/*
 * Strategy-group tags (规则组标签): they live in the corp tag library, in groups that carry the
 * strategy_id of the first-level customer strategy group owning them, and never mix with corp tags.
 */

function strategyGroups(state: SandboxState): TagGroup[] {
  return state.tags.groups.filter((group) => group.strategy_id !== undefined);
}

/** The tag groups of one strategy, or of every strategy that owns tags. */
export function listStrategyTags(
  state: SandboxState,
  selection: TagSelection,
  strategyId: number | undefined,
) {
  const owners =
    strategyId === undefined
      ? [...new Set(strategyGroups(state).flatMap((group) => group.strategy_id ?? []))]
      : [strategyId];
  return owners.flatMap((owner) => listTags(state.tags, selection, owner));
}

/** New tags of the strategy, and the group they joined; a name repeated in the request is one tag. */
export function addStrategyTags(state: SandboxState, input: NewTags, strategyId: number, now: number) {
  const { tag_group } = addTags(state.tags, input, now, strategyId);
  return { ...tag_group, tag: [...new Map(tag_group.tag.map((tag) => [tag.id, tag])).values()] };
}

/** Renames or reorders a strategy tag or group; names are unique among siblings. */
export function editStrategyTag(state: SandboxState, input: TagEdit): void {
  const groups = strategyGroups(state);
  const group = groups.find((candidate) => candidate.group_id === input.id);
  const owner = group ?? groups.find((candidate) => candidate.tag.some((tag) => tag.id === input.id));
  // Corp tags are edited through editCorpTag, never through this operation.
  if (!owner) throw new ApiError(40068, `invalid strategy tag id ${input.id}`);
  if (input.name !== undefined) {
    if (input.name.trim() === '') throw new ApiError(40072, 'tag name must not be empty');
    const taken = group
      ? groups.some(
          (other) =>
            other !== group && other.strategy_id === group.strategy_id && other.group_name === input.name,
        )
      : owner.tag.some((tag) => tag.id !== input.id && tag.name === input.name);
    if (taken) throw new ApiError(40071, `tag name ${input.name} already exists`);
  }
  editTag(state.tags, input);
}

/** Deletes strategy tags and groups, and takes them off every customer; corp tag ids are refused. */
export function deleteStrategyTags(state: SandboxState, selection: TagSelection): void {
  const groups = strategyGroups(state);
  const groupIds = new Set(groups.map((group) => group.group_id));
  const tagIds = new Set(groups.flatMap((group) => group.tag.map((tag) => tag.id)));
  const unknown = [
    ...(selection.group_id ?? []).filter((id) => !groupIds.has(id)),
    ...(selection.tag_id ?? []).filter((id) => !tagIds.has(id)),
  ];
  if (unknown.length > 0) throw new ApiError(40068, `invalid strategy tag id ${unknown.join(',')}`);
  deleteTags(state.tags, selection, (removed) => forgetTags(state, removed));
}

/** The tags of deleted strategies go with them, off every customer too. */
export function dropStrategyTags(state: SandboxState, removedStrategies: ReadonlySet<number>): void {
  const tagIds = new Set<string>();
  state.tags.groups = state.tags.groups.filter((group) => {
    if (group.strategy_id === undefined || !removedStrategies.has(group.strategy_id)) return true;
    for (const tag of group.tag) tagIds.add(tag.id);
    return false;
  });
  forgetTags(state, tagIds);
}
