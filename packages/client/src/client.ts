import {
  type CallOptions,
  DEFAULT_BASE_URL,
  type OperationMeta,
  type RequestInput,
  type Transport,
  type TransportOptions,
  WecomError,
  WecomValidationError,
} from '@wecom-kit/core';
import createFetchClient, { type MaybeOptionalInit } from 'openapi-fetch';
import type { HttpMethod, PathsWithMethod, RequiredKeysOf } from 'openapi-typescript-helpers';
import { operations } from './generated/operations';
import type { paths } from './generated/schema';
import { createPaginator, type PaginateOptions, type Paginator } from './paginate';
import type { SpecCheckOptions } from './spec-check/spec-check';
import type { OperationSpec } from './table';
import type { InputArgs, OperationId, OperationInput, OperationOutput, PaginatedOperationId } from './types';
import type { InputValidator } from './validate';

export interface WecomClientOptions extends TransportOptions {
  /**
   * Checks every input before it is sent. Default: `specValidation` (the spec's constraints and
   * time windows) on servers; none in the browser build, whose proxy checks the same rules. Pass
   * `specValidation` to check in the browser too, for about 4 kB more.
   */
  validation?: InputValidator;
  /**
   * Compares a sample of success bodies with the spec and reports each departure once, as a
   * `spec-drift` event through `onEvent` (a JSON pointer and a kind, never a value). Off by
   * default. Server and edge builds only: the browser build leaves it out and ignores it (the
   * server client behind its proxy sees the same bodies).
   */
  specCheck?: SpecCheckOptions;
}

/** What an entry point (server or browser build) builds its clients from. */
export interface ClientRuntime {
  createTransport(options: TransportOptions): Transport;
  /** Used when the options name no `validation`. */
  validation?: InputValidator;
}

const table: Readonly<Record<string, OperationSpec>> = operations;
// Built once for every client of the process: a client per corp should cost little.
let operationIdByRoute: Map<string, string> | undefined;

/** The operation id at a method and path (the key `GET /cgi-bin/...`), or undefined. */
function operationIdAt(route: string): string | undefined {
  operationIdByRoute ??= new Map(
    Object.entries(table).map(([operationId, spec]) => [`${spec.method} ${spec.path}`, operationId]),
  );
  return operationIdByRoute.get(route);
}

function specOf(operationId: string): OperationSpec {
  const spec = table[operationId];
  if (!spec) {
    throw new WecomValidationError({
      operationId,
      field: 'operationId',
      rule: 'known',
      message: `Unknown operation "${operationId}". Operation ids are listed in the API reference.`,
    });
  }
  return spec;
}

// One OperationMeta per operation for the whole process, made on its first call.
const metaByOperation = new Map<string, OperationMeta>();

function metaOf(operationId: string, spec: OperationSpec): OperationMeta {
  const known = metaByOperation.get(operationId);
  if (known) return known;
  const meta: OperationMeta = {
    operationId,
    method: spec.method,
    path: spec.path,
    idempotent: spec.idempotent,
    ...(spec.rateLimitPerMinute !== undefined && { rateLimitPerMinute: spec.rateLimitPerMinute }),
    ...(spec.token && { token: spec.token }),
  };
  metaByOperation.set(operationId, meta);
  return meta;
}

function requestInput(spec: OperationSpec, input: unknown): RequestInput {
  return spec.input === 'body' ? { body: input ?? {} } : { query: (input ?? {}) as Record<string, unknown> };
}

/** The operation at a method and path, or the unknown-operation error. */
function routeOf(method: string, path: string): { operationId: string; spec: OperationSpec } {
  const operationId = operationIdAt(`${method} ${path}`) ?? `${method} ${path}`;
  return { operationId, spec: specOf(operationId) };
}

type InitArgs<Init> = RequiredKeysOf<Init> extends never ? [init?: Init] : [init: Init];

/**
 * openapi-fetch's result, except that a WeCom business error (errcode ≠ 0, sent with HTTP 200)
 * arrives as `error`, a WecomError, and never as `data`.
 */
export type WecomFetchResult<Path extends keyof paths, Method extends HttpMethod> =
  | { data: SuccessBody<paths[Path][Method]>; error?: never; response: Response }
  | { data?: never; error: WecomError; response: Response };

type SuccessBody<Operation> = Operation extends {
  responses: { 200: { content: { 'application/json': infer Body } } };
}
  ? Body
  : never;

// Init is not a type parameter (unlike openapi-fetch's), so that TypeScript checks the caller's
// object literal for excess properties: `access_token` in a query is a compile error.
type PathMethod<Method extends 'get' | 'post'> = <Path extends PathsWithMethod<paths, Method>>(
  path: Path,
  ...init: InitArgs<MaybeOptionalInit<paths[Path], Method>>
) => Promise<WecomFetchResult<Path, Method>>;

export interface WecomClient {
  /**
   * Path-typed GET, openapi-fetch style: WeCom's errcode answers come back as `error`; every other
   * failure is thrown (guide 03, "WeCom's errors").
   */
  GET: PathMethod<'get'>;
  /** Path-typed POST; returns and throws like GET. */
  POST: PathMethod<'post'>;
  /** Calls an operation by id; resolves to its success body and throws a WecomKitError otherwise. */
  call<Op extends OperationId>(operationId: Op, ...args: InputArgs<Op>): Promise<OperationOutput<Op>>;
  /** Pages through a list operation; `.items()` yields the items. Long time ranges are split into allowed windows. */
  paginate<Op extends PaginatedOperationId>(
    operationId: Op,
    ...args: InputArgs<Op, PaginateOptions>
  ): Paginator<Op>;
}

export function createClient(options: WecomClientOptions, runtime: ClientRuntime): WecomClient {
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const transport = runtime.createTransport({ ...options, baseUrl });
  const validate = options.validation ?? runtime.validation;
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');

  async function send(operationId: string, input: unknown, callOptions?: CallOptions): Promise<unknown> {
    const spec = specOf(operationId);
    validate?.(operationId, input);
    return transport.request(metaOf(operationId, spec), requestInput(spec, input), callOptions);
  }

  // openapi-fetch builds the URL and body; this fetch hands them to the transport, which adds the
  // token, limits, retries and errcode handling, and answers with the final body.
  async function bridgeFetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const { operationId, spec } = routeOf(request.method, url.pathname.slice(basePath.length));
    const input =
      spec.input === 'body'
        ? await request.json()
        : Object.fromEntries(url.searchParams as unknown as Iterable<[string, string]>);
    const { body } = await transport.exchange(metaOf(operationId, spec), requestInput(spec, input), {
      signal: request.signal,
    });
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  }

  // Made on the first path-typed call: a client per corp that only uses call() never pays for it.
  let fetchClient: ReturnType<typeof createFetchClient<paths>> | undefined;

  function pathMethod<Method extends 'get' | 'post'>(method: Method): PathMethod<Method> {
    const upper = method.toUpperCase() as 'GET' | 'POST';
    return (async (path: string, init?: { params?: { query?: unknown }; body?: unknown }) => {
      const { operationId, spec } = routeOf(upper, path);
      validate?.(operationId, spec.input === 'body' ? init?.body : init?.params?.query);
      fetchClient ??= createFetchClient<paths>({ baseUrl, fetch: bridgeFetch });
      const result = await (
        fetchClient[upper] as (
          path: string,
          init?: unknown,
        ) => Promise<{ data?: unknown; response: Response }>
      )(path, init);
      const body = result.data as { errcode?: number; errmsg?: string } | undefined;
      if (body && body.errcode !== 0) {
        return { error: WecomError.fromBody(body, operationId), response: result.response };
      }
      return result;
    }) as unknown as PathMethod<Method>;
  }

  return {
    GET: pathMethod('get'),
    POST: pathMethod('post'),
    call: ((operationId: string, input?: unknown, callOptions?: CallOptions) =>
      send(operationId, input, callOptions)) as WecomClient['call'],
    paginate: ((operationId: string, input?: unknown, paginateOptions?: PaginateOptions) => {
      const spec = specOf(operationId);
      return createPaginator({
        operationId,
        spec,
        input: (input ?? {}) as Record<string, unknown>,
        options: paginateOptions,
        send,
        ...(validate && { validate }),
      });
    }) as WecomClient['paginate'],
  };
}

export type { OperationInput, OperationOutput };
