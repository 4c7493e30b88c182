import type { FieldRule, InputRules, OperationSpec, WindowRule } from '@wecom-kit/client';
import { inputConstraints, validateInput } from '@wecom-kit/client';
import { WecomValidationError } from '@wecom-kit/core';
import { ApiError } from './api-error';

/**
 * WeCom's dedicated codes for some failed checks, keyed `field.rule` (the field's last path
 * segment) or `operationId.field.rule`; every other failed check is the generic 40058.
 */
const DEDICATED_ERRCODES: Record<string, number> = {
  'external_userid.required': 41035,
  'type.required': 41037,
  'scene.required': 41038,
  'config_id.required': 41043,
  'msgid.required': 41046,
  'welcome_code.required': 41049,
  'moment_id.required': 41059,
  'attachments.maxItems': 41064,
  'msgtype.enum': 41065,
  'addContactWay.user.maxItems': 41041,
  'updateContactWay.user.maxItems': 41041,
  'addJoinWay.chat_id_list.maxItems': 41091,
  'updateJoinWay.chat_id_list.maxItems': 41091,
  'getUserBehaviorData.end_time.window': 600018,
  'getGroupChatStatistic.day_end_time.window': 600018,
  'getGroupChatStatisticByDay.day_end_time.window': 600018,
};

const rulesByOperation = new Map<string, InputRules>();

/**
 * Rejects what WeCom rejects, with WeCom's codes. Limits above the documented maximum are not
 * errors here: WeCom clamps them or falls back to the default, which the pager reproduces.
 */
export function validateRequest(
  operationId: string,
  spec: OperationSpec,
  input: Record<string, unknown>,
): void {
  try {
    validateInput(operationId, sandboxRules(operationId, spec), input);
  } catch (error) {
    if (!(error instanceof WecomValidationError)) throw error;
    const field = (error.field.split('.').pop() ?? error.field).replace(/\[\d+\]$/, '');
    const errcode =
      DEDICATED_ERRCODES[`${operationId}.${error.field}.${error.rule}`] ??
      DEDICATED_ERRCODES[`${field}.${error.rule}`] ??
      40058;
    throw new ApiError(errcode, `invalid parameter: ${error.message.replace(`${operationId}: `, '')}`);
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
