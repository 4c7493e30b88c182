import type { ChangeKind } from './compare';
import type { RawDiff } from './walk';

/**
 * Which way data flows through a schema. `send`: the client builds it (request bodies and
 * parameters), so a typed client breaks when what it may send shrinks. `receive`: the client or a
 * callback handler reads it (responses, webhook payloads), so it breaks when what it may get grows
 * or loses a field.
 */
export type Direction = 'send' | 'receive';

export interface Judged {
  kind: ChangeKind;
  message: string;
}

const UPPER_LIMITS = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties']);
const LOWER_LIMITS = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties']);
const PROSE = new Set(['description', 'title', 'example', 'examples', '$comment']);

/**
 * A change inside a schema, `path` starting below `schema`: walks `properties/<name>` and
 * `items` to name the field, then judges the keyword that changed in the given direction.
 */
export function judgeSchemaChange(
  diff: RawDiff,
  path: string[],
  direction: Direction,
  whole = 'the body',
): Judged {
  let field = '';
  let index = 0;
  while (index < path.length) {
    const head = path[index] as string;
    const next = path[index + 1];
    if (head === 'properties' && next !== undefined) {
      field = field ? `${field}.${next}` : next;
      index += 2;
    } else if (head === 'items') {
      field = `${field || 'items'}[]`;
      index += 1;
    } else if ((head === 'oneOf' || head === 'anyOf') && next !== undefined) {
      index += 2;
    } else break;
  }
  const keyword = path.slice(index);
  const target = field ? `\`${field}\`` : whole;
  if (keyword.length === 0) return judgeField(diff, field);
  const [head, next] = keyword;
  const kind = (breaksWhen: boolean): ChangeKind => (breaksWhen ? 'breaking' : 'non-breaking');
  if (head === 'required') return judgeRequired(diff, field, next, direction, target);
  if (head === 'type' || head === 'nullable') return judgeType(diff, target, direction, head);
  if (head === 'enum') {
    const added = diff.action === 'add';
    if (next === undefined) {
      return added
        ? { kind: kind(direction === 'send'), message: `${target} restricted to ${show(diff.after)}` }
        : { kind: 'non-breaking', message: `${target} no longer restricted to a list of values` };
    }
    if (added)
      return {
        kind: kind(direction === 'receive'),
        message: `value ${show(diff.after)} allowed in ${target}`,
      };
    return {
      kind: kind(direction === 'send'),
      message: `value ${show(diff.before)} no longer allowed in ${target}`,
    };
  }
  if (head === 'const') {
    return {
      kind: kind(diff.action !== 'remove'),
      message: `const of ${target} ${verb(diff)}${valueChange(diff)}`,
    };
  }
  if (head !== undefined && (UPPER_LIMITS.has(head) || LOWER_LIMITS.has(head))) {
    return judgeLimit(diff, head, target, direction);
  }
  if (head !== undefined && PROSE.has(head)) {
    return { kind: 'documentation', message: `${keyword.join('.')} of ${target} ${verb(diff)}` };
  }
  return {
    kind: 'non-breaking',
    message: `${keyword.join('.')} of ${target} ${verb(diff)}${valueChange(diff)}`,
  };
}

/** A whole field (or the whole body) added or removed. */
function judgeField(diff: RawDiff, field: string): Judged {
  const subject = field ? `field \`${field}\`` : 'schema';
  if (diff.action === 'remove') {
    // Sent: a typed client that still sets it fails the excess-property check.
    // Received: code reading it gets undefined.
    return { kind: 'breaking', message: `${subject} removed` };
  }
  if (diff.action === 'add') return { kind: 'non-breaking', message: `${subject} added` };
  return { kind: 'breaking', message: `${subject} replaced` };
}

function judgeRequired(
  diff: RawDiff,
  field: string,
  index: string | undefined,
  direction: Direction,
  target: string,
): Judged {
  if (index === undefined) {
    // The whole `required` list appeared or went away.
    const names = ((diff.after ?? diff.before) as string[]).map((name) => `\`${join(field, name)}\``);
    const nowRequired = diff.action === 'add';
    return {
      kind: nowRequired === (direction === 'send') ? 'breaking' : 'non-breaking',
      message: `${names.join(', ')} ${nowRequired ? 'now required' : 'no longer required'} in ${target}`,
    };
  }
  const name = `\`${join(field, String(diff.action === 'remove' ? diff.before : diff.after))}\``;
  if (diff.action === 'add') {
    return {
      kind: direction === 'send' ? 'breaking' : 'non-breaking',
      message: `field ${name} is now required`,
    };
  }
  return {
    kind: direction === 'receive' ? 'breaking' : 'non-breaking',
    message: `field ${name} is no longer required${direction === 'receive' ? ': it may be absent' : ''}`,
  };
}

/** `type` as a set: adding `null` is "became nullable", any other difference a retype. */
function judgeType(
  diff: RawDiff,
  target: string,
  direction: Direction,
  keyword: 'type' | 'nullable',
): Judged {
  if (keyword === 'nullable') {
    const nullable = diff.after === true;
    return nullability(nullable, target, direction);
  }
  if (diff.path.at(-1) !== 'type') {
    // One member of a type list added or removed.
    const value = String(diff.action === 'add' ? diff.after : diff.before);
    if (value === 'null') return nullability(diff.action === 'add', target, direction);
    const widened = diff.action === 'add';
    return {
      kind: widened === (direction === 'receive') ? 'breaking' : 'non-breaking',
      message: `type ${show(value)} ${widened ? 'added to' : 'removed from'} ${target}`,
    };
  }
  const before = typeSet(diff.before);
  const after = typeSet(diff.after);
  const withoutNull = (types: Set<string>) =>
    [...types]
      .filter((type) => type !== 'null')
      .sort()
      .join();
  if (withoutNull(before) === withoutNull(after) && before.has('null') !== after.has('null')) {
    return nullability(after.has('null'), target, direction);
  }
  return {
    kind: 'breaking',
    message: `type of ${target} changed from ${show(diff.before)} to ${show(diff.after)}`,
  };
}

function nullability(nullable: boolean, target: string, direction: Direction): Judged {
  if (nullable) {
    return {
      kind: direction === 'receive' ? 'breaking' : 'non-breaking',
      message: `${target} became nullable${direction === 'receive' ? ': code reading it may get null' : ''}`,
    };
  }
  return {
    kind: direction === 'send' ? 'breaking' : 'non-breaking',
    message: `${target} is no longer nullable`,
  };
}

function typeSet(value: unknown): Set<string> {
  if (Array.isArray(value)) return new Set(value.map(String));
  return value === undefined ? new Set() : new Set([String(value)]);
}

/** A tighter limit breaks what a client sends; limits on what it receives constrain nobody. */
function judgeLimit(diff: RawDiff, keyword: string, target: string, direction: Direction): Judged {
  const upper = UPPER_LIMITS.has(keyword);
  let tighter: boolean;
  let how: string;
  if (diff.action === 'replace') {
    const lowered = Number(diff.after) < Number(diff.before);
    tighter = upper ? lowered : !lowered;
    how = `${lowered ? 'lowered' : 'raised'} from ${show(diff.before)} to ${show(diff.after)}`;
  } else {
    tighter = diff.action === 'add';
    how = `${verb(diff)}${valueChange(diff)}`;
  }
  return {
    kind: tighter && direction === 'send' ? 'breaking' : 'non-breaking',
    message: `${keyword} of ${target} ${how}`,
  };
}

function join(field: string, name: string): string {
  return field ? `${field}.${name}` : name;
}

export function verb(diff: RawDiff): string {
  return { add: 'added', remove: 'removed', replace: 'changed' }[diff.action];
}

export function valueChange(diff: RawDiff): string {
  if (diff.action === 'replace') return ` (${show(diff.before)} → ${show(diff.after)})`;
  if (diff.action === 'add') return ` (${show(diff.after)})`;
  return '';
}

export function show(value: unknown, fallback = '(none)'): string {
  if (value === undefined) return fallback;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
