export const REDACTED = '[redacted]';

// Secrets and tokens seen by this process. Patterns catch them where a key names them (URLs, JSON);
// the literal values catch them anywhere else, e.g. echoed back inside an errmsg or a proxy's HTML.
// A value is never dropped while it can still hurt: a secret stays while its owner (the client)
// lives, a token until it expires; only then is it forgotten.
interface Retention {
  /** Owners (clients) that hold the value; it is kept while one of them is alive (weakly: no leak). */
  owners: Set<WeakRef<object>>;
  /** Epoch ms after which the value is useless (a token); Infinity keeps it for the process's life. */
  expiresAt: number;
}

const retained = new Map<string, Retention>();
let nextPruneAt = 64;

// A value this short (a test secret like 's') would, as a substring, eat letters out of every
// word; it is removed where it stands as a word of its own, which is how a secret is echoed.
const SHORT_VALUE = 8;
/**
 * Values of SHORT_VALUE characters or more, by their first SHORT_VALUE characters. With many of
 * them (a process serving thousands of corps holds a secret and tokens for each), redact looks up
 * each position of the text once, instead of scanning the whole text once per value.
 */
const byPrefix = new Map<string, Set<string>>();
/**
 * Up to this many values, one native `includes` scan per value is cheaper than a lookup per
 * position (measured on a 70 KB answer: about 9 µs a scan, 6 ms a pass of lookups).
 */
const SCAN_PER_VALUE_UP_TO = 512;

/** Adds a long value to the prefix index, or takes it out. */
function indexValue(form: string, add: boolean): void {
  if (form.length < SHORT_VALUE) return;
  const prefix = form.slice(0, SHORT_VALUE);
  const bucket = byPrefix.get(prefix) ?? new Set<string>();
  if (add) byPrefix.set(prefix, bucket.add(form));
  else if (bucket.delete(form) && bucket.size === 0) byPrefix.delete(prefix);
}

export interface SensitiveValueRetention {
  /** Keeps the value redacted while this object (e.g. the client holding the secret) is alive. */
  owner?: object;
  /** Keeps the value redacted until this instant (epoch ms): an access token's expiry. */
  expiresAt?: number;
}

/**
 * Makes `redact` remove this value wherever it appears (a corpSecret, an access_token), also
 * URL-encoded. Without `retention` it is kept for the life of the process; with an owner, as long
 * as the owner lives; with `expiresAt`, until then. Values of any length are redacted; one shorter
 * than 8 characters only where it stands as a word of its own.
 */
export function registerSensitiveValue(
  value: string,
  { owner, expiresAt }: SensitiveValueRetention = {},
): void {
  if (!value) return;
  for (const form of [value, encodeURIComponent(value)]) {
    const entry = retained.get(form) ?? { owners: new Set(), expiresAt: 0 };
    if (!retained.has(form)) indexValue(form, true);
    entry.expiresAt = Math.max(entry.expiresAt, expiresAt ?? (owner ? 0 : Number.POSITIVE_INFINITY));
    if (owner) entry.owners.add(new WeakRef(owner));
    retained.set(form, entry);
  }
  if (retained.size >= nextPruneAt) pruneLapsed();
}

/** Forgets expired tokens and secrets whose clients are gone; amortised, so registering stays O(1). */
function pruneLapsed(): void {
  const now = Date.now();
  for (const [form, entry] of retained) {
    for (const owner of entry.owners) if (!owner.deref()) entry.owners.delete(owner);
    if (entry.expiresAt <= now && entry.owners.size === 0) {
      retained.delete(form);
      indexValue(form, false);
    }
  }
  nextPruneAt = 64 + retained.size * 2;
}

// A key ends in access_token/accesstoken/secret (corpsecret, suite_access_token, …). The leading
// `\b` matters: without it every letter of a long word starts a new match, which is quadratic.
const SENSITIVE_KEY = '\\b[a-z_]*(?:access_?token|secret)\\b';
const QUERY_PARAMETER = new RegExp(`(${SENSITIVE_KEY})=([^&#\\s"'<>,;]+)`, 'gi');
const QUOTED_PROPERTY = new RegExp(
  `(["']?)(${SENSITIVE_KEY})\\1(\\s*[:=]\\s*)(["'])(?:(?!\\4)[^\\\\]|\\\\.)*\\4`,
  'gi',
);

/** Removes access tokens and secrets from any text: URLs, JSON, messages, stacks. */
export function redact(text: string): string {
  let result = text
    .replace(QUERY_PARAMETER, `$1=${REDACTED}`)
    .replace(QUOTED_PROPERTY, `$1$2$1$3$4${REDACTED}$4`);
  // A value whose token expired is still removed until the next prune: redaction must never lapse early.
  const indexed = retained.size > SCAN_PER_VALUE_UP_TO;
  if (indexed) result = replaceIndexedValues(result);
  for (const value of retained.keys()) {
    const short = value.length < SHORT_VALUE;
    if ((indexed && !short) || !result.includes(value)) continue;
    result = short ? replaceWholeWords(result, value) : result.split(value).join(REDACTED);
  }
  return result;
}

/** One pass over the text: at each position, the longest registered value that starts there. */
function replaceIndexedValues(text: string): string {
  let result = '';
  let from = 0;
  for (let at = 0; at <= text.length - SHORT_VALUE; ) {
    const value = longestValueAt(text, at);
    if (value === undefined) {
      at += 1;
      continue;
    }
    result += text.slice(from, at) + REDACTED;
    at += value.length;
    from = at;
  }
  return from === 0 ? text : result + text.slice(from);
}

function longestValueAt(text: string, at: number): string | undefined {
  const bucket = byPrefix.get(text.slice(at, at + SHORT_VALUE));
  if (!bucket) return undefined;
  let longest: string | undefined;
  for (const value of bucket) {
    if (value.length > (longest?.length ?? 0) && text.startsWith(value, at)) longest = value;
  }
  return longest;
}

const WORD_CHARACTER = /[A-Za-z0-9_-]/;

function replaceWholeWords(text: string, value: string): string {
  let result = '';
  let from = 0;
  for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + value.length)) {
    const before = text[at - 1];
    const after = text[at + value.length];
    if ((before && WORD_CHARACTER.test(before)) || (after && WORD_CHARACTER.test(after))) continue;
    result += text.slice(from, at) + REDACTED;
    from = at + value.length;
  }
  return result + text.slice(from);
}

export function redactUrl(url: string | URL): string {
  return redact(String(url));
}

const MAX_DEPTH = 6;
const errorsRedactedAtBirth = new WeakSet<Error>();

/** Marks an error whose message and cause were redacted when it was made, so copies keep its class. */
export function markRedacted(error: Error): void {
  errorsRedactedAtBirth.add(error);
}

/**
 * A copy of `value` with every string redacted: plain objects, arrays and errors (message, stack,
 * code, cause) are copied; errors created by wecom-kit are already redacted and kept as they are.
 */
export function redactValue<T>(value: T): T {
  return copyRedacted(value, 0, new WeakSet()) as T;
}

function copyRedacted(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redact(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value) || depth > MAX_DEPTH) return '[omitted]';
  seen.add(value);
  if (value instanceof Error) {
    if (errorsRedactedAtBirth.has(value)) return value;
    return copyError(value, depth, seen);
  }
  if (Array.isArray(value)) return value.map((item) => copyRedacted(item, depth + 1, seen));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return redact(String(value));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, copyRedacted(item, depth + 1, seen)]),
  );
}

function copyError(error: Error, depth: number, seen: WeakSet<object>): Error {
  const copy = new Error(redact(error.message));
  copy.name = error.name;
  copy.stack = error.stack === undefined ? undefined : redact(error.stack);
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' || typeof code === 'number') Object.assign(copy, { code });
  if (error.cause !== undefined) copy.cause = copyRedacted(error.cause, depth + 1, seen);
  return copy;
}
