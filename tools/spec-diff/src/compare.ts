import { apiCompare, type Diff } from 'api-smart-diff';
import { describeOperationChange } from './describe';
import { diffErrcodeCatalogs } from './errcodes';

export type ChangeKind = 'breaking' | 'non-breaking' | 'documentation';

export interface OperationRef {
  operationId: string;
  method: string;
  path: string;
}

export interface SpecChange {
  kind: ChangeKind;
  /** Absent for changes to the document as a whole (info, tags, the errcode catalog). */
  operation?: OperationRef;
  message: string;
  /** Where the change sits in the bundled spec, as a JSON pointer. */
  pointer: string;
}

export type OpenApiDocument = Record<string, unknown> & {
  paths?: Record<string, Record<string, unknown>>;
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const KIND_ORDER: ChangeKind[] = ['breaking', 'non-breaking', 'documentation'];
/** Root keys that only change what readers see, never what a client sends or receives. */
const DOCUMENT_KEYS = new Set(['info', 'tags', 'x-tagGroups', 'externalDocs']);
/** Operation keys that only change the reference and the portal. */
const OPERATION_DOC_KEYS = new Set(['summary', 'description', 'externalDocs', 'tags', 'x-codeSamples']);

/**
 * Compares two bundled specs and classifies every change in wecom-kit's terms. api-smart-diff
 * finds the changes and gives a first classification; the rules below override it where our
 * contract is stricter than its defaults: a client generated from the spec breaks when a
 * response field it reads disappears or changes type, and an operationId is public API.
 */
export function diffSpecs(before: OpenApiDocument, after: OpenApiDocument): SpecChange[] {
  const changes: SpecChange[] = diffErrcodeCatalogs(before['x-wecom-errcodes'], after['x-wecom-errcodes']);
  const beforeOps = operationsOf(before);
  const afterOps = operationsOf(after);
  const moved = findMovedOperations(beforeOps, afterOps);
  changes.push(...moved.changes);

  // The catalog is compared by code above: the library would pair its rows by array index.
  const { diffs } = apiCompare(withoutErrcodeCatalog(before), withoutErrcodeCatalog(after));
  for (const diff of diffs) {
    const change = classify(diff, { before, after, beforeOps, afterOps, movedRoutes: moved.routes });
    if (change) changes.push(change);
  }
  return sortChanges(mergeNewRequiredFields(dedupe(changes)));
}

/** "field `x` added" and "field `x` is now required" at the same place read better as one line. */
function mergeNewRequiredFields(changes: SpecChange[]): SpecChange[] {
  const key = (change: SpecChange, message: string) => `${change.operation?.operationId ?? ''}|${message}`;
  const nowRequired = new Set(
    changes
      .filter((change) => change.message.endsWith(' is now required'))
      .map((change) => key(change, change.message.replace(/ is now required$/, ' added'))),
  );
  const merged: SpecChange[] = [];
  for (const change of changes) {
    if (nowRequired.has(key(change, change.message))) {
      merged.push({
        ...change,
        kind: 'breaking',
        message: change.message.replace(/field (`[^`]+`) added$/, 'required field $1 added'),
      });
      continue;
    }
    const added = key(change, change.message.replace(/ is now required$/, ' added'));
    if (
      change.message.endsWith(' is now required') &&
      changes.some((other) => key(other, other.message) === added)
    )
      continue;
    merged.push(change);
  }
  return merged;
}

interface Context {
  before: OpenApiDocument;
  after: OpenApiDocument;
  beforeOps: Map<string, OperationRef>;
  afterOps: Map<string, OperationRef>;
  movedRoutes: Set<string>;
}

function classify(diff: Diff, context: Context): SpecChange | undefined {
  const path = diff.path.map(String);
  const pointer = toPointer(path);
  const [root, apiPath, method] = path;
  // $refs are resolved by the library, so a component change is reported at every operation
  // that uses it; the component itself adds nothing a reader of the changelog needs.
  if (root === 'components' && (path[1] === 'schemas' || path[1] === 'responses' || path[1] === 'examples')) {
    return undefined;
  }
  const isOperation = root === 'paths' || root === 'webhooks';
  if (!isOperation || apiPath === undefined) {
    const kind: ChangeKind = DOCUMENT_KEYS.has(root ?? '') ? 'documentation' : libraryKind(diff);
    return { kind, message: `${path.join('.')} ${verbOf(diff)}`, pointer };
  }
  if (method === undefined) return undefined;
  if (!METHODS.includes(method)) {
    // Path-level parameters and summaries are rare; report them at the path item.
    return {
      kind: libraryKind(diff),
      message: `${apiPath}: ${path.slice(2).join('.')} ${verbOf(diff)}`,
      pointer,
    };
  }
  const webhook = root === 'webhooks';
  const route = webhook ? `WEBHOOK ${apiPath}` : `${method.toUpperCase()} ${apiPath}`;
  const operations = (side: 'before' | 'after') =>
    webhook ? webhooksOf(context[side]) : side === 'before' ? context.beforeOps : context.afterOps;
  const operation =
    diff.action === 'remove'
      ? operations('before').get(route)
      : (operations('after').get(route) ?? operations('before').get(route));
  const rest = path.slice(3);
  if (rest.length === 0 && context.movedRoutes.has(route)) return undefined;
  const message = describeOperationChange(diff, rest, {
    before: context.before,
    after: context.after,
    root: webhook ? 'webhooks' : 'paths',
    apiPath,
    method,
  });
  return {
    kind: kindOfOperationChange(diff, rest, webhook),
    ...(operation && { operation }),
    message: webhook ? message.replace(/^request body: /, 'payload: ') : message,
    pointer,
  };
}

/**
 * A webhook's request body is what WeCom sends and the receiver reads, so it is judged like a
 * response: a field that disappears or changes type breaks the handler.
 */
function kindOfOperationChange(diff: Diff, rest: string[], webhook = false): ChangeKind {
  const [key] = rest;
  if (key === 'operationId') return 'breaking';
  if (key !== undefined && OPERATION_DOC_KEYS.has(key)) return 'documentation';
  if (key === 'x-wecom-errcodes') return 'documentation';
  if (rest.includes('examples') || rest.includes('example')) return 'documentation';
  if (key === 'responses' || (webhook && key === 'requestBody')) {
    const schemaAt = rest.indexOf('schema');
    if (schemaAt >= 0) {
      const inSchema = rest.slice(schemaAt + 1);
      const last = inSchema.at(-1);
      const removedField = diff.action === 'remove' && inSchema.at(-2) === 'properties';
      const retyped = last === 'type' && diff.action !== 'add';
      if (removedField || retyped) return 'breaking';
    }
  }
  return libraryKind(diff);
}

function libraryKind(diff: Diff): ChangeKind {
  switch (diff.type) {
    case 'breaking':
      return 'breaking';
    case 'annotation':
      return 'documentation';
    default:
      // 'deprecated' warns without breaking; 'unclassified' is mostly x-wecom-* runtime
      // metadata, which changes generated code but no request or response.
      return 'non-breaking';
  }
}

function verbOf(diff: Diff): string {
  return { add: 'added', remove: 'removed', replace: 'changed', rename: 'renamed' }[diff.action];
}

function operationsOf(spec: OpenApiDocument): Map<string, OperationRef> {
  return collectOperations(spec.paths, (method) => method.toUpperCase());
}

/** Webhooks are keyed by name, not path; they show as `WEBHOOK <name>`. */
function webhooksOf(spec: OpenApiDocument): Map<string, OperationRef> {
  return collectOperations(spec.webhooks as OpenApiDocument['paths'], () => 'WEBHOOK');
}

function collectOperations(
  items: OpenApiDocument['paths'],
  label: (method: string) => string,
): Map<string, OperationRef> {
  const operations = new Map<string, OperationRef>();
  for (const [path, item] of Object.entries(items ?? {})) {
    for (const method of METHODS) {
      const operation = item?.[method] as { operationId?: string } | undefined;
      if (!operation) continue;
      const route = `${label(method)} ${path}`;
      operations.set(route, { operationId: operation.operationId ?? route, method: label(method), path });
    }
  }
  return operations;
}

/** An operationId that now lives at another method or path: callers of the old URL break. */
function findMovedOperations(
  beforeOps: Map<string, OperationRef>,
  afterOps: Map<string, OperationRef>,
): { changes: SpecChange[]; routes: Set<string> } {
  const afterById = new Map([...afterOps.values()].map((operation) => [operation.operationId, operation]));
  const changes: SpecChange[] = [];
  const routes = new Set<string>();
  for (const [route, operation] of beforeOps) {
    const now = afterById.get(operation.operationId);
    if (!now || afterOps.get(route)?.operationId === operation.operationId) continue;
    const nowRoute = `${now.method} ${now.path}`;
    if (afterOps.has(route) || beforeOps.has(nowRoute)) continue;
    routes.add(route);
    routes.add(nowRoute);
    changes.push({
      kind: 'breaking',
      operation: now,
      message: `moved from ${route} to ${nowRoute}`,
      pointer: toPointer(['paths', now.path, now.method.toLowerCase()]),
    });
  }
  return { changes, routes };
}

function withoutErrcodeCatalog(spec: OpenApiDocument): OpenApiDocument {
  const { 'x-wecom-errcodes': _catalog, ...rest } = spec;
  return rest;
}

function toPointer(path: string[]): string {
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
  return changes.sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      (a.operation?.operationId ?? '').localeCompare(b.operation?.operationId ?? '') ||
      a.pointer.localeCompare(b.pointer) ||
      a.message.localeCompare(b.message),
  );
}
