// wecom-kit's own lint rules, for what Redocly's configurable rules cannot express: they compare
// one part of an operation with another.

const REQUEST_FIELDS = ['cursorParam', 'offsetParam', 'pageParam', 'limitParam'];
const RESPONSE_FIELDS = ['nextCursorField', 'nextOffsetField', 'totalField', 'isLastField', 'itemsField'];

/** The property names of a schema, through $ref and allOf. */
function propertiesOf(schema, ctx, seen = new Set()) {
  const { node } = ctx.resolve(schema ?? {});
  if (!node || typeof node !== 'object' || seen.has(node)) return new Map();
  seen.add(node);
  const names = new Map(
    Object.entries(node.properties ?? {}).map(([name, value]) => [name, ctx.resolve(value).node]),
  );
  for (const member of node.allOf ?? []) {
    for (const [name, value] of propertiesOf(member, ctx, seen)) names.set(name, value);
  }
  return names;
}

function requestFields(operation, ctx) {
  const fields = new Set();
  for (const parameter of operation.parameters ?? []) {
    const { node } = ctx.resolve(parameter);
    if (node?.in === 'query') fields.add(node.name);
  }
  const body = ctx.resolve(operation.requestBody ?? {}).node;
  for (const name of propertiesOf(body?.content?.['application/json']?.schema, ctx).keys()) fields.add(name);
  return fields;
}

function responseFields(operation, ctx) {
  const success = ctx.resolve(operation.responses?.['200'] ?? {}).node;
  return propertiesOf(success?.content?.['application/json']?.schema, ctx);
}

/** Every field named by x-wecom-pagination exists: the runtime pages by these names and nothing else. */
function PaginationFields() {
  return {
    Operation: {
      enter(operation, ctx) {
        const pagination = operation['x-wecom-pagination'];
        if (!pagination || pagination.style === 'none') return;
        const request = requestFields(operation, ctx);
        const response = responseFields(operation, ctx);
        const at = ctx.location.child('x-wecom-pagination');
        for (const key of REQUEST_FIELDS) {
          const name = pagination[key];
          if (name !== undefined && !request.has(name)) {
            ctx.report({
              message: `x-wecom-pagination.${key} is "${name}", which is neither a query parameter nor a request body field of this operation.`,
              location: at.child(key),
            });
          }
        }
        for (const key of RESPONSE_FIELDS) {
          const name = pagination[key];
          if (name === undefined) continue;
          const field = response.get(name);
          if (!field) {
            ctx.report({
              message: `x-wecom-pagination.${key} is "${name}", which is not a field of the 200 response.`,
              location: at.child(key),
            });
          } else if (key === 'itemsField' && field.type !== 'array') {
            ctx.report({
              message: `x-wecom-pagination.itemsField "${name}" must be an array field of the 200 response.`,
              location: at.child(key),
            });
          }
        }
      },
    },
  };
}

/**
 * Core puts every token kind in a query parameter named after it; the security schemes must say
 * so, so that the spec, the reference and the runtime cannot drift apart. Moving a token is a
 * change to core first, then to this rule.
 */
function TokenPlacement() {
  const expected = { type: 'apiKey', in: 'query' };
  const names = ['access_token', 'suite_access_token', 'provider_access_token'];
  return {
    SecurityScheme: {
      enter(scheme, ctx) {
        for (const [key, value] of Object.entries(expected)) {
          if (scheme[key] !== value) {
            ctx.report({
              message: `The token's placement is fixed by core (packages/core/src/attempt.ts): ${key} must be "${value}", not "${scheme[key]}".`,
              location: ctx.location.child(key),
            });
          }
        }
        if (!names.includes(scheme.name)) {
          ctx.report({
            message: `The token's query parameter is fixed by core (packages/core/src/attempt.ts): name must be one of ${names.join(', ')}, not "${scheme.name}".`,
            location: ctx.location.child('name'),
          });
        }
      },
    },
  };
}

export default function wecomPlugin() {
  return {
    id: 'wecom',
    rules: { oas3: { 'pagination-fields': PaginationFields, 'token-placement': TokenPlacement } },
  };
}
