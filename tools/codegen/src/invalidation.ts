import { CodegenError } from './errors';
import type { BundledSpec, OperationEntry } from './operations';

/** Mirrors `InvalidationRule` of packages/react-hooks/src/invalidate.ts. */
export interface InvalidationRule {
  input?: string[];
  contains?: string[];
}

interface Schema {
  $ref?: string;
  deprecated?: boolean;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
}

interface Operation {
  parameters?: { name: string; in: string; required?: boolean; deprecated?: boolean }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

/**
 * For each read a write invalidates, which of its queries the write touches: those whose input
 * shares a field with the write's (matched by value), else those whose data holds the write's
 * required id fields (`…id`), else all of them. See the runtime side in invalidate.ts.
 */
export function invalidationRules(
  write: OperationEntry,
  entries: Map<string, OperationEntry>,
  spec: BundledSpec,
): Record<string, InvalidationRule> {
  const writeInput = inputFields(spec, write);
  const rules: Record<string, InvalidationRule> = {};
  for (const readId of write.invalidates ?? []) {
    const read = entries.get(readId);
    if (!read) {
      throw new CodegenError(
        `${write.operationId}: x-wecom-invalidates names "${readId}", which is not an operationId of the spec.`,
      );
    }
    const readInput = inputFields(spec, read);
    const shared = [...writeInput.all].filter((field) => readInput.all.has(field)).sort();
    const output = fieldNames(spec, responseSchema(operationOf(spec, read)));
    const held = writeInput.required.filter((field) => /id$/.test(field) && output.has(field)).sort();
    rules[readId] = shared.length > 0 ? { input: shared } : held.length > 0 ? { contains: held } : {};
  }
  return rules;
}

function operationOf(spec: BundledSpec, entry: OperationEntry): Operation {
  return (spec.paths[entry.path]?.[entry.method === 'GET' ? 'get' : 'post'] ?? {}) as Operation;
}

/**
 * The input fields that identify what a call is about. Deprecated fields are left out: a legacy
 * alias (batchGetByUser's single `userid`) shared by chance with a write would match queries
 * that never use it.
 */
function inputFields(spec: BundledSpec, entry: OperationEntry): { all: Set<string>; required: string[] } {
  const operation = operationOf(spec, entry);
  if (entry.input === 'query') {
    const query = (operation.parameters ?? []).filter(
      (parameter) => parameter.in === 'query' && !parameter.deprecated,
    );
    return {
      all: new Set(query.map((parameter) => parameter.name)),
      required: query.filter((parameter) => parameter.required).map((parameter) => parameter.name),
    };
  }
  const schema = resolve(spec, operation.requestBody?.content?.['application/json']?.schema);
  const current = Object.entries(schema?.properties ?? {})
    .filter(([, property]) => !resolve(spec, property)?.deprecated)
    .map(([name]) => name);
  return { all: new Set(current), required: schema?.required ?? [] };
}

function responseSchema(operation: Operation): Schema | undefined {
  return operation.responses?.['200']?.content?.['application/json']?.schema;
}

function resolve(spec: BundledSpec, schema: Schema | undefined): Schema | undefined {
  let current = schema;
  while (current?.$ref) {
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], spec) as Schema | undefined;
  }
  return current;
}

/** Every property name anywhere in a schema, following references. */
function fieldNames(spec: BundledSpec, root: Schema | undefined): Set<string> {
  const names = new Set<string>();
  const seen = new Set<Schema>();
  const pending = [root];
  while (pending.length > 0) {
    const schema = resolve(spec, pending.pop());
    if (!schema || seen.has(schema)) continue;
    seen.add(schema);
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      names.add(name);
      pending.push(property);
    }
    pending.push(schema.items, ...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? []));
  }
  return names;
}
