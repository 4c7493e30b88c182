import { type FieldRule, inputConstraints } from '@wecom-kit/client';

/** The generated input constraints of an operation. */
export const constraintsOf = (operationId: string): FieldRule => inputConstraints[operationId] ?? {};

/**
 * The smallest value that satisfies a field rule of the operation table: required fields (and the
 * first anyOf group) only, the first enum value, minimum lengths and counts. Used to build valid
 * inputs for every operation, to break one rule at a time and to generate consumer code.
 */
export function sampleValue(rule: FieldRule, depth = 0): unknown {
  if (rule.enum && rule.enum.length > 0) return rule.enum[0];
  const type = typeof rule.type === 'string' ? rule.type : rule.type?.[0];
  switch (type) {
    case 'integer':
    case 'number':
      return rule.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      return 'x'.repeat(Math.max(1, rule.minLength ?? 1));
    case 'array':
      return Array.from({ length: rule.minItems ?? 0 }, () =>
        rule.items ? sampleValue(rule.items, depth + 1) : 'x',
      );
    default: {
      if (depth > 6) return {};
      const required = (rule.required ?? []).map((field) => [
        field,
        sampleValue(fieldRule(rule, field), depth + 1),
      ]);
      // anyOf counts a field as present only when it is not empty.
      const chosen = (rule.anyOf?.[0] ?? []).map((field) => [
        field,
        presentValue(fieldRule(rule, field), depth + 1),
      ]);
      return Object.fromEntries([...required, ...chosen]);
    }
  }
}

function fieldRule(rule: FieldRule, field: string): FieldRule {
  return rule.fields?.[field] ?? { type: 'string' };
}

function presentValue(rule: FieldRule, depth: number): unknown {
  const value = sampleValue(rule, depth);
  if (Array.isArray(value) && value.length === 0)
    return [rule.items ? sampleValue(rule.items, depth + 1) : 'x'];
  return value;
}

export function sampleInput(rule: FieldRule): Record<string, unknown> {
  return sampleValue(rule) as Record<string, unknown>;
}
