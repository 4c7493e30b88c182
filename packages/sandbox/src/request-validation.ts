import type { FieldRule, InputRules, OperationSpec, WindowRule } from '@wecom-kit/client';
import { findViolation, inputConstraints } from '@wecom-kit/client';
import { ApiError } from './api-error';

const rulesByOperation = new Map<string, InputRules>();

/**
 * Rejects what WeCom rejects, with WeCom's codes: the dedicated one the spec names
 * (`x-wecom-errcode`), else the generic 40058, and a text that states the problem only (the
 * client's advice on fixing it is not WeCom's to give). Limits above the documented maximum are
 * not errors here: WeCom clamps them or falls back to the default, which the pager reproduces.
 */
export function validateRequest(
  operationId: string,
  spec: OperationSpec,
  input: Record<string, unknown>,
): void {
  const violation = findViolation(operationId, sandboxRules(operationId, spec), input);
  if (violation) {
    throw new ApiError(violation.errcode ?? 40058, `invalid parameter: ${violation.problem}`);
  }
}

/** The spec's rules, except that page sizes above the documented maximum pass. */
function sandboxRules(operationId: string, spec: OperationSpec): InputRules {
  let rules = rulesByOperation.get(operationId);
  if (!rules) {
    const constraints = inputConstraints[operationId] ?? {};
    const limitParam = spec.pagination?.limitParam;
    const limitRule = limitParam ? constraints.fields?.[limitParam] : undefined;
    let relaxed: FieldRule = constraints;
    if (limitParam && limitRule) {
      const { maximum: _maximum, ...unbounded } = limitRule;
      relaxed = { ...constraints, fields: { ...constraints.fields, [limitParam]: unbounded } };
    }
    rules = { constraints: relaxed, ...(spec.window && { window: withoutLookBack(spec.window) }) };
    rulesByOperation.set(operationId, rules);
  }
  return rules;
}

/**
 * The window without `maxAgeDays`: the handlers judge the look-back by the sandbox's own clock
 * (which tests may set) and answer with the code WeCom uses for that operation.
 */
function withoutLookBack(window: WindowRule): WindowRule {
  const { maxAgeDays: _judgedByHandlers, ...rest } = window;
  return rest;
}
