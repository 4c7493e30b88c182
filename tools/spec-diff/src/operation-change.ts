import type { OpenApiDocument } from './compare';
import { type Direction, type Judged, judgeSchemaChange, show, verb } from './schema-change';
import type { RawDiff } from './walk';

export interface Where {
  before: OpenApiDocument;
  after: OpenApiDocument;
  root: 'paths' | 'webhooks';
  apiPath: string;
  method: string;
}

/** Operation keys that only change the reference and the portal. */
const DOC_KEYS = new Set([
  'summary',
  'description',
  'externalDocs',
  'tags',
  'x-codeSamples',
  'x-wecom-errcodes',
]);

/**
 * One change inside an operation or webhook, judged and put in the words a reviewer uses
 * ("request body: field `creator` is now required"). `rest` is the change's path below the
 * operation. A webhook's request body is what WeCom sends and a handler reads, so it is judged
 * like a response and shown as `payload`.
 */
export function judgeOperationChange(diff: RawDiff, rest: string[], where: Where): Judged {
  const [key, ...below] = rest;
  const webhook = where.root === 'webhooks';
  if (key === undefined) {
    const what = webhook ? 'webhook' : 'operation';
    return diff.action === 'add'
      ? { kind: 'non-breaking', message: `${what} added` }
      : { kind: 'breaking', message: `${what} removed` };
  }
  if (key === 'operationId') {
    return {
      kind: 'breaking',
      message: `operationId renamed from ${show(diff.before)} to ${show(diff.after)}`,
    };
  }
  if (key === 'deprecated') {
    return {
      kind: 'non-breaking',
      message: diff.after === true ? 'marked deprecated' : 'no longer deprecated',
    };
  }
  if (DOC_KEYS.has(key))
    return { kind: 'documentation', message: `${[key, ...below].join('.')} ${verb(diff)}` };
  if (key === 'security') {
    const side = (spec: OpenApiDocument) =>
      securityNames(operationAt(spec, where)?.security ?? spec.security) || 'none';
    return {
      kind: 'breaking',
      message: `security changed from ${side(where.before)} to ${side(where.after)}`,
    };
  }
  if (key === 'parameters') return judgeParameterChange(diff, below, where);
  if (key === 'requestBody') {
    const judged = judgeBodyChange(diff, below, webhook ? 'receive' : 'send');
    return { ...judged, message: `${webhook ? 'payload' : 'request body'}${judged.message}` };
  }
  if (key === 'responses') {
    const [status, ...inResponse] = below;
    if (inResponse.length === 0) {
      const success = String(status).startsWith('2');
      return diff.action === 'add'
        ? { kind: 'non-breaking', message: `response ${status} added` }
        : {
            kind: success && diff.action === 'remove' ? 'breaking' : 'non-breaking',
            message: `response ${status} ${verb(diff)}`,
          };
    }
    const judged = judgeBodyChange(diff, inResponse, webhook ? 'send' : 'receive');
    return { ...judged, message: `response ${status}${judged.message}` };
  }
  return { kind: 'non-breaking', message: `${[key, ...below].join('.')} ${verb(diff)}` };
}

/** Below `requestBody` or `responses/<status>`. Messages start with ":" or " " to follow the subject. */
function judgeBodyChange(diff: RawDiff, below: string[], direction: Direction): Judged {
  const [first, mediaType, section, ...inSection] = below;
  if (first === undefined) {
    if (diff.action === 'remove') return { kind: 'breaking', message: ' removed' };
    const required = (diff.after as { required?: boolean } | undefined)?.required === true;
    return required && direction === 'send'
      ? { kind: 'breaking', message: ' added, required' }
      : { kind: 'non-breaking', message: ` added, ${required ? 'required' : 'optional'}` };
  }
  if (first === 'required') {
    const nowRequired = diff.after === true;
    return {
      kind: nowRequired && direction === 'send' ? 'breaking' : 'non-breaking',
      message: nowRequired ? ' is now required' : ' is now optional',
    };
  }
  if (first === 'description') return { kind: 'documentation', message: ': description changed' };
  if (first !== 'content') return { kind: 'non-breaking', message: `: ${below.join('.')} ${verb(diff)}` };
  if (section === undefined) {
    return {
      kind: diff.action === 'remove' ? 'breaking' : 'non-breaking',
      message: `: media type ${mediaType ?? ''} ${verb(diff)}`,
    };
  }
  if (section === 'schema') {
    const judged = judgeSchemaChange(diff, inSection, direction);
    return { ...judged, message: `: ${judged.message}` };
  }
  if (section === 'examples' || section === 'example') {
    return {
      kind: 'documentation',
      message: `: example${inSection[0] ? ` \`${inSection[0]}\`` : ''} ${verb(diff)}`,
    };
  }
  return { kind: 'non-breaking', message: `: ${[section, ...inSection].join('.')} ${verb(diff)}` };
}

function judgeParameterChange(diff: RawDiff, below: string[], where: Where): Judged {
  const [index, ...inParameter] = below;
  const side = diff.action === 'remove' && inParameter.length === 0 ? where.before : where.after;
  const parameter = operationAt(side, where)?.parameters?.[Number(index)] ?? {
    name: String(index),
    in: 'query',
  };
  const subject = `${parameter.in} parameter \`${parameter.name}\``;
  if (inParameter.length === 0) {
    if (diff.action === 'remove') return { kind: 'breaking', message: `${subject} removed` };
    const required = (diff.after as { required?: boolean } | undefined)?.required === true;
    return required
      ? { kind: 'breaking', message: `required ${subject} added` }
      : { kind: 'non-breaking', message: `optional ${subject} added` };
  }
  const [key] = inParameter;
  if (key === 'required') {
    return diff.after === true
      ? { kind: 'breaking', message: `${subject} is now required` }
      : { kind: 'non-breaking', message: `${subject} is now optional` };
  }
  if (key === 'schema') return judgeSchemaChange(diff, inParameter.slice(1), 'send', subject);
  if (key === 'description' || key === 'example' || key === 'examples') {
    return { kind: 'documentation', message: `${subject}: ${inParameter.join('.')} ${verb(diff)}` };
  }
  return { kind: 'non-breaking', message: `${subject}: ${inParameter.join('.')} ${verb(diff)}` };
}

interface SpecOperation {
  operationId?: string;
  security?: unknown;
  parameters?: { name: string; in: string }[];
}

function operationAt(spec: OpenApiDocument, where: Where): SpecOperation | undefined {
  const items = spec[where.root] as Record<string, Record<string, unknown>> | undefined;
  return items?.[where.apiPath]?.[where.method] as SpecOperation | undefined;
}

/** `[{ accessToken: [] }]` → "accessToken"; an empty list (no token) → "". */
export function securityNames(requirements: unknown): string {
  if (!Array.isArray(requirements)) return '';
  return requirements.map((requirement) => Object.keys(requirement as object).join(' + ')).join(' or ');
}
