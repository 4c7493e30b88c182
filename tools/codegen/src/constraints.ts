import { CodegenError } from './errors';
import type { BundledSpec } from './operations';

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  required?: string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: (string | number)[];
  maxLength?: number;
  minLength?: number;
  maximum?: number;
  minimum?: number;
  maxItems?: number;
  minItems?: number;
  'x-wecom-errcode'?: Record<string, unknown>;
}

/**
 * The subset of a request schema the client checks before sending: types, required fields,
 * "at least one of" groups, and documented bounds. Mirrors `FieldRule` in @wecom-kit/client,
 * which the generated table `satisfies`.
 */
export interface InputConstraints {
  type?: string | string[];
  required?: string[];
  anyOf?: string[][];
  fields?: Record<string, InputConstraints>;
  items?: InputConstraints;
  enum?: (string | number)[];
  maxLength?: number;
  minLength?: number;
  maximum?: number;
  minimum?: number;
  maxItems?: number;
  minItems?: number;
  /** WeCom's dedicated errcode per failed rule, from `x-wecom-errcode`. */
  errcodes?: Record<string, number>;
}

const BOUNDS = ['enum', 'maxLength', 'minLength', 'maximum', 'minimum', 'maxItems', 'minItems'] as const;
/** The rules an `x-wecom-errcode` may name: the checks the validator makes on a property. */
const ERRCODE_RULES = new Set<string>(['type', 'required', ...BOUNDS]);
/** Deep enough for every documented constraint (e.g. visible_range.sender_list.user_list). */
const MAX_DEPTH = 4;

export function constraintsOf(
  spec: BundledSpec,
  schema: JsonSchema | undefined,
  depth = 0,
): InputConstraints {
  if (!schema || depth > MAX_DEPTH) return {};
  const resolved = resolve(spec, schema);
  const rule: InputConstraints = {};
  if (resolved.type) rule.type = resolved.type;
  if (resolved.required?.length) rule.required = [...resolved.required];
  const groups = resolved.anyOf?.map((option) => resolve(spec, option).required ?? []);
  if (groups?.length && groups.every((group) => group.length > 0)) rule.anyOf = groups;
  for (const bound of BOUNDS) {
    const value = resolved[bound];
    if (value !== undefined) (rule as Record<string, unknown>)[bound] = value;
  }
  const errcodes = errcodesOf(resolved['x-wecom-errcode']);
  if (errcodes) rule.errcodes = errcodes;
  if (resolved.properties) {
    rule.fields = Object.fromEntries(
      Object.entries(resolved.properties).map(([name, child]) => [
        name,
        constraintsOf(spec, child, depth + 1),
      ]),
    );
  }
  if (resolved.items) rule.items = constraintsOf(spec, resolved.items, depth + 1);
  return rule;
}

/** `x-wecom-errcode`, checked: a typo in a rule name or a non-integer code fails the generation. */
function errcodesOf(raw: Record<string, unknown> | undefined): Record<string, number> | undefined {
  if (raw === undefined) return undefined;
  for (const [ruleName, code] of Object.entries(raw)) {
    if (!ERRCODE_RULES.has(ruleName) || !Number.isInteger(code)) {
      throw new CodegenError(
        `x-wecom-errcode ${JSON.stringify(raw)}: expected { <rule>: <integer errcode> } with a rule among ${[...ERRCODE_RULES].join(', ')}.`,
      );
    }
  }
  return raw as Record<string, number>;
}

function resolve(spec: BundledSpec, schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = spec.components?.schemas?.[name];
  if (!target)
    throw new Error(`Unresolved schema reference ${schema.$ref}; bundle the spec before generating.`);
  return resolve(spec, target);
}
