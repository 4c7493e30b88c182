import { WecomValidationError } from '@wecom-kit/core';
import { inputConstraints } from './generated/constraints';
import { operations } from './generated/operations';
import type { FieldRule, OperationTable, WindowRule } from './table';

const DAY_SECONDS = 86_400;

/** What one operation's input is checked against: its constraints and, for ranged reads, its time window. */
export interface InputRules {
  readonly constraints: FieldRule;
  readonly window?: WindowRule;
}

/** Throws a WecomValidationError when `input` would be refused by `operationId`, and sends nothing. */
export type InputValidator = (operationId: string, input: unknown) => void;

/** The first check an input fails. */
export interface InputViolation {
  /** Path of the field, e.g. `attachments[2].msgtype`, or `input` for the whole input. */
  readonly field: string;
  /** The failed check: `required`, `type`, `maxItems`, `window`, … */
  readonly rule: string;
  /** What is wrong, in WeCom's terms only. */
  readonly problem: string;
  /** How to fix it with wecom-kit, for the client's own errors (never sent as WeCom's errmsg). */
  readonly advice?: string;
  /** WeCom's dedicated errcode for this failure (`x-wecom-errcode`), when it has one; else 40058. */
  readonly errcode?: number;
}

/**
 * Checks an input against what the spec documents for its operation, so that a request WeCom
 * would reject is never sent. Throws a WecomValidationError naming the field, the rule, the code
 * WeCom would answer when it has a dedicated one, and how to fix it.
 */
export function validateInput(operationId: string, rules: InputRules, input: unknown): void {
  const violation = findViolation(operationId, rules, input);
  if (!violation) return;
  const { field, rule, problem, advice, errcode } = violation;
  const answer = errcode === undefined ? '' : ` WeCom refuses it with ${errcode}.`;
  throw new WecomValidationError({
    operationId,
    field,
    rule,
    message: `${operationId}: ${problem}${answer}${advice ? ` ${advice}` : ''}`,
  });
}

/** The first check `input` fails, or undefined; the sandbox answers with it as WeCom would. */
export function findViolation(
  operationId: string,
  rules: InputRules,
  input: unknown,
): InputViolation | undefined {
  try {
    checkValue(input ?? {}, rules.constraints, '');
    if (rules.window) checkWindow(input as Record<string, unknown>, rules.window, operationId);
    return undefined;
  } catch (error) {
    if (error instanceof ViolationFound) return error.violation;
    throw error;
  }
}

class ViolationFound extends Error {
  constructor(readonly violation: InputViolation) {
    super(violation.problem);
  }
}

const fail: Fail = (field, rule, problem, details = {}) => {
  throw new ViolationFound({ field, rule, problem, ...details });
};

/**
 * Every operation's rules from the spec. The server build validates with it by default; a browser
 * build leaves it out (the proxy validates the same way) unless it is passed as `validation`.
 */
export const specValidation: InputValidator = (operationId, input) => {
  const window = (operations as OperationTable)[operationId]?.window;
  validateInput(
    operationId,
    { constraints: inputConstraints[operationId] ?? {}, ...(window && { window }) },
    input,
  );
};

type Fail = (
  field: string,
  rule: string,
  problem: string,
  details?: { advice?: string; errcode?: number | undefined },
) => never;

function checkValue(value: unknown, rule: FieldRule, path: string): void {
  const name = path || 'input';
  const errcode = (check: string) => ({ errcode: rule.errcodes?.[check] });
  if (rule.type && !matchesType(value, rule.type)) {
    fail(
      name,
      'type',
      `"${name}" must be ${describeType(rule.type)}, got ${describeValue(value)}.`,
      errcode('type'),
    );
  }
  if (rule.enum && !rule.enum.includes(value as string | number)) {
    fail(
      name,
      'enum',
      `"${name}" must be one of ${rule.enum.map((option) => JSON.stringify(option)).join(', ')}.`,
      errcode('enum'),
    );
  }
  if (typeof value === 'string') checkLength(value, rule, name);
  if (typeof value === 'number') checkRange(value, rule, name);
  if (Array.isArray(value)) {
    checkCount(value, rule, name);
    if (rule.items)
      for (const [index, item] of value.entries()) checkValue(item, rule.items, `${name}[${index}]`);
  }
  if (isObject(value)) checkObject(value, rule, path);
}

function checkObject(value: Record<string, unknown>, rule: FieldRule, path: string): void {
  const prefix = path ? `${path}.` : '';
  for (const field of rule.required ?? []) {
    if (value[field] === undefined) {
      fail(`${prefix}${field}`, 'required', `"${prefix}${field}" is required.`, {
        errcode: rule.fields?.[field]?.errcodes?.required,
      });
    }
  }
  if (rule.anyOf && !rule.anyOf.some((group) => group.every((field) => isPresent(value[field])))) {
    const options = rule.anyOf
      .map((group) => group.map((field) => `"${prefix}${field}"`).join(' + '))
      .join(' or ');
    fail(path || 'input', 'anyOf', `set at least one of ${options}.`, { errcode: rule.errcodes?.anyOf });
  }
  for (const [field, fieldRule] of Object.entries(rule.fields ?? {})) {
    if (value[field] !== undefined) checkValue(value[field], fieldRule, `${prefix}${field}`);
  }
}

function checkLength(value: string, rule: FieldRule, name: string): void {
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    fail(
      name,
      'maxLength',
      `"${name}" is ${value.length} characters long; the maximum is ${rule.maxLength}.`,
      { errcode: rule.errcodes?.maxLength },
    );
  }
  if (rule.minLength !== undefined && value.length < rule.minLength) {
    fail(name, 'minLength', `"${name}" must have at least ${rule.minLength} characters.`, {
      errcode: rule.errcodes?.minLength,
    });
  }
}

function checkRange(value: number, rule: FieldRule, name: string): void {
  if (rule.maximum !== undefined && value > rule.maximum) {
    fail(name, 'maximum', `"${name}" is ${value}; the maximum is ${rule.maximum}.`, {
      errcode: rule.errcodes?.maximum,
    });
  }
  if (rule.minimum !== undefined && value < rule.minimum) {
    fail(name, 'minimum', `"${name}" is ${value}; the minimum is ${rule.minimum}.`, {
      errcode: rule.errcodes?.minimum,
    });
  }
}

function checkCount(value: unknown[], rule: FieldRule, name: string): void {
  if (rule.maxItems !== undefined && value.length > rule.maxItems) {
    fail(
      name,
      'maxItems',
      `"${name}" has ${value.length} items; WeCom accepts at most ${rule.maxItems} per call.`,
      { advice: 'Split it into batches.', errcode: rule.errcodes?.maxItems },
    );
  }
  if (rule.minItems !== undefined && value.length < rule.minItems) {
    fail(name, 'minItems', `"${name}" needs at least ${rule.minItems} item(s).`, {
      errcode: rule.errcodes?.minItems,
    });
  }
}

function checkWindow(input: Record<string, unknown>, window: WindowRule, operationId: string): void {
  const start = input[window.startField];
  const end = input[window.endField];
  if (typeof start !== 'number') return;
  if (window.maxAgeDays !== undefined) checkAge(start, window.startField, window.maxAgeDays, window.errcode);
  if (typeof end !== 'number') return;
  if (end < start || (window.interval === 'open' && end === start)) {
    fail(window.endField, 'window', `"${window.endField}" must be after "${window.startField}".`, {
      errcode: window.errcode,
    });
  }
  const spanDays = (end - start) / DAY_SECONDS;
  // Day-granular windows count both bounds: 30 days are day_begin_time + 29 whole days.
  const allowed = window.unit === 'day' ? window.maxDays - 1 : window.maxDays;
  if (spanDays > allowed) {
    fail(
      window.endField,
      'window',
      `the range "${window.startField}".."${window.endField}" spans ${formatDays(spanDays)} days; WeCom allows at most ${window.maxDays}.`,
      {
        advice: `Use wecom.paginate('${operationId}', …), which splits long ranges into ${window.maxDays}-day windows, or narrow the range.`,
        errcode: window.errcode,
      },
    );
  }
}

/**
 * Refuses a start older than the look-back, which no split into windows could fetch. WeCom counts
 * days at midnight China time (UTC+8), so its oldest day can begin up to a day before
 * now - maxAgeDays: only a start more than maxAgeDays + 1 days ago is certainly refused.
 */
function checkAge(start: number, field: string, maxAgeDays: number, errcode: number | undefined): void {
  const ageDays = (Date.now() / 1000 - start) / DAY_SECONDS;
  if (ageDays > maxAgeDays + 1) {
    fail(
      field,
      'maxAgeDays',
      `"${field}" is ${Math.floor(ageDays)} days ago; WeCom keeps only the last ${maxAgeDays} days.`,
      { advice: 'Move it later.', errcode },
    );
  }
}

function matchesType(value: unknown, type: string | readonly string[]): boolean {
  const types = typeof type === 'string' ? [type] : type;
  return types.some((candidate) => {
    switch (candidate) {
      case 'integer':
        return Number.isInteger(value);
      case 'number':
        return typeof value === 'number' && Number.isFinite(value);
      case 'array':
        return Array.isArray(value);
      case 'object':
        return isObject(value);
      case 'null':
        return value === null;
      default:
        return typeof value === candidate;
    }
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  return !Array.isArray(value) || value.length > 0;
}

function describeType(type: string | readonly string[]): string {
  const types = typeof type === 'string' ? [type] : type;
  return types
    .map((candidate) => (/^[aeiou]/.test(candidate) ? `an ${candidate}` : `a ${candidate}`))
    .join(' or ');
}

/** In words, without String(): a refused value may be any JSON, e.g. an object whose toString is not a function. */
function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.slice(0, 40))}`;
    case 'number':
    case 'boolean':
      return `the ${typeof value} ${JSON.stringify(value)}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function formatDays(days: number): string {
  return Number.isInteger(days) ? String(days) : days.toFixed(2);
}
