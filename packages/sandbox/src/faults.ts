import { invalidParameter } from './api-error';

/**
 * A scripted failure. `path` narrows it to one API (every business API otherwise; a rule fails
 * token fetches only when its path is /cgi-bin/gettoken); `count` fails the next N matching calls,
 * `rate` a fraction of them (both may be given: the first N of that fraction).
 */
export interface FaultRule {
  path?: string;
  count?: number;
  rate?: number;
  /** Answer with this business errcode; nothing is applied. */
  errcode?: number;
  /** Delay the answer; the call then proceeds normally (or with the other fault given). */
  latencyMs?: number;
  /** Apply the call, then close the connection without answering (outcome unknown to the client). */
  drop?: boolean;
  /** Apply the call, then answer with a truncated, unparseable body. */
  malformed?: boolean;
  /** Answer with this HTTP status and an HTML error page, as a gateway would; nothing is applied. */
  httpStatus?: number;
}

/** The longest latency a fault may add: longer would hold connections (and tests) for minutes. */
export const MAX_FAULT_LATENCY_MS = 60_000;
const MAX_FAULT_COUNT = 1_000_000;

type FieldCheck = (value: unknown) => string | undefined;

const isInteger = (value: unknown, min: number, max: number) =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

// One check per field: the same rules for `--fault` and POST /__sandbox/faults. Each returns what
// the field must be when the value is wrong.
const FIELD_CHECKS: Record<keyof FaultRule, FieldCheck> = {
  path: (value) =>
    typeof value === 'string' && /^\/\S*$/.test(value) ? undefined : 'a path such as /cgi-bin/gettoken',
  count: (value) =>
    isInteger(value, 1, MAX_FAULT_COUNT) ? undefined : `an integer from 1 to ${MAX_FAULT_COUNT}`,
  rate: (value) => (typeof value === 'number' && value > 0 && value <= 1 ? undefined : 'a number in (0, 1]'),
  errcode: (value) =>
    typeof value === 'number' && Number.isInteger(value) && value !== 0
      ? undefined
      : 'a non-zero integer errcode (0 is success, not a fault)',
  latencyMs: (value) =>
    isInteger(value, 0, MAX_FAULT_LATENCY_MS) ? undefined : `an integer from 0 to ${MAX_FAULT_LATENCY_MS}`,
  drop: (value) => (typeof value === 'boolean' ? undefined : 'true or false'),
  malformed: (value) => (typeof value === 'boolean' ? undefined : 'true or false'),
  httpStatus: (value) => (isInteger(value, 200, 599) ? undefined : 'an HTTP status from 200 to 599'),
};

/**
 * Checks a fault rule, from the CLI's --fault or the control API alike: unknown fields and values
 * of the wrong type or range are refused with a message that names the field.
 */
export function parseFaultRule(value: unknown): FaultRule {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidParameter(
      'a fault is a JSON object such as {"path":"/cgi-bin/externalcontact/get","errcode":-1,"count":2}',
    );
  }
  const fields = Object.entries(value);
  const unknown = fields.filter(([key]) => !Object.hasOwn(FIELD_CHECKS, key)).map(([key]) => key);
  if (unknown.length > 0) {
    throw invalidParameter(
      `unknown fault field(s) ${unknown.join(', ')}; a fault has ${Object.keys(FIELD_CHECKS).join(', ')}`,
    );
  }
  for (const [key, field] of fields) {
    const expected = FIELD_CHECKS[key as keyof FaultRule](field);
    if (expected) throw invalidParameter(`fault ${key} must be ${expected}, got ${JSON.stringify(field)}`);
  }
  const rule = value as FaultRule;
  const effects = [
    rule.errcode !== undefined,
    rule.drop,
    rule.malformed,
    rule.httpStatus !== undefined,
    rule.latencyMs !== undefined,
  ];
  if (!effects.some(Boolean))
    throw invalidParameter('a fault needs one of errcode, latencyMs, drop, malformed, httpStatus');
  return { ...rule };
}

/** Keeps the active fault rules and decides, per call, which one fires. */
export class FaultInjector {
  private rules: { rule: FaultRule; remaining: number | undefined }[] = [];

  constructor(private readonly random: () => number) {}

  add(rule: FaultRule): void {
    this.rules.push({ rule, remaining: rule.count });
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map(({ rule, remaining }) => ({
      ...rule,
      ...(remaining !== undefined && { count: remaining }),
    }));
  }

  /**
   * The fault to apply to a call on `path`, if any; consumes one use of a counted rule. With
   * `namedOnly` (gettoken), rules without a path do not apply: only a rule naming the path does.
   */
  pick(path: string, namedOnly = false): FaultRule | undefined {
    for (const entry of this.rules) {
      if (entry.rule.path === undefined ? namedOnly : entry.rule.path !== path) continue;
      if (entry.rule.rate !== undefined && this.random() >= entry.rule.rate) continue;
      if (entry.remaining !== undefined) {
        entry.remaining -= 1;
        if (entry.remaining <= 0) this.rules = this.rules.filter((candidate) => candidate !== entry);
      }
      return entry.rule;
    }
    return undefined;
  }
}
