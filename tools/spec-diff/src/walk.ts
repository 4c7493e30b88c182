/** One difference between two JSON documents, at `path` (keys and array indexes as strings). */
export interface RawDiff {
  path: string[];
  action: 'add' | 'remove' | 'replace';
  before?: unknown;
  after?: unknown;
}

type Node = Record<string, unknown>;

/**
 * The differences between two JSON documents, most specific first: objects are compared key by
 * key; `parameters` are paired by `in` + `name` (their order means nothing); other arrays of
 * plain values (`required`, `enum`, `type`, `tags`) as sets, each added or removed value under the
 * index it has on its own side; remaining arrays item by item.
 */
export function diffJson(before: unknown, after: unknown, path: string[] = []): RawDiff[] {
  if (Object.is(before, after)) return [];
  if (isObject(before) && isObject(after)) return diffObjects(before, after, path);
  if (Array.isArray(before) && Array.isArray(after)) {
    if (path.at(-1) === 'parameters') return diffParameters(before, after, path);
    if ([...before, ...after].every((item) => !isObject(item) && !Array.isArray(item))) {
      return diffSets(before, after, path);
    }
    return diffLists(before, after, path);
  }
  return sameValue(before, after) ? [] : [{ path, action: 'replace', before, after }];
}

function diffObjects(before: Node, after: Node, path: string[]): RawDiff[] {
  const diffs: RawDiff[] = [];
  for (const [key, value] of Object.entries(before)) {
    if (!(key in after)) diffs.push({ path: [...path, key], action: 'remove', before: value });
  }
  for (const [key, value] of Object.entries(after)) {
    if (!(key in before)) diffs.push({ path: [...path, key], action: 'add', after: value });
    else diffs.push(...diffJson(before[key], value, [...path, key]));
  }
  return diffs;
}

function diffParameters(before: unknown[], after: unknown[], path: string[]): RawDiff[] {
  const key = (parameter: unknown) => {
    const { in: location, name } = (parameter ?? {}) as { in?: string; name?: string };
    return `${location}:${name}`;
  };
  const afterKeys = after.map(key);
  const beforeKeys = before.map(key);
  const diffs: RawDiff[] = [];
  before.forEach((parameter, index) => {
    const at = afterKeys.indexOf(beforeKeys[index] as string);
    if (at < 0) diffs.push({ path: [...path, String(index)], action: 'remove', before: parameter });
    // Changes inside a parameter are reported under its index on the new side.
    else diffs.push(...diffJson(parameter, after[at], [...path, String(at)]));
  });
  after.forEach((parameter, index) => {
    if (!beforeKeys.includes(afterKeys[index] as string)) {
      diffs.push({ path: [...path, String(index)], action: 'add', after: parameter });
    }
  });
  return diffs;
}

function diffSets(before: unknown[], after: unknown[], path: string[]): RawDiff[] {
  const diffs: RawDiff[] = [];
  before.forEach((value, index) => {
    if (!after.some((other) => Object.is(other, value))) {
      diffs.push({ path: [...path, String(index)], action: 'remove', before: value });
    }
  });
  after.forEach((value, index) => {
    if (!before.some((other) => Object.is(other, value))) {
      diffs.push({ path: [...path, String(index)], action: 'add', after: value });
    }
  });
  return diffs;
}

function diffLists(before: unknown[], after: unknown[], path: string[]): RawDiff[] {
  const diffs: RawDiff[] = [];
  const length = Math.max(before.length, after.length);
  for (let index = 0; index < length; index += 1) {
    const at = [...path, String(index)];
    if (index >= after.length) diffs.push({ path: at, action: 'remove', before: before[index] });
    else if (index >= before.length) diffs.push({ path: at, action: 'add', after: after[index] });
    else diffs.push(...diffJson(before[index], after[index], at));
  }
  return diffs;
}

function sameValue(before: unknown, after: unknown): boolean {
  return JSON.stringify(before) === JSON.stringify(after);
}

export function isObject(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
