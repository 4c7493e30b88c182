import { operations } from '@wecom-kit/client';
import { ApiError, invalidParameter } from '../api-error';
import {
  addTags,
  deleteCorpTags,
  editCorpTag,
  groupsOf,
  type NewTags,
  type TagEdit,
  type TagSelection,
} from '../domain/tags';
import { validateRequest } from '../request-validation';
import type { TagLibrary } from '../state/tags';
import { toSeconds } from '../time';
import type { Emit, Simulation } from './input';

/**
 * An administrator changes the corp tag library in a WeCom client or the admin console. WeCom
 * pushes change_external_tag for these changes only: the same changes made through the API
 * (addCorpTag, editCorpTag, deleteCorpTag) raise no event. Strategy tags are out of reach here.
 */

type TagKind = 'tag' | 'tag_group';

/** Every corp tag and group id with its kind, to tell what a change created or deleted. */
function corpTagKinds(library: TagLibrary): Map<string, TagKind> {
  const kinds = new Map<string, TagKind>();
  for (const group of groupsOf(library, undefined)) {
    kinds.set(group.group_id, 'tag_group');
    for (const tag of group.tag) kinds.set(tag.id, 'tag');
  }
  return kinds;
}

function tagEvent(emit: Emit, ChangeType: 'create' | 'update' | 'delete', Id: string, TagType: TagKind) {
  emit({ Event: 'change_external_tag', ChangeType, Id, TagType });
}

/** The console holds an administrator to the rules of the API call that makes the same change. */
function validateAs<Shape>(
  operationId: 'addCorpTag' | 'editCorpTag' | 'deleteCorpTag',
  input: Record<string, unknown>,
): asserts input is Record<string, unknown> & Shape {
  validateRequest(operationId, operations[operationId], input);
}

/** `{ group_id | group_name, tag: [{ name, order? }] }`, as addCorpTag: `create` for each new tag and group. */
export const simulateAdminCreateTag: Simulation = (state, input, nowMs, emit) => {
  validateAs<NewTags>('addCorpTag', input);
  const before = corpTagKinds(state.tags);
  const result = addTags(state.tags, input, toSeconds(nowMs));
  for (const [id, kind] of corpTagKinds(state.tags)) if (!before.has(id)) tagEvent(emit, 'create', id, kind);
  return result;
};

/** `{ id, name?, order? }`, as editCorpTag: `update` for the tag or group. */
export const simulateAdminEditTag: Simulation = (state, input, _nowMs, emit) => {
  validateAs<TagEdit>('editCorpTag', input);
  // An edit that changes nothing is no edit: the console saves none, and WeCom pushes nothing.
  if (input.name === undefined && input.order === undefined)
    throw invalidParameter('name and order cannot both be empty');
  editCorpTag(state.tags, input);
  const { id } = input;
  tagEvent(emit, 'update', id, corpTagKinds(state.tags).get(id) ?? 'tag');
  return {};
};

/**
 * `{ tag_id?, group_id? }`, as deleteCorpTag: `delete` for each tag and group gone, the tags leave
 * every customer. A group deleted by id raises one event for itself, not one per tag it held.
 */
export const simulateAdminDeleteTag: Simulation = (state, input, _nowMs, emit) => {
  validateAs<TagSelection>('deleteCorpTag', input);
  const before = corpTagKinds(state.tags);
  const groupIds = input.group_id ?? [];
  const silenced = new Set(
    groupsOf(state.tags, undefined)
      .filter((group) => groupIds.includes(group.group_id))
      .flatMap((group) => group.tag.map((tag) => tag.id)),
  );
  deleteCorpTags(state, input);
  const after = corpTagKinds(state.tags);
  for (const [id, kind] of before) {
    if (after.has(id) || silenced.has(id)) continue;
    tagEvent(emit, 'delete', id, kind);
  }
  return {};
};

/**
 * `{ group_id? }`: the administrator drags the tags of that group (the groups themselves without
 * one) into the reverse order. Only `order` values change; `shuffle` names the group, or is empty.
 */
export const simulateAdminShuffleTags: Simulation = (state, input, _nowMs, emit) => {
  const groupId = input.group_id;
  if (groupId !== undefined && typeof groupId !== 'string')
    throw invalidParameter('group_id must be a string');
  const groups = groupsOf(state.tags, undefined);
  const group =
    groupId === undefined ? undefined : groups.find((candidate) => candidate.group_id === groupId);
  if (groupId !== undefined && !group) throw new ApiError(40068, `invalid tag group id ${groupId}`);
  reverseOrder(group ? group.tag : groups);
  // WeCom sends <Id> empty, not absent, when the groups themselves were reordered.
  emit({ Event: 'change_external_tag', ChangeType: 'shuffle', Id: group?.group_id ?? '' });
  return {};
};

/** Swaps the `order` values end to end: the first item takes the last one's, and so on. */
function reverseOrder(items: { order: number }[]): void {
  const orders = items.map((item) => item.order).reverse();
  for (const [index, item] of items.entries()) item.order = orders[index] ?? item.order;
}
