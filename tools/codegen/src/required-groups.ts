import { CodegenError } from './errors';

/**
 * An object schema whose `anyOf` (or `oneOf`) holds only `required` lists ("send at least one of
 * these") is rewritten, for the types only, into a union of whole object schemas, each of which
 * also requires its group. openapi-typescript reads a bare `{ required: [...] }` branch as `unknown`,
 * which swallows the union (`{…} | unknown` is `unknown`); the rewritten form types as
 * `{ …; add_tag: string[] } | { …; remove_tag: string[] }`. The spec itself stays as written.
 */
export function withRequiredGroupsAsUnions<Spec>(spec: Spec): Spec {
  return rewrite(structuredClone(spec), '#') as Spec;
}

function rewrite(node: unknown, pointer: string): unknown {
  if (Array.isArray(node)) return node.map((item, index) => rewrite(item, `${pointer}/${index}`));
  if (!node || typeof node !== 'object') return node;
  const schema = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(schema)) schema[key] = rewrite(value, `${pointer}/${key}`);
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const groups = requiredGroups(schema[keyword]);
    if (groups) return asUnion(schema, keyword, groups, pointer);
  }
  return schema;
}

function requiredGroups(anyOf: unknown): string[][] | undefined {
  if (!Array.isArray(anyOf) || anyOf.length === 0) return undefined;
  const onlyRequired = anyOf.every(
    (branch) =>
      branch &&
      typeof branch === 'object' &&
      Object.keys(branch).length === 1 &&
      Array.isArray((branch as { required?: unknown }).required),
  );
  return onlyRequired ? anyOf.map((branch) => (branch as { required: string[] }).required) : undefined;
}

interface ObjectSchema extends Record<string, unknown> {
  required?: string[];
  properties?: Record<string, unknown>;
}

function asUnion(
  schema: ObjectSchema,
  keyword: 'anyOf' | 'oneOf',
  groups: string[][],
  pointer: string,
): ObjectSchema {
  const {
    type,
    required = [],
    properties = {},
    additionalProperties,
    [keyword]: _groups,
    ...annotations
  } = schema;
  for (const field of groups.flat()) {
    if (!(field in properties)) {
      throw new CodegenError(
        `${pointer}: ${keyword} requires "${field}", which is not among its properties; declare it under properties.`,
      );
    }
  }
  return {
    ...annotations,
    [keyword]: groups.map((group) => ({
      type: type ?? 'object',
      required: [...new Set([...required, ...group])],
      properties,
      ...(additionalProperties !== undefined && { additionalProperties }),
    })),
  };
}
