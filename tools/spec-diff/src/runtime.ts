import type { ChangeKind } from './compare';
import { PACKAGES } from './packages';
import { show } from './schema-change';

/** A change of what the runtime does, read from the `x-wecom-*` extensions of one operation. */
export interface RuntimeFinding {
  kind: ChangeKind;
  /** The extension that changed, e.g. `x-wecom-window`. */
  key: string;
  message: string;
  /** For breaking findings: what goes wrong at runtime for a user who upgrades. */
  impact?: string;
  packages: string[];
}

type Operation = Record<string, unknown>;
type Rule = Record<string, unknown> | undefined;

const PAGINATION_FIELDS = [
  'style',
  'itemsField',
  'cursorParam',
  'nextCursorField',
  'offsetParam',
  'nextOffsetField',
  'totalField',
  'pageParam',
  'isLastField',
  'limitParam',
];

/**
 * The runtime rules each `x-wecom-*` change is judged by, direction-aware: a change is breaking
 * when the runtime would now do something WeCom refuses or the caller did not ask for (retry a
 * write, page on the wrong field, send a longer window or faster than allowed, stop refetching),
 * and non-breaking in the safe direction.
 */
export function diffRuntimeRules(before: Operation, after: Operation): RuntimeFinding[] {
  return [
    ...idempotency(before['x-wecom-idempotent'], after['x-wecom-idempotent']),
    ...pagination(before['x-wecom-pagination'] as Rule, after['x-wecom-pagination'] as Rule),
    ...timeWindow(before['x-wecom-window'] as Rule, after['x-wecom-window'] as Rule),
    ...rateLimit(before['x-wecom-rate-limit'] as Rule, after['x-wecom-rate-limit'] as Rule),
    ...invalidation(before['x-wecom-invalidates'], after['x-wecom-invalidates']),
  ];
}

function idempotency(before: unknown, after: unknown): RuntimeFinding[] {
  if (before === after) return [];
  const key = 'x-wecom-idempotent';
  if (after === true) {
    return [
      {
        kind: 'breaking',
        key,
        message: `x-wecom-idempotent ${show(before)} → true`,
        impact:
          'the runtime retries this write on any transient failure, so one call can take effect twice, and the hooks package offers it as a query instead of a mutation',
        packages: [PACKAGES.client],
      },
    ];
  }
  return [
    {
      kind: 'non-breaking',
      key,
      message: `x-wecom-idempotent ${show(before)} → ${show(after)}: retried only on answers that prove nothing happened`,
      packages: [],
    },
  ];
}

function pagination(before: Rule, after: Rule): RuntimeFinding[] {
  const key = 'x-wecom-pagination';
  const findings: RuntimeFinding[] = [];
  for (const field of PAGINATION_FIELDS) {
    if (before?.[field] === after?.[field]) continue;
    const added = before?.[field] === undefined && field !== 'style';
    findings.push({
      kind: added && field === 'limitParam' ? 'non-breaking' : 'breaking',
      key,
      message: `x-wecom-pagination.${field} ${show(before?.[field])} → ${show(after?.[field])}`,
      impact:
        'paginate() and the infinite hooks read or send a different field: they yield nothing, stop after the first page, or repeat it',
      packages: [PACKAGES.client],
    });
  }
  const raised = numberChange(before?.maxLimit, after?.maxLimit);
  if (raised !== undefined) {
    findings.push({
      kind: raised ? 'breaking' : 'non-breaking',
      key,
      message: `x-wecom-pagination.maxLimit ${show(before?.maxLimit)} → ${show(after?.maxLimit)}`,
      ...(raised && {
        impact: 'the runtime asks for pages larger than WeCom serves: it clamps or falls back to its default',
      }),
      packages: raised ? [PACKAGES.client] : [],
    });
  }
  return findings;
}

function timeWindow(before: Rule, after: Rule): RuntimeFinding[] {
  const key = 'x-wecom-window';
  if (before === undefined && after === undefined) return [];
  if (after === undefined) {
    return [
      {
        kind: 'breaking',
        key,
        message: 'x-wecom-window removed',
        impact: 'the runtime no longer splits long ranges: WeCom rejects any range over its limit',
        packages: [PACKAGES.client],
      },
    ];
  }
  if (before === undefined) {
    return [
      {
        kind: 'non-breaking',
        key,
        message: `x-wecom-window added (maxDays ${show(after.maxDays)})`,
        packages: [],
      },
    ];
  }
  const findings: RuntimeFinding[] = [];
  for (const field of ['maxDays', 'maxAgeDays'] as const) {
    // No maxAgeDays means no look-back limit: adding one lowers the limit, removing one raises it.
    const limit = (rule: Record<string, unknown>) => rule[field] ?? Number.POSITIVE_INFINITY;
    const raised = numberChange(limit(before), limit(after));
    if (raised === undefined) continue;
    findings.push({
      kind: raised ? 'breaking' : 'non-breaking',
      key,
      message: `x-wecom-window.${field} ${show(before[field])} → ${show(after[field])}`,
      ...(raised && {
        impact:
          field === 'maxDays'
            ? 'the runtime sends windows longer than WeCom accepts: those calls fail'
            : 'the runtime sends starts further back than WeCom serves: those calls fail',
      }),
      packages: raised ? [PACKAGES.client] : [],
    });
  }
  for (const field of ['interval', 'unit', 'startField', 'endField'] as const) {
    if (before[field] === after[field]) continue;
    findings.push({
      kind: 'breaking',
      key,
      message: `x-wecom-window.${field} ${show(before[field])} → ${show(after[field])}`,
      impact: 'consecutive windows now overlap or leave gaps, so items are fetched twice or missed',
      packages: [PACKAGES.client],
    });
  }
  return findings;
}

function rateLimit(before: Rule, after: Rule): RuntimeFinding[] {
  const key = 'x-wecom-rate-limit';
  const was = before?.perMinute;
  const now = after?.perMinute;
  if (was === now) return [];
  // No declared limit means the default of 10,000 calls a minute: removing one raises it.
  const raised = now === undefined || (typeof was === 'number' && Number(now) > was);
  return [
    {
      kind: raised ? 'breaking' : 'non-breaking',
      key,
      message: `x-wecom-rate-limit.perMinute ${show(was, 'default')} → ${show(now, 'default')}`,
      ...(raised && {
        impact: 'the runtime sends faster than WeCom allows: calls fail with 45009 and the corp is paused',
      }),
      packages: raised ? [PACKAGES.client] : [],
    },
  ];
}

function invalidation(before: unknown, after: unknown): RuntimeFinding[] {
  const was = Array.isArray(before) ? (before as string[]) : [];
  const now = Array.isArray(after) ? (after as string[]) : [];
  const removed = was.filter((id) => !now.includes(id));
  const added = now.filter((id) => !was.includes(id));
  const findings: RuntimeFinding[] = [];
  if (removed.length > 0) {
    findings.push({
      kind: 'breaking',
      key: 'x-wecom-invalidates',
      message: `x-wecom-invalidates no longer lists ${removed.join(', ')}`,
      impact: `after this write the hooks keep showing cached ${removed.join(', ')} results, now stale`,
      packages: [PACKAGES.reactHooks],
    });
  }
  if (added.length > 0) {
    findings.push({
      kind: 'non-breaking',
      key: 'x-wecom-invalidates',
      message: `x-wecom-invalidates now lists ${added.join(', ')}`,
      packages: [],
    });
  }
  return findings;
}

/** true when raised, false when lowered, undefined when unchanged or not both numbers. */
function numberChange(before: unknown, after: unknown): boolean | undefined {
  if (typeof before !== 'number' || typeof after !== 'number' || before === after) return undefined;
  return after > before;
}
