import { ApiError, invalidParameter } from '../api-error';
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
import { requireMember } from './people';
import { dropStrategyTags } from './strategy-tags';

/*
 * Strategy groups (客户规则组 and 朋友圈规则组): their tree, ranges and privileges, and the
 * changes to them. Both kinds follow the same rules but for their privilege flags.
 */

const MAX_RANGE_NODES = 3_000;
const MAX_DEPTH = 5;

/** What tells customer strategies and moment strategies apart. */
export interface StrategyKind<Privilege extends string> {
  readonly name: 'customer' | 'moment';
  readonly privileges: readonly Privilege[];
  /** Rights every strategy of the kind grants; they cannot be switched off. */
  readonly basic: readonly string[];
  /** Cleans up what hangs off deleted strategies (the customer kind's strategy-group tags). */
  onDelete(state: SandboxState, removed: Set<number>): void;
}

export const CUSTOMER_STRATEGIES: StrategyKind<(typeof CUSTOMER_PRIVILEGES)[number]> = {
  name: 'customer',
  privileges: CUSTOMER_PRIVILEGES,
  basic: BASIC_CUSTOMER_PRIVILEGES,
  onDelete: dropStrategyTags,
};

// Moment strategy groups own no tags, so nothing hangs off them.
export const MOMENT_STRATEGIES: StrategyKind<(typeof MOMENT_PRIVILEGES)[number]> = {
  name: 'moment',
  privileges: MOMENT_PRIVILEGES,
  basic: [],
  onDelete() {},
};

/** A range node as requests send it. */
export interface RangeNodeInput {
  readonly type: number;
  readonly userid?: string;
  readonly partyid?: number;
}

/** What create_strategy takes. */
export interface NewStrategy {
  readonly parent_id?: number;
  readonly strategy_name: string;
  readonly admin_list: readonly string[];
  readonly privilege?: Readonly<Record<string, unknown>>;
  readonly range?: readonly RangeNodeInput[];
}

/** What edit_strategy takes: the fields to change, and range nodes to add or remove. */
export interface StrategyChanges {
  readonly strategy_name?: string;
  readonly admin_list?: readonly string[];
  readonly privilege?: Readonly<Record<string, unknown>>;
  readonly range_add?: readonly RangeNodeInput[];
  readonly range_del?: readonly RangeNodeInput[];
}

export function shelfOf(state: SandboxState, kind: StrategyKind<string>): StrategyShelf {
  return state.strategies[kind.name];
}

export function requireStrategy(shelf: StrategyShelf, strategyId: unknown): Strategy {
  const strategy = typeof strategyId === 'number' ? shelf.byId.get(strategyId) : undefined;
  // WeCom documents no dedicated code for a strategy group that does not exist (or is another app's).
  if (!strategy) throw invalidParameter(`invalid strategy_id ${String(strategyId)}`);
  return strategy;
}

function nodeKey(node: StrategyRangeNode): string {
  return node.type === 1 ? `user:${node.userid}` : `party:${node.partyid}`;
}

function checkNodes(state: SandboxState, nodes: readonly RangeNodeInput[] | undefined): StrategyRangeNode[] {
  const departments = new Set(state.people.members.flatMap((member) => member.department));
  return (nodes ?? []).map((node) => {
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

function checkName(name: string): string {
  if (name.trim() === '') throw invalidParameter('strategy_name must not be empty');
  return name;
}

function checkAdmins(state: SandboxState, admins: readonly string[]): string[] {
  if (admins.length === 0) throw invalidParameter('admin_list must not be empty');
  return admins.map((userid) => requireMember(state, userid).userid);
}

/** The strategy's ancestors, its parent first and its top-level group last. */
function ancestorsOf(shelf: StrategyShelf, strategy: Strategy): Strategy[] {
  const ancestors: Strategy[] = [];
  // Top-level groups have parent_id 0, which no strategy has: ids start at 1.
  for (let parent = shelf.byId.get(strategy.parent_id); parent; parent = shelf.byId.get(parent.parent_id)) {
    ancestors.push(parent);
  }
  return ancestors;
}

/** A child inherits its ancestors' privileges completely: those of its top-level group. */
export function privilegesOf<Privilege extends string>(
  kind: StrategyKind<Privilege>,
  shelf: StrategyShelf,
  strategy: Strategy,
): Record<Privilege, boolean> {
  const root = ancestorsOf(shelf, strategy).at(-1) ?? strategy;
  return privilegeSet(kind.privileges, root.privilege);
}

/** Tags hang off first-level customer strategy groups only. */
export function requireTagOwner(state: SandboxState, strategyId: unknown): Strategy {
  const strategy = requireStrategy(state.strategies.customer, strategyId);
  if (strategy.parent_id !== 0) throw invalidParameter('only first-level strategy groups own tags');
  return strategy;
}

export function createStrategy(
  state: SandboxState,
  kind: StrategyKind<string>,
  input: NewStrategy,
  now: number,
): Strategy {
  const shelf = shelfOf(state, kind);
  const parentId = input.parent_id ?? 0;
  const parent = parentId === 0 ? undefined : requireStrategy(shelf, parentId);
  // The parent's depth: itself and its ancestors.
  if (parent && ancestorsOf(shelf, parent).length + 1 >= MAX_DEPTH) {
    throw invalidParameter(`strategy groups nest at most ${MAX_DEPTH} levels`);
  }
  return addStrategy(shelf, {
    parent_id: parentId,
    strategy_name: checkName(input.strategy_name),
    create_time: now,
    admin_list: checkAdmins(state, input.admin_list),
    privilege: parent ? {} : privilegeSet(kind.privileges, input.privilege ?? {}, kind.basic),
    range: mergeRange(state.people, parent, [], checkNodes(state, input.range), []),
  });
}

/** Applies the changes; a refused edit leaves the group as it was. Children's ranges shrink with their parent's. */
export function editStrategy(
  state: SandboxState,
  kind: StrategyKind<string>,
  strategy: Strategy,
  changes: StrategyChanges,
): void {
  const shelf = shelfOf(state, kind);
  const parent = shelf.byId.get(strategy.parent_id);
  // Check everything before changing anything.
  const name =
    changes.strategy_name === undefined ? strategy.strategy_name : checkName(changes.strategy_name);
  const admins =
    changes.admin_list === undefined ? strategy.admin_list : checkAdmins(state, changes.admin_list);
  const range = mergeRange(
    state.people,
    parent,
    strategy.range,
    checkNodes(state, changes.range_add),
    checkNodes(state, changes.range_del),
  );
  Object.assign(strategy, { strategy_name: name, admin_list: admins, range });
  if (!parent && changes.privilege !== undefined) {
    // A sent privilege object replaces the old one; flags it leaves out fall back to their default.
    strategy.privilege = privilegeSet(kind.privileges, changes.privilege, kind.basic);
  }
  // Children keep ranges inside their parent's (shelf order puts parents before children).
  for (const child of shelf.strategies) {
    const childParent = shelf.byId.get(child.parent_id);
    if (childParent)
      child.range = child.range.filter((node) => covers(state.people, childParent.range, node));
  }
}

/** Deletes the strategy with its children: their range is defined relative to it. */
export function deleteStrategy(state: SandboxState, kind: StrategyKind<string>, strategy: Strategy): void {
  const shelf = shelfOf(state, kind);
  const removed = new Set([strategy.strategy_id]);
  for (const candidate of shelf.strategies) {
    if (removed.has(candidate.parent_id)) removed.add(candidate.strategy_id);
  }
  shelf.strategies = shelf.strategies.filter((candidate) => !removed.has(candidate.strategy_id));
  for (const strategyId of removed) shelf.byId.delete(strategyId);
  kind.onDelete(state, removed);
}
