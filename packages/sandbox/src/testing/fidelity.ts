import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { type Sandbox, type SandboxOptions, startSandbox } from '../server';

/**
 * Spec fidelity by construction: every answer any sandbox test receives is validated against the
 * bundled spec, strictly (a field the spec does not describe is a failure, and so is a missing
 * required one), and recorded, so that a final check can demand that every operation was
 * exercised on its success path and its error path.
 */
interface Coverage {
  success: Set<string>;
  failure: Set<string>;
  violations: string[];
}

const coverage: Coverage = { success: new Set(), failure: new Set(), violations: [] };

const spec = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('@wecom-kit/spec/dist/openapi.json'), 'utf8'),
) as { paths: Record<string, Record<string, { operationId: string }>> };

export const operationIds: string[] = Object.values(spec.paths).flatMap((item) =>
  Object.values(item).map((operation) => operation.operationId),
);

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...closeObjects(spec), $id: 'spec' });

const validators = new Map<string, ValidateFunction>();

function validatorFor(operationId: string, errcode: number): ValidateFunction {
  const key = errcode === 0 ? operationId : 'WecomError';
  let validate = validators.get(key);
  if (!validate) {
    const pointer = errcode === 0 ? successPointer(operationId) : '/components/schemas/WecomError';
    validate = ajv.compile({ $ref: `spec#${pointer}` });
    validators.set(key, validate);
  }
  return validate;
}

function successPointer(operationId: string): string {
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (operation.operationId === operationId) {
        const escaped = path.replaceAll('~', '~0').replaceAll('/', '~1');
        return `/paths/${escaped}/${method}/responses/200/content/application~1json/schema`;
      }
    }
  }
  throw new Error(`operation ${operationId} is not in the spec`);
}

export function recordAnswer({
  operationId,
  body,
}: {
  operationId: string;
  body: Record<string, unknown>;
}): void {
  // get_suite_token, get_corp_token and get_provider_token succeed without errcode, as WeCom's do.
  const errcode = (body.errcode as number | undefined) ?? 0;
  (errcode === 0 ? coverage.success : coverage.failure).add(operationId);
  // Error bodies may also carry the list field, empty, as WeCom's do; only errcode/errmsg are checked there.
  const checked = errcode === 0 ? body : { errcode, errmsg: body.errmsg };
  const validate = validatorFor(operationId, errcode);
  if (!validate(checked)) {
    const problems = (validate.errors ?? []).slice(0, 3).map((error) => {
      const extra = (error.params as { unevaluatedProperty?: string }).unevaluatedProperty;
      return `${error.instancePath || '/'} ${error.message}${extra ? ` (${extra})` : ''}`;
    });
    const violation = `${operationId} (errcode ${errcode}): ${problems.join('; ')}`;
    if (!coverage.violations.includes(violation)) coverage.violations.push(violation);
  }
}

export function fidelityReport(): Readonly<Coverage> {
  return coverage;
}

/** A sandbox whose every answer goes through the fidelity check. */
export function startCheckedSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ port: 0, ...options, onAnswer: recordAnswer });
}

/**
 * Marks every object schema that lists its properties as closed (`unevaluatedProperties: false`,
 * which, unlike additionalProperties, also holds across allOf/oneOf), for validation only: the
 * published spec stays open because the real API grows.
 */
function closeObjects<T>(node: T): T {
  if (Array.isArray(node)) return node.map(closeObjects) as T;
  if (typeof node !== 'object' || node === null) return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    copy[key] = key === 'examples' || key === 'example' ? value : closeObjects(value);
  }
  if (copy.properties && typeof copy.properties === 'object' && copy.unevaluatedProperties === undefined) {
    copy.unevaluatedProperties = false;
  }
  return copy as T;
}
