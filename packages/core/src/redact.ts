export const REDACTED = '[redacted]';

// Secrets and tokens seen by this process. Patterns catch them where a key names them (URLs, JSON);
// the literal values catch them anywhere else, e.g. echoed back inside an errmsg or a proxy's HTML.
const MAX_SENSITIVE_VALUES = 512;
const MIN_SENSITIVE_LENGTH = 6;
const sensitiveValues = new Set<string>();

/** Makes `redact` remove this value wherever it appears from now on (a corpSecret, an access_token). */
export function registerSensitiveValue(value: string): void {
  if (value.length < MIN_SENSITIVE_LENGTH) return;
  for (const form of new Set([value, encodeURIComponent(value)])) {
    sensitiveValues.delete(form);
    sensitiveValues.add(form);
  }
  while (sensitiveValues.size > MAX_SENSITIVE_VALUES) {
    const oldest = sensitiveValues.values().next().value as string;
    sensitiveValues.delete(oldest);
  }
}

const SENSITIVE_KEY = '[a-z_]*(?:access_?token|secret)';
const QUERY_PARAMETER = new RegExp(`\\b(${SENSITIVE_KEY})=([^&#\\s"'<>,;]+)`, 'gi');
const QUOTED_PROPERTY = new RegExp(
  `(["']?)(${SENSITIVE_KEY})\\1(\\s*[:=]\\s*)(["'])(?:(?!\\4)[^\\\\]|\\\\.)*\\4`,
  'gi',
);

/** Removes access tokens and secrets from any text: URLs, JSON, messages, stacks. */
export function redact(text: string): string {
  let result = text
    .replace(QUERY_PARAMETER, `$1=${REDACTED}`)
    .replace(QUOTED_PROPERTY, `$1$2$1$3$4${REDACTED}$4`);
  for (const value of sensitiveValues) {
    if (result.includes(value)) result = result.split(value).join(REDACTED);
  }
  return result;
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
