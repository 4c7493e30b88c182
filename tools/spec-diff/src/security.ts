import type { OperationRef, SpecChange } from './compare';
import { PACKAGES } from './packages';
import { show } from './schema-change';

type Document = Record<string, unknown>;
/** Each operation with its own `security` (undefined: it inherits the document's). */
export type OperationsWithSecurity = Map<string, { ref: OperationRef; security: unknown }>;

const LISTED = 5;

/**
 * Security schemes compared one by one, old → new, with the operations that use the scheme: core
 * places the token where the scheme says (the `access_token` query parameter), so a scheme that
 * moves the token breaks every call that sends it. The root `security` is compared the same way.
 */
export function diffSecurity(
  before: Document,
  after: Document,
  operations: { before: OperationsWithSecurity; after: OperationsWithSecurity },
): SpecChange[] {
  const schemes = (spec: Document) =>
    ((spec.components as Document | undefined)?.securitySchemes ?? {}) as Record<string, Document>;
  const beforeSchemes = schemes(before);
  const afterSchemes = schemes(after);
  const changes: SpecChange[] = [];
  for (const name of new Set([...Object.keys(beforeSchemes), ...Object.keys(afterSchemes)])) {
    const was = beforeSchemes[name];
    const now = afterSchemes[name];
    const fields = ['type', 'in', 'name', 'scheme', 'bearerFormat'].filter(
      (field) => was?.[field] !== now?.[field],
    );
    if (was && now && fields.length === 0) continue;
    const what = !was
      ? 'added'
      : !now
        ? 'removed'
        : fields.map((field) => `${field} ${show(was[field])} → ${show(now[field])}`).join(', ');
    const users = now
      ? usersOf(name, operations.after, after.security)
      : usersOf(name, operations.before, before.security);
    const breaking = was !== undefined && users.length > 0;
    changes.push({
      kind: breaking ? 'breaking' : 'non-breaking',
      area: 'runtime',
      message: `security scheme \`${name}\`: ${what}; ${affected(users)}`,
      pointer: `/components/securitySchemes/${name}`,
      ...(breaking && {
        impact: `core still sends the token as the access_token query parameter, so ${users.length} operation${users.length === 1 ? '' : 's'} fail authentication until core follows`,
        packages: [PACKAGES.core, PACKAGES.client],
      }),
    });
  }
  const globalBefore = JSON.stringify(before.security ?? []);
  const globalAfter = JSON.stringify(after.security ?? []);
  if (globalBefore !== globalAfter) {
    const users = [...operations.after.values()]
      .filter(({ security }) => security === undefined)
      .map(({ ref }) => ref);
    changes.push({
      kind: 'breaking',
      area: 'runtime',
      message: `global security ${globalBefore} → ${globalAfter}; ${affected(users)}`,
      pointer: '/security',
      impact:
        'operations without their own security now expect another credential than the one the runtime sends',
      packages: [PACKAGES.core, PACKAGES.client],
    });
  }
  return changes;
}

/** The operations that use a scheme, by their own `security` or else the document's. */
function usersOf(scheme: string, operations: OperationsWithSecurity, global: unknown): OperationRef[] {
  return [...operations.values()]
    .filter(({ security }) =>
      (Array.isArray(security ?? global) ? ((security ?? global) as unknown[]) : []).some(
        (requirement) => scheme in (requirement as object),
      ),
    )
    .map(({ ref }) => ref);
}

function affected(users: OperationRef[]): string {
  if (users.length === 0) return 'no operation uses it';
  const names = users.map((user) => user.operationId).sort();
  const more = names.length > LISTED ? ` and ${names.length - LISTED} more` : '';
  return `affects ${users.length} operation${users.length === 1 ? '' : 's'}: ${names.slice(0, LISTED).join(', ')}${more}`;
}
