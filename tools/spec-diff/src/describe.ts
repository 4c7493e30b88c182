import type { Diff } from 'api-smart-diff';
import type { OpenApiDocument } from './compare';

interface Where {
  before: OpenApiDocument;
  after: OpenApiDocument;
  root: 'paths' | 'webhooks';
  apiPath: string;
  method: string;
}

const LIMIT_KEYWORDS = new Set([
  'maximum',
  'exclusiveMaximum',
  'maxLength',
  'maxItems',
  'maxProperties',
  'minimum',
  'exclusiveMinimum',
  'minLength',
  'minItems',
  'minProperties',
]);

/**
 * One line for a change inside an operation, in the words a reviewer uses ("request body: field
 * `creator` is now required"). `rest` is the change's path below the operation. The library's own
 * descriptions are not used: they are generic and sometimes wrong about a parameter's `required`.
 */
export function describeOperationChange(diff: Diff, rest: string[], where: Where): string {
  const [key, ...below] = rest;
  if (key === undefined) {
    const what = where.root === 'webhooks' ? 'webhook' : 'operation';
    return diff.action === 'add' ? `${what} added` : `${what} removed`;
  }
  if (key === 'operationId') return `operationId renamed from ${show(diff.before)} to ${show(diff.after)}`;
  if (key === 'deprecated') return diff.after === true ? 'marked deprecated' : 'no longer deprecated';
  if (key === 'parameters') return describeParameterChange(diff, below, where);
  if (key === 'requestBody') {
    if (below[0] === 'required')
      return diff.after === true ? 'request body is now required' : 'request body is now optional';
    return `request body: ${describeContentChange(diff, below)}`;
  }
  if (key === 'responses') {
    const [status, ...inResponse] = below;
    if (inResponse.length === 0) return `response ${status} ${verb(diff)}`;
    return `response ${status}: ${describeContentChange(diff, inResponse)}`;
  }
  if (key.startsWith('x-')) {
    return `${[key, ...below].join('.')} ${verb(diff)}${valueChange(diff)}`;
  }
  return `${[key, ...below].join('.')} ${verb(diff)}`;
}

function describeParameterChange(diff: Diff, below: string[], where: Where): string {
  const [index, ...inParameter] = below;
  const parameter = parameterAt(diff.action === 'add' ? where.after : where.before, where, Number(index)) ??
    parameterAt(where.after, where, Number(index)) ?? { name: String(index), in: 'query' };
  const subject = `${parameter.in} parameter \`${parameter.name}\``;
  if (inParameter.length === 0) {
    const value = (diff.action === 'add' ? diff.after : diff.before) as { required?: boolean } | undefined;
    const required = value?.required === true ? 'required ' : 'optional ';
    return `${required}${subject} ${verb(diff)}`;
  }
  if (inParameter[0] === 'required') {
    return diff.after === true ? `${subject} is now required` : `${subject} is now optional`;
  }
  if (inParameter[0] === 'schema')
    return `${subject}: ${describeSchemaChange(diff, inParameter.slice(1), '')}`;
  return `${subject}: ${inParameter.join('.')} ${verb(diff)}`;
}

function parameterAt(
  spec: OpenApiDocument,
  where: Where,
  index: number,
): { name: string; in: string } | undefined {
  const items = spec[where.root] as OpenApiDocument['paths'];
  const operation = items?.[where.apiPath]?.[where.method] as
    | { parameters?: { name: string; in: string }[] }
    | undefined;
  return operation?.parameters?.[index];
}

/** Below `requestBody` or `responses/<status>`: `content/<media type>/schema/...` or examples. */
function describeContentChange(diff: Diff, below: string[]): string {
  const [first, mediaType, section, ...inSection] = below;
  if (first !== 'content') return `${below.join('.')} ${verb(diff)}`;
  if (section === undefined) return `${mediaType ?? 'content'} ${verb(diff)}`;
  if (section === 'schema') return describeSchemaChange(diff, inSection, '');
  if (section === 'examples' || section === 'example') {
    return `example${inSection[0] ? ` \`${inSection[0]}\`` : ''} ${verb(diff)}`;
  }
  return `${[section, ...inSection].join('.')} ${verb(diff)}`;
}

/** Walks `properties/<name>` and `items` to name the field, then says what happened to it. */
function describeSchemaChange(diff: Diff, path: string[], field: string): string {
  const [head, next, ...tail] = path;
  if (head === 'properties' && next !== undefined) {
    if (tail.length === 0) return `field \`${join(field, next)}\` ${verb(diff)}`;
    return describeSchemaChange(diff, tail, join(field, next));
  }
  if (head === 'items') return describeSchemaChange(diff, path.slice(1), `${field || 'items'}[]`);
  if ((head === 'allOf' || head === 'oneOf' || head === 'anyOf') && next !== undefined) {
    return describeSchemaChange(diff, tail, field);
  }
  const target = field ? `\`${field}\`` : 'the body';
  if (head === undefined) return `${field ? `field ${target}` : 'schema'} ${verb(diff)}`;
  if (head === 'required') {
    const name = show(diff.action === 'remove' ? diff.before : diff.after, '');
    if (next === undefined && Array.isArray(diff.after ?? diff.before)) {
      return `required fields of ${target} ${verb(diff)}`;
    }
    const subject = `\`${join(field, name)}\``;
    if (diff.action === 'add') return `field ${subject} is now required`;
    if (diff.action === 'remove') return `field ${subject} is no longer required`;
    return `required field \`${show(diff.before, '')}\` replaced by \`${show(diff.after, '')}\` in ${target}`;
  }
  if (head === 'type') return `type of ${target} changed from ${show(diff.before)} to ${show(diff.after)}`;
  if (head === 'enum') {
    if (next === undefined) {
      return diff.action === 'add'
        ? `${target} restricted to ${show(diff.after)}`
        : `${target} enum ${verb(diff)}`;
    }
    if (diff.action === 'add') return `value ${show(diff.after)} allowed in ${target}`;
    if (diff.action === 'remove') return `value ${show(diff.before)} no longer allowed in ${target}`;
    return `value ${show(diff.before)} of ${target} replaced by ${show(diff.after)}`;
  }
  if (LIMIT_KEYWORDS.has(head)) {
    if (diff.action === 'replace') {
      const direction = Number(diff.after) < Number(diff.before) ? 'lowered' : 'raised';
      return `${head} of ${target} ${direction} from ${show(diff.before)} to ${show(diff.after)}`;
    }
    return `${head} of ${target} ${verb(diff)}${valueChange(diff)}`;
  }
  const prose = head === 'description' || head === 'title' || head === 'example' || head === 'examples';
  return `${path.join('.')} of ${target} ${verb(diff)}${prose ? '' : valueChange(diff)}`;
}

function join(field: string, name: string): string {
  return field ? `${field}.${name}` : name;
}

function verb(diff: Diff): string {
  return { add: 'added', remove: 'removed', replace: 'changed', rename: 'renamed' }[diff.action];
}

function valueChange(diff: Diff): string {
  if (diff.action === 'replace') return ` (${show(diff.before)} → ${show(diff.after)})`;
  if (diff.action === 'add') return ` (${show(diff.after)})`;
  return '';
}

function show(value: unknown, fallback = '(none)'): string {
  if (value === undefined) return fallback;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
