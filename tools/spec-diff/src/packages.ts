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
        // Hooks exist only for access-token operations; which other token it is does not change names.
        ...(!sentWithAccessToken(spec, op) && { token: 'none' as const }),
      };
      exports.set(op.operationId, hookNames(entry));
    }
  }
  return exports;
}

/** Codegen's rule, read leniently: the operation's (or the spec's default) scheme is the access_token one. */
function sentWithAccessToken(spec: OpenApiDocument, op: SpecOperation): boolean {
  const requirements = op.security ?? (Array.isArray(spec.security) ? spec.security : []);
  const schemes = ((spec.components as { securitySchemes?: Record<string, { name?: string }> } | undefined)
    ?.securitySchemes ?? {}) as Record<string, { name?: string }>;
  return (
    requirements.length > 0 &&
    requirements.every((requirement) =>
      Object.keys((requirement ?? {}) as object).every((name) => schemes[name]?.name === 'access_token'),
    )
  );
}

/** The packages an operation's contract change breaks: the client always, the hooks if it has any. */
export function packagesOfOperation(hooks: Map<string, string[]>, operationId: string | undefined): string[] {
  const withHooks = operationId !== undefined && (hooks.get(operationId)?.length ?? 0) > 0;
  return withHooks ? [PACKAGES.client, PACKAGES.reactHooks] : [PACKAGES.client];
}
