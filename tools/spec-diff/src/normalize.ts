import type { OpenApiDocument } from './compare';

type Node = Record<string, unknown>;

/** Component collections that operations and webhooks point into with `$ref`. */
const INLINED = ['schemas', 'parameters', 'responses', 'requestBodies', 'examples', 'headers'];

/**
 * The bundled spec as the comparison needs it: every local `$ref` replaced by what it points to
 * and every `allOf` merged into one schema, so that a change inside a shared component shows at
 * each operation and webhook that uses it, under the field's name (`properties/WelcomeCode`)
 * rather than under `allOf/1/...`. The inlined component collections are left out afterwards:
 * their changes are reported where they take effect. Security schemes stay (operations name them).
 */
export function normalizeSpec(spec: OpenApiDocument): OpenApiDocument {
  const resolved = inline(spec, spec, new Set()) as OpenApiDocument;
  const components = { ...(resolved.components as Node | undefined) };
  for (const collection of INLINED) delete components[collection];
  const { components: _components, ...rest } = resolved;
  return Object.keys(components).length > 0 ? { ...rest, components } : rest;
}

function inline(node: unknown, spec: OpenApiDocument, resolving: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((item) => inline(item, spec, resolving));
  if (typeof node !== 'object' || node === null) return node;
  const object = node as Node;
  const ref = object.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    // A schema that contains itself stays a reference below its first level.
    if (resolving.has(ref)) return { $ref: ref };
    const target = lookUp(spec, ref);
    if (target === undefined) return object;
    const { $ref: _ref, ...siblings } = object;
    resolving.add(ref);
    const value = inline(target, spec, resolving) as Node;
    resolving.delete(ref);
    // OpenAPI 3.1 lets a reference carry its own description; it wins over the target's.
    return { ...value, ...(inline(siblings, spec, resolving) as Node) };
  }
  const copy: Node = {};
  for (const [key, value] of Object.entries(object)) copy[key] = inline(value, spec, resolving);
  return Array.isArray(copy.allOf) ? mergeAllOf(copy) : copy;
}

function lookUp(spec: OpenApiDocument, ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, key) => (node as Node | undefined)?.[key], spec);
}

/**
 * `allOf` of object schemas as one schema: properties and required fields united, other keywords
 * taken from each member in order and then from the outer schema, the later winning (a derived
 * event's `Event: const` replaces the base's plain string). Members that are not plain objects
 * (a `$ref` left by a cycle) keep the `allOf` as it was.
 */
function mergeAllOf(schema: Node): Node {
  const members = schema.allOf as unknown[];
  if (!members.every((member) => typeof member === 'object' && member !== null && !('$ref' in member))) {
    return schema;
  }
  const { allOf: _allOf, ...outer } = schema;
  const merged: Node = {};
  const properties: Node = {};
  const required: string[] = [];
  for (const part of [...(members as Node[]), outer]) {
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties') Object.assign(properties, value);
      else if (key === 'required')
        required.push(...(value as string[]).filter((name) => !required.includes(name)));
      else merged[key] = value;
    }
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.length > 0) merged.required = required;
  return merged;
}
