import type { JsonSchema } from './constraints';
import { CodegenError } from './errors';
import type { BundledSpec } from './operations';

/**
 * What the client's `specCheck` compares a success body with: the response schema reduced to
 * what drift is made of (types, required fields, properties, items, enums, alternatives), with
 * component references kept by name so that each component is written once. Mirrors
 * `ResponseShape` in @wecom-kit/client.
 */
export interface ResponseShape {
  type?: string | string[];
  required?: string[];
  properties?: Record<string, ResponseShape>;
  /** The schema of every value of a map-like object (`additionalProperties`); its keys are data. */
  values?: ResponseShape;
  items?: ResponseShape;
  enum?: unknown[];
  /** oneOf / anyOf: the body matches at least one. */
  oneOf?: ResponseShape[];
  /** A component, by name. */
  ref?: string;
}

/** Where each operation's path item lives in spec/, keyed by API path (read from spec/openapi.yaml). */
export type PathFiles = Readonly<Record<string, string>>;

interface SchemaWithComposition extends JsonSchema {
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  const?: unknown;
  additionalProperties?: boolean | JsonSchema;
}

const REF_PREFIX = '#/components/schemas/';

export function componentFile(name: string): string {
  // spec/README.md: one component per file, and the file name becomes the schema name.
  return `spec/components/schemas/${name}.yaml`;
}

export function shapeOf(schema: SchemaWithComposition | undefined, where: string): ResponseShape {
  if (!schema) return {};
  if (schema.$ref) {
    if (!schema.$ref.startsWith(REF_PREFIX)) {
      throw new CodegenError(`${where}: reference ${schema.$ref} is not a component; bundle the spec first.`);
    }
    return { ref: schema.$ref.slice(REF_PREFIX.length) };
  }
  const shape: ResponseShape = {};
  if (schema.type) shape.type = schema.type;
  if (schema.required?.length) shape.required = [...schema.required];
  if (schema.enum) shape.enum = [...schema.enum];
  if (schema.const !== undefined) shape.enum = [schema.const];
  if (schema.properties) {
    shape.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([name, child]) => [name, shapeOf(child, `${where}/${name}`)]),
    );
  }
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
    shape.values =
      schema.additionalProperties === true ? {} : shapeOf(schema.additionalProperties, `${where}/*`);
  }
  if (schema.items) shape.items = shapeOf(schema.items, `${where}/*`);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) shape.oneOf = alternatives.map((option, index) => shapeOf(option, `${where}/${index}`));
  if (schema.allOf) {
    // Drift needs one closed list of properties, so the parts of an allOf are merged into one shape.
    throw new CodegenError(
      `${where}: allOf in a response schema is not supported by the drift check; write the merged object.`,
    );
  }
  return shape;
}

function referencedComponents(shape: ResponseShape, found: Set<string>): void {
  if (shape.ref) found.add(shape.ref);
  for (const child of [
    ...Object.values(shape.properties ?? {}),
    ...(shape.values ? [shape.values] : []),
    ...(shape.items ? [shape.items] : []),
    ...(shape.oneOf ?? []),
  ]) {
    referencedComponents(child, found);
  }
}

interface ResponseOperation {
  operationId?: string;
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

/**
 * The client's response-shape table: every operation's success schema with the spec file that
 * describes it, and every component those schemas reach (and only those).
 */
export function emitResponseShapes(spec: BundledSpec, pathFiles: PathFiles): string {
  const operations: Record<string, { file: string; shape: ResponseShape }> = {};
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of ['get', 'post'] as const) {
      const op = item[method] as ResponseOperation | undefined;
      if (!op?.operationId) continue;
      const file = pathFiles[path];
      if (!file) throw new CodegenError(`${path} is not listed under paths in spec/openapi.yaml.`);
      const schema = op.responses?.['200']?.content?.['application/json']?.schema;
      operations[op.operationId] = { file, shape: shapeOf(schema, op.operationId) };
    }
  }
  const pending = new Set<string>();
  for (const { shape } of Object.values(operations)) referencedComponents(shape, pending);
  const components: Record<string, { file: string; shape: ResponseShape }> = {};
  for (const name of pending) {
    if (components[name]) continue;
    const schema = spec.components?.schemas?.[name];
    if (!schema) throw new CodegenError(`Unresolved schema reference #/components/schemas/${name}.`);
    const shape = shapeOf(schema, name);
    components[name] = { file: componentFile(name), shape };
    referencedComponents(shape, pending);
  }
  const line = (entries: Record<string, unknown>) =>
    Object.keys(entries)
      .sort()
      .map((name) => `    ${JSON.stringify(name)}: ${JSON.stringify(entries[name])},`)
      .join('\n');
  return `// Generated by tools/codegen from spec/. Do not edit: change the spec and run \`pnpm codegen\`.
import type { ResponseShapeTable } from '../table';

// Loaded only when a client turns on specCheck (a dynamic import), so no bundle carries it unasked.
export const responseShapes: ResponseShapeTable = {
  operations: {
${line(operations)}
  },
  components: {
${line(components)}
  },
};
`;
}
