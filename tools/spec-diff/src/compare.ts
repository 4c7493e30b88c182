import { diffErrcodeCatalogs } from './errcodes';
import { normalizeSpec } from './normalize';
import { judgeOperationChange } from './operation-change';
import { hookExportsOf, PACKAGES, packagesOfOperation } from './packages';
import { diffRuntimeRules } from './runtime';
import { verb } from './schema-change';
import { diffSecurity, type OperationsWithSecurity } from './security';
import { diffJson, type RawDiff } from './walk';

export type ChangeKind = 'breaking' | 'non-breaking' | 'documentation';

export interface OperationRef {
  operationId: string;
  method: string;
  path: string;
}

export interface SpecChange {
  kind: ChangeKind;
  /**
   * `runtime`: what the runtime does (the `x-wecom-*` rules, errcode classes, where the token
   * goes), shown first as "Runtime behaviour". `api`: the operations, their types and their docs.
   */
  area: 'runtime' | 'api';
  /** Absent for changes to the document as a whole (info, tags, the errcode catalog). */
  operation?: OperationRef;
  message: string;
  /** Where the change sits in the bundled spec, as a JSON pointer. */
  pointer: string;
  /** Breaking changes: what goes wrong at runtime for a user who upgrades. */
  impact?: string;
  /** Breaking changes: the published packages that need a major bump for it. */
  packages?: string[];
  /** The line of spec/ the change is written at (added by run.ts; removals point into the base). */
  source?: { side: 'base' | 'head'; file: string; line: number };
}

export type OpenApiDocument = Record<string, unknown> & {
  paths?: Record<string, Record<string, unknown>>;
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const KIND_ORDER: ChangeKind[] = ['breaking', 'non-breaking', 'documentation'];
/** Root keys that only change what readers see, never what a client sends or receives. */
const DOCUMENT_KEYS = new Set(['info', 'tags', 'x-tagGroups', 'externalDocs']);

interface Operation {
  ref: OperationRef;
  root: 'paths' | 'webhooks';
  value: Record<string, unknown>;
}

/**
 * Compares two bundled specs and classifies every change in wecom-kit's terms. Both sides are
 * normalized first (references inlined, `allOf` merged), so a change in a shared component shows
 * at every operation and webhook that uses it. Each change is judged by which way its data flows
 * (see schema-change.ts), the `x-wecom-*` rules by what the runtime then does (runtime.ts).
 */
export function diffSpecs(before: OpenApiDocument, after: OpenApiDocument): SpecChange[] {
  const hooks = { before: hookExportsOf(before), after: hookExportsOf(after) };
  const normalized = { before: normalizeSpec(before), after: normalizeSpec(after) };
  const operations = { before: operationsOf(normalized.before), after: operationsOf(normalized.after) };
  const changes: SpecChange[] = diffErrcodeCatalogs(before['x-wecom-errcodes'], after['x-wecom-errcodes']);
  const moved = findMovedOperations(operations.before, operations.after, hooks.before);
  changes.push(...moved.changes);
  changes.push(...diffSecurity(normalized.before, normalized.after, securityOf(operations)));
  changes.push(...diffSameOperations(operations, hooks));

  const context = { ...normalized, operations, hooks, movedRoutes: moved.routes };
  for (const diff of diffJson(withoutCatalog(normalized.before), withoutCatalog(normalized.after))) {
    for (const single of perOperation(diff)) {
      const change = classify(single, context);
      if (change) changes.push(change);
    }
  }
  return sortChanges(mergeNewRequiredFields(dedupe(changes)));
}

interface Context {
  before: OpenApiDocument;
  after: OpenApiDocument;
  operations: { before: Map<string, Operation>; after: Map<string, Operation> };
  hooks: { before: Map<string, string[]>; after: Map<string, string[]> };
  movedRoutes: Set<string>;
}

/** A whole path item or webhook added or removed is reported once per operation in it. */
function perOperation(diff: RawDiff): RawDiff[] {
  const [root] = diff.path;
  if ((root !== 'paths' && root !== 'webhooks') || diff.path.length !== 2) return [diff];
  const item = (diff.action === 'add' ? diff.after : diff.before) as Record<string, unknown>;
  return METHODS.filter((name) => item?.[name] !== undefined).map((name) => ({
    path: [...diff.path, name],
    action: diff.action,
    ...(diff.action === 'add' ? { after: item[name] } : { before: item[name] }),
  }));
}

function classify(diff: RawDiff, context: Context): SpecChange | undefined {
  const path = diff.path;
  const pointer = toPointer(path);
  const [root, apiPath, method] = path;
  if (root === 'components' && path[1] === 'securitySchemes') return undefined;
  if (root === 'security') return undefined;
  if (root !== 'paths' && root !== 'webhooks') {
    const kind: ChangeKind = DOCUMENT_KEYS.has(root ?? '') ? 'documentation' : 'non-breaking';
    return { kind, area: 'api', message: `${path.join('.')} ${verb(diff)}`, pointer };
  }
  if (apiPath === undefined || method === undefined) return undefined;
  if (!METHODS.includes(method)) {
    // Path-level parameters and summaries are rare; report them at the path item.
    return {
      kind: 'non-breaking',
      area: 'api',
      message: `${apiPath}: ${path.slice(2).join('.')} ${verb(diff)}`,
      pointer,
    };
  }
  const rest = path.slice(3);
  // The x-wecom-* runtime rules are compared whole, per operation (diffSameOperations).
  if (rest[0]?.startsWith('x-wecom-') && rest[0] !== 'x-wecom-errcodes') return undefined;
  const route = routeOf(root, apiPath, method);
  if (rest.length === 0 && context.movedRoutes.has(route)) return undefined;
  const operation =
    diff.action === 'remove'
      ? context.operations.before.get(route)
      : (context.operations.after.get(route) ?? context.operations.before.get(route));
  const judged = judgeOperationChange(diff, rest, {
    before: context.before,
    after: context.after,
    root,
    apiPath,
    method,
  });
  const change: SpecChange = {
    kind: judged.kind,
    area: 'api',
    ...(operation && { operation: operation.ref }),
    message: judged.message,
    pointer,
  };
  if (judged.kind !== 'breaking') return change;
  const webhook = root === 'webhooks';
  return {
    ...change,
    impact: impactOf(rest[0], webhook),
    packages: webhook
      ? [PACKAGES.core]
      : // Hooks are named after the operationId users have now: the base's.
        packagesOfOperation(
          context.hooks.before,
          (context.operations.before.get(route) ?? operation)?.ref.operationId,
        ),
  };
}

function impactOf(key: string | undefined, webhook: boolean): string {
  if (webhook) {
    return key === undefined
      ? 'the handler for this event is gone: its events reach only the catch-all'
      : 'handlers typed from the old payload read a field that is gone or holds another type';
  }
  if (key === undefined || key === 'operationId')
    return 'code calling this operation by its old name or route no longer compiles or runs';
  if (key === 'responses') return 'code reading the response gets values its types no longer promise';
  if (key === 'security')
    return 'the runtime sends or withholds the token differently from what WeCom expects';
  return 'calls written against the old types no longer compile, or WeCom rejects what they send';
}

/** Operations present on both sides (by operationId): their runtime rules and their hook exports. */
function diffSameOperations(operations: Context['operations'], hooks: Context['hooks']): SpecChange[] {
  const afterById = new Map(
    [...operations.after.values()].map((operation) => [operation.ref.operationId, operation]),
  );
  const changes: SpecChange[] = [];
  for (const before of operations.before.values()) {
    const after = afterById.get(before.ref.operationId);
    if (!after) continue;
    const base = toPointer([
      after.root,
      after.ref.path,
      after.root === 'webhooks' ? 'post' : after.ref.method.toLowerCase(),
    ]);
    for (const finding of diffRuntimeRules(before.value, after.value)) {
      changes.push({
        kind: finding.kind,
        area: 'runtime',
        operation: after.ref,
        message: finding.message,
        pointer: `${base}/${finding.key}`,
        ...(finding.impact && { impact: finding.impact }),
        ...(finding.kind === 'breaking' && { packages: finding.packages }),
      });
    }
    const was = hooks.before.get(before.ref.operationId) ?? [];
    const now = hooks.after.get(before.ref.operationId) ?? [];
    const removed = was.filter((hook) => !now.includes(hook));
    const added = now.filter((hook) => !was.includes(hook));
    const names = (list: string[]) => list.map((name) => `\`${name}\``).join(', ');
    if (removed.length > 0) {
      changes.push({
        kind: 'breaking',
        area: 'api',
        operation: after.ref,
        message: `${PACKAGES.reactHooks} exports removed: ${names(removed)}`,
        pointer: base,
        impact: `imports of ${removed.join(', ')} no longer compile`,
        packages: [PACKAGES.reactHooks],
      });
    }
    if (added.length > 0) {
      changes.push({
        kind: 'non-breaking',
        area: 'api',
        operation: after.ref,
        message: `${PACKAGES.reactHooks} exports added: ${names(added)}`,
        pointer: base,
      });
    }
  }
  return changes;
}

/** "field `x` added" and "field `x` is now required" at the same place read better as one line. */
function mergeNewRequiredFields(changes: SpecChange[]): SpecChange[] {
  const key = (change: SpecChange, message: string) => `${change.operation?.operationId ?? ''}|${message}`;
  const requiredBy = new Map<string, SpecChange>();
  for (const change of changes) {
    if (!change.message.endsWith(' is now required')) continue;
    requiredBy.set(key(change, change.message.replace(/ is now required$/, ' added')), change);
  }
  const consumed = new Set<SpecChange>();
  const merged = changes.map((change) => {
    const required = requiredBy.get(key(change, change.message));
    if (!required) return change;
    consumed.add(required);
    // The requirement decides the kind: breaking for what a client sends, not for what it reads.
    return {
      ...required,
      pointer: change.pointer,
      message: change.message.replace(/field (`[^`]+`) added$/, 'required field $1 added'),
    };
  });
  return merged.filter((change) => !consumed.has(change));
}

function routeOf(root: string, apiPath: string, method: string): string {
  return root === 'webhooks' ? `WEBHOOK ${apiPath}` : `${method.toUpperCase()} ${apiPath}`;
}

/** Operations by route (`POST /path`), and webhooks as `WEBHOOK <name>`. */
function operationsOf(spec: OpenApiDocument): Map<string, Operation> {
  const operations = new Map<string, Operation>();
  for (const root of ['paths', 'webhooks'] as const) {
    const items = (spec[root] ?? {}) as Record<string, Record<string, unknown>>;
    for (const [path, item] of Object.entries(items)) {
      for (const method of METHODS) {
        const value = item?.[method] as (Record<string, unknown> & { operationId?: string }) | undefined;
        if (!value) continue;
        const route = routeOf(root, path, method);
        const label = root === 'webhooks' ? 'WEBHOOK' : method.toUpperCase();
        operations.set(route, {
          ref: { operationId: value.operationId ?? route, method: label, path },
          root,
          value,
        });
      }
    }
  }
  return operations;
}

function securityOf(operations: Context['operations']): {
  before: OperationsWithSecurity;
  after: OperationsWithSecurity;
} {
  const pick = (map: Map<string, Operation>): OperationsWithSecurity =>
    new Map(
      [...map]
        .filter(([, operation]) => operation.root === 'paths')
        .map(([route, operation]) => [route, { ref: operation.ref, security: operation.value.security }]),
    );
  return { before: pick(operations.before), after: pick(operations.after) };
}

/** An operationId that now lives at another method or path: callers of the old URL break. */
function findMovedOperations(
  beforeOps: Map<string, Operation>,
  afterOps: Map<string, Operation>,
  hooks: Map<string, string[]>,
): { changes: SpecChange[]; routes: Set<string> } {
  const afterById = new Map(
    [...afterOps.values()].map((operation) => [operation.ref.operationId, operation.ref]),
  );
  const changes: SpecChange[] = [];
  const routes = new Set<string>();
  for (const [route, { ref: operation, root }] of beforeOps) {
    if (root !== 'paths') continue;
    const now = afterById.get(operation.operationId);
    if (!now || afterOps.get(route)?.ref.operationId === operation.operationId) continue;
    const nowRoute = `${now.method} ${now.path}`;
    if (afterOps.has(route) || beforeOps.has(nowRoute)) continue;
    routes.add(route);
    routes.add(nowRoute);
    changes.push({
      kind: 'breaking',
      area: 'api',
      operation: now,
      message: `moved from ${route} to ${nowRoute}`,
      pointer: toPointer(['paths', now.path, now.method.toLowerCase()]),
      impact: 'a client built from the old spec calls the old route, which WeCom no longer serves',
      packages: packagesOfOperation(hooks, operation.operationId),
    });
  }
  return { changes, routes };
}

function withoutCatalog(spec: OpenApiDocument): OpenApiDocument {
  const { 'x-wecom-errcodes': _catalog, ...rest } = spec;
  return rest;
}

export function toPointer(path: string[]): string {
  return `/${path.map((segment) => segment.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
}

function dedupe(changes: SpecChange[]): SpecChange[] {
  const seen = new Set<string>();
  return changes.filter((change) => {
    const key = `${change.kind}|${change.operation?.operationId ?? ''}|${change.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sortChanges(changes: SpecChange[]): SpecChange[] {
  const areaRank = (change: SpecChange) => (change.area === 'runtime' ? 0 : 1);
  return changes.sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      areaRank(a) - areaRank(b) ||
      (a.operation?.operationId ?? '').localeCompare(b.operation?.operationId ?? '') ||
      a.pointer.localeCompare(b.pointer) ||
      a.message.localeCompare(b.message),
  );
}
