import { ApiError, invalidParameter } from '../api-error';
import { requireMember } from '../domain/people';
import { addTags, deleteTags, editTag, listTags } from '../domain/tags';
import type { SandboxState } from '../state';
import type { People } from '../state/people';
import {
  addStrategy,
  BASIC_CUSTOMER_PRIVILEGES,
  CUSTOMER_PRIVILEGES,
  MOMENT_PRIVILEGES,
  privilegeSet,
  type Strategy,
  type StrategyRangeNode,
  type StrategyShelf,
} from '../state/strategies';
import type { TagGroup } from '../state/tags';
import {
  type HandledOperationId,
  type Handler,
  type HandlerContext,
  type HandlerTable,
  type SharedContext,
  seconds,
} from './context';

const MAX_RANGE_NODES = 3_000;
const MAX_DEPTH = 5;

/** What tells customer strategies (客户规则组) and moment strategies (朋友圈规则组) apart. */
interface StrategyKind<Privilege extends string> {
  name: 'customer' | 'moment';
  privileges: readonly Privilege[];
  basic: readonly string[];
  /** Cleans up what hangs off deleted strategies (the customer kind's strategy-group tags). */
  onDelete(state: SandboxState, removed: Set<number>): void;
}

function requireStrategy(shelf: StrategyShelf, strategyId: unknown): Strategy {
  const strategy = typeof strategyId === 'number' ? shelf.byId.get(strategyId) : undefined;
  // WeCom documents no dedicated code for a strategy group that does not exist (or is another app's).
  if (!strategy) throw invalidParameter(`invalid strategy_id ${String(strategyId)}`);
  return strategy;
}

function nodeKey(node: StrategyRangeNode): string {
  return node.type === 1 ? `user:${node.userid}` : `party:${node.partyid}`;
}

function checkNodes(state: SandboxState, nodes: unknown): StrategyRangeNode[] {
  const departments = new Set(state.people.members.flatMap((member) => member.department));
  return ((nodes as { type: number; userid?: string; partyid?: number }[] | undefined) ?? []).map((node) => {
    if (node.type === 1) return { type: 1, userid: requireMember(state, node.userid).userid };
    if (node.type !== 2) throw invalidParameter(`range node type must be 1 or 2, got ${node.type}`);
    if (node.partyid === undefined || !departments.has(node.partyid)) {
      throw new ApiError(40066, `invalid department ${String(node.partyid)}`);
    }
    return { type: 2, partyid: node.partyid };
  });
}

/** Whether `range` contains `node`, a member counting as contained through their department. */
function covers(people: People, range: StrategyRangeNode[], node: StrategyRangeNode): boolean {
  const keys = new Set(range.map(nodeKey));
  if (keys.has(nodeKey(node))) return true;
  const member = node.type === 1 ? people.membersById.get(node.userid) : undefined;
  return member?.department.some((partyid) => keys.has(`party:${partyid}`)) ?? false;
}

function mergeRange(
  people: People,
  parent: Strategy | undefined,
  current: StrategyRangeNode[],
  add: StrategyRangeNode[],
  remove: StrategyRangeNode[],
) {
  if (parent && !add.every((node) => covers(people, parent.range, node))) {
    throw invalidParameter("a child strategy's range must be a subset of its parent's");
  }
  const removed = new Set(remove.map(nodeKey));
  const merged = new Map(
    [...current, ...add].filter((node) => !removed.has(nodeKey(node))).map((node) => [nodeKey(node), node]),
  );
  if (merged.size > MAX_RANGE_NODES) throw invalidParameter(`a range holds at most ${MAX_RANGE_NODES} nodes`);
  return [...merged.values()];
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') {
    throw invalidParameter('strategy_name must not be empty');
  }
  return name;
}

function checkAdmins(state: SandboxState, admins: unknown): string[] {
  const userids = admins as string[];
  if (userids.length === 0) throw invalidParameter('admin_list must not be empty');
  return userids.map((userid) => requireMember(state, userid).userid);
}

function rootOf(shelf: StrategyShelf, strategy: Strategy): Strategy {
  let root = strategy;
  while (root.parent_id !== 0) root = shelf.byId.get(root.parent_id) as Strategy;
  return root;
}

function depthOf(shelf: StrategyShelf, strategy: Strategy): number {
  let depth = 1;
  for (let node = strategy; node.parent_id !== 0; node = shelf.byId.get(node.parent_id) as Strategy) depth++;
  return depth;
}

/** The last page of these lists carries no next_cursor at all, unlike WeCom's other lists. */
function withoutEmptyCursor<Page extends { next_cursor?: string }>(page: Page): Page {
  if (page.next_cursor === '') delete page.next_cursor;
  return page;
}

/** The context of one role (list, get, …) in either family: customer or moment strategies. */
type RoleContext<Customer extends HandledOperationId, Moment extends HandledOperationId> =
  | HandlerContext<Customer>
  | HandlerContext<Moment>;

/**
 * The six operations of one strategy family. Both families share every shape but the privilege
 * flags, which `Privilege` types, so each table entry is checked against its own operation.
 */
function strategyOperations<Privilege extends string>(kind: StrategyKind<Privilege>) {
  const shelfOf = (state: SandboxState) => state.strategies[kind.name];
  const scope = `${kind.name}_strategy`;

  const list = (context: RoleContext<'listCustomerStrategies', 'listMomentStrategies'>) => {
    const ids = shelfOf(context.state).strategies.map(({ strategy_id }) => ({ strategy_id }));
    return withoutEmptyCursor(context.page(ids, scope));
  };

  const get = ({ state, input }: SharedContext<'getCustomerStrategy' | 'getMomentStrategy'>) => {
    const shelf = shelfOf(state);
    const { range: _range, ...strategy } = requireStrategy(shelf, input.strategy_id);
    // A child inherits its ancestors' privileges completely.
    const { privilege } = rootOf(shelf, shelf.byId.get(strategy.strategy_id) as Strategy);
    return {
      strategy: {
        ...strategy,
        admin_list: [...strategy.admin_list],
        privilege: privilegeSet(kind.privileges, privilege),
      },
    };
  };

  const getRange = (context: RoleContext<'getCustomerStrategyRange', 'getMomentStrategyRange'>) => {
    const strategy = requireStrategy(shelfOf(context.state), context.input.strategy_id);
    const nodes = strategy.range.map((node) => ({ ...node }));
    return withoutEmptyCursor(context.page(nodes, `${scope}_range:${strategy.strategy_id}`));
  };

  const create = (context: SharedContext<'createCustomerStrategy' | 'createMomentStrategy'>) => {
    const { state, input } = context;
    const shelf = shelfOf(state);
    const parentId = input.parent_id ?? 0;
    const parent = parentId === 0 ? undefined : requireStrategy(shelf, parentId);
    if (parent && depthOf(shelf, parent) >= MAX_DEPTH) {
      throw invalidParameter(`strategy groups nest at most ${MAX_DEPTH} levels`);
    }
    const strategy = addStrategy(shelf, {
      parent_id: parentId,
      strategy_name: checkName(input.strategy_name),
      create_time: seconds(context),
      admin_list: checkAdmins(state, input.admin_list),
      privilege: parent ? {} : privilegeSet(kind.privileges, input.privilege ?? {}, kind.basic),
      range: mergeRange(state.people, parent, [], checkNodes(state, input.range), []),
    });
    return { strategy_id: strategy.strategy_id };
  };

  const edit = ({ state, input }: SharedContext<'editCustomerStrategy' | 'editMomentStrategy'>) => {
    const shelf = shelfOf(state);
    const strategy = requireStrategy(shelf, input.strategy_id);
    const parent = strategy.parent_id === 0 ? undefined : shelf.byId.get(strategy.parent_id);
    // Check everything before changing anything, so a refused edit leaves the group as it was.
    const name = input.strategy_name === undefined ? strategy.strategy_name : checkName(input.strategy_name);
    const admins =
      input.admin_list === undefined ? strategy.admin_list : checkAdmins(state, input.admin_list);
    const range = mergeRange(
      state.people,
      parent,
      strategy.range,
      checkNodes(state, input.range_add),
      checkNodes(state, input.range_del),
    );
    Object.assign(strategy, { strategy_name: name, admin_list: admins, range });
    if (!parent && input.privilege !== undefined) {
      // A sent privilege object replaces the old one; flags it leaves out fall back to their default.
      strategy.privilege = privilegeSet(kind.privileges, input.privilege, kind.basic);
    }
    // Children keep ranges inside their parent's (shelf order puts parents before children).
    for (const child of shelf.strategies) {
      const childParent = shelf.byId.get(child.parent_id);
      if (childParent) {
        child.range = child.range.filter((node) => covers(state.people, childParent.range, node));
      }
    }
    return {};
  };

  const remove = ({ state, input }: SharedContext<'deleteCustomerStrategy' | 'deleteMomentStrategy'>) => {
    const shelf = shelfOf(state);
    const strategy = requireStrategy(shelf, input.strategy_id);
    // Children cannot outlive their parent: their range is defined relative to it.
    const removed = new Set([strategy.strategy_id]);
    for (const candidate of shelf.strategies) {
      if (removed.has(candidate.parent_id)) removed.add(candidate.strategy_id);
    }
    shelf.strategies = shelf.strategies.filter((candidate) => !removed.has(candidate.strategy_id));
    for (const strategyId of removed) shelf.byId.delete(strategyId);
    kind.onDelete(state, removed);
    return {};
  };

  return { list, get, getRange, create, edit, remove };
}

/** Drops deleted tags from every customer they were attached to. */
function forgetTags(state: SandboxState, removed: Set<string>): void {
  for (const follow of state.people.follows) {
    follow.tagIds = follow.tagIds.filter((tagId) => !removed.has(tagId));
  }
}

const customer = strategyOperations({
  name: 'customer',
  privileges: CUSTOMER_PRIVILEGES,
  basic: BASIC_CUSTOMER_PRIVILEGES,
  onDelete(state, removed) {
    const tagIds = new Set<string>();
    state.tags.groups = state.tags.groups.filter((group) => {
      if (group.strategy_id === undefined || !removed.has(group.strategy_id)) return true;
      for (const tag of group.tag) tagIds.add(tag.id);
      return false;
    });
    forgetTags(state, tagIds);
  },
});
// Moment strategy groups own no tags, so nothing hangs off them.
const moment = strategyOperations({
  name: 'moment',
  privileges: MOMENT_PRIVILEGES,
  basic: [],
  onDelete() {},
});

/** Strategy-group tags live in the corp tag library, in groups that carry a strategy_id. */
function strategyGroups(state: SandboxState): TagGroup[] {
  return state.tags.groups.filter((group) => group.strategy_id !== undefined);
}

/** Tags hang off first-level customer strategy groups only. */
function requireTagOwner(state: SandboxState, strategyId: unknown): Strategy {
  const strategy = requireStrategy(state.strategies.customer, strategyId);
  if (strategy.parent_id !== 0) throw invalidParameter('only first-level strategy groups own tags');
  return strategy;
}

const getStrategyTagList: Handler<'getStrategyTagList'> = ({ state, input }) => {
  const owners =
    input.strategy_id === undefined
      ? [...new Set(strategyGroups(state).map((group) => group.strategy_id as number))]
      : [requireTagOwner(state, input.strategy_id).strategy_id];
  return { tag_group: owners.flatMap((strategyId) => listTags(state.tags, input, strategyId)) };
};

const addStrategyTag: Handler<'addStrategyTag'> = (context) => {
  const strategy = requireTagOwner(context.state, context.input.strategy_id);
  const { tag_group } = addTags(context.state.tags, context.input, seconds(context), strategy.strategy_id);
  // Documented without strategy_id (the caller knows it), and a name repeated in the request is one tag.
  const { strategy_id: _known, ...group } = tag_group;
  return { tag_group: { ...group, tag: [...new Map(group.tag.map((tag) => [tag.id, tag])).values()] } };
};

const editStrategyTag: Handler<'editStrategyTag'> = ({ state, input }) => {
  const groups = strategyGroups(state);
  const group = groups.find((candidate) => candidate.group_id === input.id);
  const owner = group ?? groups.find((candidate) => candidate.tag.some((tag) => tag.id === input.id));
  // Corp tags are edited through editCorpTag, never through this operation.
  if (!owner) throw new ApiError(40068, `invalid strategy tag id ${String(input.id)}`);
  if (typeof input.name === 'string') {
    if (input.name.trim() === '') throw new ApiError(40072, 'tag name must not be empty');
    const taken = group
      ? groups.some(
          (other) =>
            other !== group && other.strategy_id === group.strategy_id && other.group_name === input.name,
        )
      : owner.tag.some((tag) => tag.id !== input.id && tag.name === input.name);
    if (taken) throw new ApiError(40071, `tag name ${input.name} already exists`);
  }
  return editTag(state.tags, input);
};

const deleteStrategyTag: Handler<'deleteStrategyTag'> = ({ state, input }) => {
  const groups = strategyGroups(state);
  const groupIds = new Set(groups.map((group) => group.group_id));
  const tagIds = new Set(groups.flatMap((group) => group.tag.map((tag) => tag.id)));
  const unknown = [
    ...((input.group_id as string[] | undefined) ?? []).filter((id) => !groupIds.has(id)),
    ...((input.tag_id as string[] | undefined) ?? []).filter((id) => !tagIds.has(id)),
  ];
  if (unknown.length > 0) throw new ApiError(40068, `invalid strategy tag id ${unknown.join(',')}`);
  return deleteTags(state.tags, input, (removed) => forgetTags(state, removed));
};

export const strategyHandlers = {
  getStrategyTagList,
  addStrategyTag,
  editStrategyTag,
  deleteStrategyTag,
  listCustomerStrategies: customer.list,
  getCustomerStrategy: customer.get,
  getCustomerStrategyRange: customer.getRange,
  createCustomerStrategy: customer.create,
  editCustomerStrategy: customer.edit,
  deleteCustomerStrategy: customer.remove,
  listMomentStrategies: moment.list,
  getMomentStrategy: moment.get,
  getMomentStrategyRange: moment.getRange,
  createMomentStrategy: moment.create,
  editMomentStrategy: moment.edit,
  deleteMomentStrategy: moment.remove,
} satisfies HandlerTable;
