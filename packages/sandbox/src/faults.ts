import { invalidParameter } from './api-error';

/**
 * A scripted failure. `path` narrows it to one API (all APIs otherwise); `count` fails the next
 * N matching calls, `rate` a fraction of them (both may be given: the first N of that fraction).
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

const KNOWN_KEYS = new Set([
  'path',
  'count',
  'rate',
  'errcode',
  'latencyMs',
  'drop',
  'malformed',
  'httpStatus',
]);

export function parseFaultRule(value: unknown): FaultRule {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidParameter(
      'a fault is a JSON object such as {"path":"/cgi-bin/externalcontact/get","errcode":-1,"count":2}',
    );
  }
  const unknown = Object.keys(value).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length > 0) throw invalidParameter(`unknown fault field(s) ${unknown.join(', ')}`);
  const rule = value as FaultRule;
  if (rule.rate !== undefined && !(rule.rate > 0 && rule.rate <= 1))
    throw invalidParameter('fault rate must be in (0, 1]');
  if (rule.count !== undefined && !(Number.isInteger(rule.count) && rule.count > 0)) {
    throw invalidParameter('fault count must be a positive integer');
  }
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

  /** The fault to apply to a call on `path`, if any; consumes one use of a counted rule. */
  pick(path: string): FaultRule | undefined {
    for (const entry of this.rules) {
      if (entry.rule.path !== undefined && entry.rule.path !== path) continue;
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
