import { hookNames } from '../../codegen/src/hooks';
import type { OperationEntry, PaginationRule } from '../../codegen/src/operations';
import type { OpenApiDocument } from './compare';

/** The published packages a spec change can break. */
export const PACKAGES = {
  /** Operation names, input and output types, and the operation table the runtime follows. */
  client: '@wecom-kit/client',
  /** The callback event types (from the webhooks) and the errcode classes the runtime decides on. */
  core: '@wecom-kit/core',
  /** One export per hook, named after the operation, and what each write invalidates. */
  reactHooks: '@wecom-kit/react-hooks',
} as const;

interface SpecOperation {
  operationId?: string;
  security?: unknown[];
  'x-wecom-idempotent'?: boolean;
  'x-wecom-pagination'?: { style?: string };
}

/**
 * The React hook exports codegen writes for each operationId, named by codegen's own function.
 * Only what names depend on is read, so a spec codegen would refuse still gets compared.
 */
export function hookExportsOf(spec: OpenApiDocument): Map<string, string[]> {
  const exports = new Map<string, string[]>();
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const [method, value] of Object.entries(item ?? {})) {
      const op = value as SpecOperation;
      if (typeof op?.operationId !== 'string') continue;
      const style = op['x-wecom-pagination']?.style;
      const entry: OperationEntry = {
        operationId: op.operationId,
        method: method === 'get' ? 'GET' : 'POST',
        path,
        input: method === 'get' ? 'query' : 'body',
        idempotent: op['x-wecom-idempotent'] === true,
        constraints: {},
        ...(style !== undefined && style !== 'none' && { pagination: { style } as PaginationRule }),
        ...(Array.isArray(op.security) && op.security.length === 0 && { tokenless: true as const }),
      };
      exports.set(op.operationId, hookNames(entry));
    }
  }
  return exports;
}

/** The packages an operation's contract change breaks: the client always, the hooks if it has any. */
export function packagesOfOperation(hooks: Map<string, string[]>, operationId: string | undefined): string[] {
  const withHooks = operationId !== undefined && (hooks.get(operationId)?.length ?? 0) > 0;
  return withHooks ? [PACKAGES.client, PACKAGES.reactHooks] : [PACKAGES.client];
}
