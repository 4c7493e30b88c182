import { ApiError, invalidParameter } from '../api-error';
import type { SandboxState } from '../state';
import { addRule, type InterceptRule } from '../state/albums-rules';
import { requireMember } from './people';

/* 敏感词 intercept rules: what WeCom accepts as a rule, and the changes to the rule book. */

const MAX_RULES = 100;
const MAX_RULE_USERS = 10_000;
const SEMANTICS = new Set([1, 2, 3]);

type Range = InterceptRule['applicable_range'];
/** A range as requests send it: either list may be left out. */
export type RangeInput = {
  readonly user_list?: readonly string[];
  readonly department_list?: readonly number[];
};

/** What add_intercept_rule takes. */
export interface NewRule {
  readonly rule_name: string;
  readonly word_list: readonly string[];
  readonly semantics_list?: readonly number[];
  readonly intercept_type: number;
  readonly applicable_range: RangeInput;
}

/** What update_intercept_rule takes: the fields to change, and members or departments to add or remove. */
export interface RuleChanges {
  readonly rule_name?: string;
  readonly word_list?: readonly string[];
  readonly extra_rule?: { readonly semantics_list?: readonly number[] };
  readonly intercept_type?: number;
  readonly add_applicable_range?: RangeInput;
  readonly remove_applicable_range?: RangeInput;
}

export function requireRule(state: SandboxState, ruleId: unknown): InterceptRule {
  const key = String(ruleId);
  if (state.interceptRules.deleted.has(key)) throw new ApiError(41071, 'intercept rule has been deleted');
  const rule = state.interceptRules.rulesById.get(key);
  if (!rule) throw new ApiError(41070, `invalid intercept rule id ${key}`);
  return rule;
}

function checkRuleName(state: SandboxState, name: string, self?: InterceptRule): string {
  if (state.interceptRules.rules.some((rule) => rule !== self && rule.rule_name === name)) {
    throw new ApiError(41077, `intercept rule name ${name} is already taken`);
  }
  return name;
}

function checkWords(words: readonly string[]): string[] {
  if (words.some((word) => word.trim() === '')) {
    throw new ApiError(41083, 'sensitive words must not be blank');
  }
  return [...new Set(words)];
}

function checkSemantics(semantics: readonly number[] | undefined): number[] {
  const list = semantics ?? [];
  const unknown = list.filter((value) => !SEMANTICS.has(value));
  if (unknown.length > 0) throw new ApiError(41084, `invalid semantics ${unknown.join(',')}`);
  return [...new Set(list)];
}

function checkInterceptType(type: number): 1 | 2 {
  if (type !== 1 && type !== 2) throw invalidParameter('intercept_type must be 1 or 2');
  return type;
}

function checkRange(state: SandboxState, range: RangeInput | undefined): Range {
  const departments = new Set(state.people.members.flatMap((member) => member.department));
  const userList = (range?.user_list ?? []).map((userid) => requireMember(state, userid).userid);
  const departmentList = [...(range?.department_list ?? [])];
  const unknown = departmentList.filter((department) => !departments.has(department));
  if (unknown.length > 0) throw new ApiError(60011, `no permission on department ${unknown.join(',')}`);
  return { user_list: userList, department_list: departmentList };
}

function mergeRange(current: Range, add: Range, remove: Range): Range {
  const merged = {
    user_list: [...new Set([...current.user_list, ...add.user_list])].filter(
      (userid) => !remove.user_list.includes(userid),
    ),
    department_list: [...new Set([...current.department_list, ...add.department_list])].filter(
      (department) => !remove.department_list.includes(department),
    ),
  };
  if (merged.user_list.length > MAX_RULE_USERS) {
    throw new ApiError(41076, `a rule holds at most ${MAX_RULE_USERS} userids`);
  }
  return merged;
}

export function createRule(state: SandboxState, input: NewRule, now: number): InterceptRule {
  if (state.interceptRules.rules.length >= MAX_RULES) {
    throw new ApiError(41069, `a corporation holds at most ${MAX_RULES} rules`);
  }
  const range = checkRange(state, input.applicable_range);
  if (range.user_list.length === 0 && range.department_list.length === 0) {
    throw invalidParameter(
      'applicable_range.user_list and applicable_range.department_list cannot both be empty',
    );
  }
  return addRule(state.interceptRules, {
    rule_name: checkRuleName(state, input.rule_name),
    word_list: checkWords(input.word_list),
    semantics_list: checkSemantics(input.semantics_list),
    intercept_type: checkInterceptType(input.intercept_type),
    applicable_range: range,
    create_time: now,
  });
}

/** Applies the changes; a refused update leaves the rule as it was. */
export function updateRule(state: SandboxState, rule: InterceptRule, changes: RuleChanges): void {
  // Check everything before changing anything.
  const name =
    changes.rule_name === undefined ? rule.rule_name : checkRuleName(state, changes.rule_name, rule);
  const words = changes.word_list;
  const semantics = changes.extra_rule?.semantics_list;
  const update: Omit<InterceptRule, 'rule_id' | 'create_time'> = {
    rule_name: name,
    // An empty word list is ignored, while an empty semantics list clears the semantics.
    word_list: words && words.length > 0 ? checkWords(words) : rule.word_list,
    semantics_list: semantics === undefined ? rule.semantics_list : checkSemantics(semantics),
    intercept_type:
      changes.intercept_type === undefined ? rule.intercept_type : checkInterceptType(changes.intercept_type),
    applicable_range: mergeRange(
      rule.applicable_range,
      checkRange(state, changes.add_applicable_range),
      checkRange(state, changes.remove_applicable_range),
    ),
  };
  Object.assign(rule, update);
}

/** A deleted rule's id stays known, so WeCom can tell it apart from one that never existed. */
export function deleteRule(state: SandboxState, rule: InterceptRule): void {
  const book = state.interceptRules;
  book.rules = book.rules.filter((candidate) => candidate !== rule);
  book.rulesById.delete(String(rule.rule_id));
  book.deleted.add(String(rule.rule_id));
}
