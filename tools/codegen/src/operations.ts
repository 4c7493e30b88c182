import { constraintsOf, type InputConstraints, type JsonSchema } from './constraints';
import { CodegenError } from './errors';

/** What the runtime needs to know about one operation, read from the bundled spec. */
export interface OperationEntry {
  operationId: string;
  method: 'GET' | 'POST';
  path: string;
  input: 'query' | 'body';
  idempotent: boolean;
  pagination?: PaginationRule;
  window?: WindowRule;
  rateLimitPerMinute?: number;
  invalidates?: string[];
  deprecated?: true;
  /**
   * The token the operation is sent with, from its security scheme: absent for a corp's
   * access_token, 'suite' or 'provider' for service-provider operations, 'none' for the token
   * endpoints (`security: []`).
   */
  token?: 'suite' | 'provider' | 'none';
  constraints: InputConstraints;
}

/** The query parameter of each security scheme, and the token kind it carries. */
const TOKEN_BY_PARAMETER: Readonly<Record<string, 'access' | 'suite' | 'provider'>> = {
  access_token: 'access',
  suite_access_token: 'suite',
  provider_access_token: 'provider',
};

export interface PaginationRule {
  style: 'cursor' | 'offset' | 'page';
  itemsField: string;
  cursorParam?: string;
  nextCursorField?: string;
  offsetParam?: string;
  nextOffsetField?: string;
  totalField?: string;
  pageParam?: string;
  isLastField?: string;
  limitParam?: string;
  maxLimit?: number;
  defaultLimit?: number;
  overMax?: 'clamp' | 'default';
}

export interface WindowRule {
  startField: string;
  endField: string;
  maxDays: number;
  /** How many days back the start may lie; only where WeCom documents a look-back. */
  maxAgeDays?: number;
  interval: 'open' | 'closed';
  unit: 'second' | 'day';
  /** WeCom's code for a refused range, when not the generic 40058. */
  errcode?: number;
}

const FIELDS_BY_STYLE: Record<PaginationRule['style'], (keyof PaginationRule)[]> = {
  cursor: ['cursorParam', 'nextCursorField', 'itemsField'],
  offset: ['offsetParam', 'nextOffsetField', 'totalField', 'itemsField'],
  page: ['pageParam', 'isLastField', 'itemsField'],
};

interface SpecOperation {
  operationId?: string;
  deprecated?: boolean;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  'x-wecom-idempotent'?: boolean;
  'x-wecom-pagination'?: Record<string, unknown>;
  'x-wecom-window'?: Record<string, unknown>;
  'x-wecom-rate-limit'?: { perMinute?: number };
  'x-wecom-invalidates'?: string[];
}

export interface BundledSpec {
  paths: Record<string, Partial<Record<'get' | 'post', SpecOperation>>>;
  /** The security requirement of operations that name none. */
  security?: unknown[];
  components?: {
    schemas?: Record<string, JsonSchema>;
    securitySchemes?: Record<string, { type?: string; in?: string; name?: string }>;
  };
  'x-wecom-errcodes'?: unknown;
}

/**
 * Reads every operation of a bundled spec into table entries, failing with a message that
 * names the operation and the fix when the spec breaks a rule the runtime relies on.
 */
export function readOperations(spec: BundledSpec): OperationEntry[] {
  const entries: OperationEntry[] = [];
  const seen = new Map<string, string>();
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of ['get', 'post'] as const) {
      const op = item[method];
      if (!op) continue;
      const where = `${method.toUpperCase()} ${path}`;
      if (!op.operationId)
        throw new CodegenError(`${where} has no operationId; add a camelCase operationId.`);
      const previous = seen.get(op.operationId);
      if (previous)
        throw new CodegenError(`operationId "${op.operationId}" is used by both ${previous} and ${where}.`);
      seen.set(op.operationId, where);
      entries.push(readOperation(spec, op as SpecOperation & { operationId: string }, method, path, where));
    }
  }
  return entries.sort((a, b) => a.operationId.localeCompare(b.operationId));
}

function readOperation(
  spec: BundledSpec,
  op: SpecOperation & { operationId: string },
  method: 'get' | 'post',
  path: string,
  where: string,
): OperationEntry {
  const idempotent = op['x-wecom-idempotent'];
  if (typeof idempotent !== 'boolean') {
    throw new CodegenError(
      `${op.operationId} (${where}) lacks x-wecom-idempotent: true for reads, false for writes.`,
    );
  }
  const input = method === 'get' ? 'query' : 'body';
  const entry: OperationEntry = {
    operationId: op.operationId,
    method: method === 'get' ? 'GET' : 'POST',
    path,
    input,
    idempotent,
    constraints: constraintsOf(spec, inputSchema(op, input)),
  };
  const pagination = readPagination(op, idempotent, where);
  if (pagination) entry.pagination = pagination;
  const window = readWindow(op, where);
  if (window) entry.window = window;
  const perMinute = op['x-wecom-rate-limit']?.perMinute;
  if (perMinute !== undefined) entry.rateLimitPerMinute = perMinute;
  if (op['x-wecom-invalidates']?.length) entry.invalidates = [...op['x-wecom-invalidates']].sort();
  if (op.deprecated) entry.deprecated = true;
  const token = tokenOf(spec, op, where);
  if (token !== 'access') entry.token = token;
  return entry;
}

/** Which token the operation's security requirement (or the spec's default) asks for. */
function tokenOf(
  spec: BundledSpec,
  op: SpecOperation,
  where: string,
): 'access' | 'suite' | 'provider' | 'none' {
  const requirements = op.security ?? spec.security ?? [];
  if (requirements.length === 0) return 'none';
  const schemes = new Set(
    requirements.flatMap((requirement) => Object.keys((requirement ?? {}) as Record<string, unknown>)),
  );
  const [scheme] = schemes;
  if (schemes.size !== 1 || scheme === undefined) {
    throw new CodegenError(
      `${op.operationId} (${where}) must name exactly one security scheme (accessToken, suiteAccessToken or providerAccessToken): the runtime sends one token per call.`,
    );
  }
  const declared = spec.components?.securitySchemes?.[scheme];
  const token = declared?.in === 'query' ? TOKEN_BY_PARAMETER[declared.name ?? ''] : undefined;
  if (!token) {
    throw new CodegenError(
      `${op.operationId} (${where}) uses security scheme "${scheme}", which is not an apiKey in the query named access_token, suite_access_token or provider_access_token.`,
    );
  }
  return token;
}

/** GET operations take query parameters; they are gathered into one object schema. */
function inputSchema(op: SpecOperation, input: 'query' | 'body'): JsonSchema | undefined {
  if (input === 'body') return op.requestBody?.content?.['application/json']?.schema;
  const query = (op.parameters ?? []).filter((parameter) => parameter.in === 'query');
  if (query.length === 0) return undefined;
  return {
    type: 'object',
    required: query.filter((parameter) => parameter.required).map((parameter) => parameter.name),
    properties: Object.fromEntries(query.map((parameter) => [parameter.name, parameter.schema ?? {}])),
  };
}

function readPagination(op: SpecOperation, idempotent: boolean, where: string): PaginationRule | undefined {
  const raw = op['x-wecom-pagination'];
  if (!raw) {
    if (idempotent) {
      throw new CodegenError(
        `${op.operationId} (${where}) is a read without x-wecom-pagination; declare its style (style: none if it does not page).`,
      );
    }
    return undefined;
  }
  const style = raw.style;
  if (style === 'none') return undefined;
  if (style !== 'cursor' && style !== 'offset' && style !== 'page') {
    throw new CodegenError(
      `${op.operationId} has x-wecom-pagination.style "${String(style)}"; use cursor, offset, page or none.`,
    );
  }
  for (const field of FIELDS_BY_STYLE[style]) {
    if (typeof raw[field] !== 'string') {
      throw new CodegenError(`${op.operationId}: x-wecom-pagination style ${style} needs "${field}".`);
    }
  }
  return raw as unknown as PaginationRule;
}

function readWindow(op: SpecOperation, where: string): WindowRule | undefined {
  const raw = op['x-wecom-window'];
  if (!raw) return undefined;
  const { startField, endField, maxDays, maxAgeDays } = raw;
  if (typeof startField !== 'string' || typeof endField !== 'string' || typeof maxDays !== 'number') {
    throw new CodegenError(
      `${op.operationId} (${where}): x-wecom-window needs startField, endField and maxDays.`,
    );
  }
  const ageIsDays = typeof maxAgeDays === 'number' && Number.isInteger(maxAgeDays) && maxAgeDays > 0;
  if (maxAgeDays !== undefined && !ageIsDays) {
    throw new CodegenError(
      `${op.operationId} (${where}): x-wecom-window.maxAgeDays is ${JSON.stringify(maxAgeDays)}; use a positive whole number of days, or leave it out.`,
    );
  }
  return {
    startField,
    endField,
    maxDays,
    // Left out when absent: the table ships in the browser build, where every byte counts.
    ...(typeof maxAgeDays === 'number' && { maxAgeDays }),
    interval: raw.interval === 'closed' ? 'closed' : 'open',
    unit: raw.unit === 'day' ? 'day' : 'second',
    ...(Number.isInteger(raw.errcode) && { errcode: raw.errcode as number }),
  };
}
