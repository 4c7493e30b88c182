import type { SpecDriftKind } from '@wecom-kit/core';
import { responseShapes } from '../generated/response-shapes';
import type { DescribedShape, ResponseShape } from '../table';

/** One departure from the spec, as many times as the log holds it. */
export interface ReportedDrift {
  readonly pointer: string;
  readonly kind: SpecDriftKind;
  /** How many events reported it: each process reports it once per listener, so roughly how many processes saw it. */
  readonly events: number;
  /** The spec file to edit: where the object or field the pointer reaches is described. */
  readonly file: string;
  /** What the edit is, in a few words. */
  readonly action: string;
}

export interface OperationDrift {
  readonly operationId: string;
  /** The spec file of the operation's path item; absent when this client's spec does not know it. */
  readonly file?: string;
  readonly drift: readonly ReportedDrift[];
}

export interface DriftReport {
  /** By operationId; within each, by pointer and kind. */
  readonly operations: readonly OperationDrift[];
  /** How many spec-drift events were read. */
  readonly events: number;
  /** Lines that held no spec-drift event (other events, other log lines, blank lines). */
  readonly skippedLines: number;
  /** Line numbers (1-based, the first 20) of spec-drift events with a missing or malformed field. */
  readonly invalidLines: readonly number[];
}

const KINDS: ReadonlySet<string> = new Set<SpecDriftKind>([
  'unknown-field',
  'missing-required',
  'wrong-type',
  'unknown-enum-value',
]);
const ACTIONS: Record<SpecDriftKind, string> = {
  'unknown-field': 'describe the new field under properties',
  'missing-required': 'WeCom leaves it out: drop it from required',
  'wrong-type': 'retype it as WeCom sends it',
  'unknown-enum-value': 'add the new value to the enum',
};
// What specCheck emits: field names and `*`. Anything else did not come from it, and is refused
// rather than echoed into a report that people paste into reviews.
const OPERATION_ID = /^[A-Za-z][A-Za-z0-9]{0,99}$/;
const POINTER = /^(\/[A-Za-z0-9_*~.-]{1,64}){0,32}$/;
const MAX_INVALID_LINES = 20;

interface DriftEvent {
  operationId: string;
  pointer: string;
  kind: SpecDriftKind;
}

/** The spec-drift event of a log line: the line itself, or one of its top-level values (a logger's envelope). */
function eventIn(line: string): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  if (parsed.type === 'spec-drift') return parsed;
  return Object.values(parsed).find(
    (value): value is Record<string, unknown> => isObject(value) && value.type === 'spec-drift',
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDriftEvent(event: Record<string, unknown>): event is Record<string, unknown> & DriftEvent {
  return (
    typeof event.operationId === 'string' &&
    OPERATION_ID.test(event.operationId) &&
    typeof event.pointer === 'string' &&
    POINTER.test(event.pointer) &&
    typeof event.kind === 'string' &&
    KINDS.has(event.kind)
  );
}

/**
 * Reads a JSONL log (one JSON value a line, as `onEvent` listeners usually write them) and
 * gathers its spec-drift events by operation, each with the spec file to edit.
 */
export async function summarizeDrift(lines: Iterable<string> | AsyncIterable<string>): Promise<DriftReport> {
  const counts = new Map<string, Map<string, { pointer: string; kind: SpecDriftKind; events: number }>>();
  let events = 0;
  let skippedLines = 0;
  const invalidLines: number[] = [];
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    const event = eventIn(line);
    if (!event) {
      skippedLines += 1;
    } else if (!isDriftEvent(event)) {
      if (invalidLines.length < MAX_INVALID_LINES) invalidLines.push(lineNumber);
    } else {
      events += 1;
      let byOperation = counts.get(event.operationId);
      if (!byOperation) {
        byOperation = new Map();
        counts.set(event.operationId, byOperation);
      }
      const key = `${event.pointer} ${event.kind}`;
      const entry = byOperation.get(key) ?? { pointer: event.pointer, kind: event.kind, events: 0 };
      entry.events += 1;
      byOperation.set(key, entry);
    }
  }
  const operations = [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operationId, byKey]): OperationDrift => {
      const described = responseShapes.operations[operationId];
      const drift = [...byKey.values()]
        .sort((a, b) => a.pointer.localeCompare(b.pointer) || a.kind.localeCompare(b.kind))
        .map((entry) => ({
          ...entry,
          file: described ? fileToEdit(described, entry.pointer, entry.kind) : 'unknown',
          action: ACTIONS[entry.kind],
        }));
      return { operationId, ...(described && { file: described.file }), drift };
    });
  return { operations, events, skippedLines, invalidLines };
}

/**
 * Follows the pointer through the operation's shape to the file that describes what must change:
 * for a field that is new or missing, the object that lists its fields; for a type or an enum,
 * the schema of the value itself.
 */
function fileToEdit(operation: DescribedShape, pointer: string, kind: SpecDriftKind): string {
  const tokens = pointer.split('/').slice(1);
  const walk = kind === 'unknown-field' || kind === 'missing-required' ? tokens.slice(0, -1) : tokens;
  let at: DescribedShape = resolved(operation);
  for (const token of walk) {
    const next: ResponseShape | undefined =
      token === '*' ? (at.shape.items ?? at.shape.values) : at.shape.properties?.[token];
    if (!next) break;
    at = resolved({ file: at.file, shape: next });
  }
  return at.file;
}

function resolved(at: DescribedShape): DescribedShape {
  let current = at;
  for (let hops = 0; current.shape.ref && hops < 16; hops++) {
    const component = responseShapes.components[current.shape.ref];
    if (!component) break;
    current = component;
  }
  return current;
}

/** The report as Markdown: a table per operation, ready to paste into a contract review. */
export function formatDriftReport(report: DriftReport): string {
  const findings = report.operations.reduce((sum, operation) => sum + operation.drift.length, 0);
  const lines = [
    '# Spec drift',
    '',
    `${findings} finding(s) in ${report.operations.length} operation(s), from ${report.events} spec-drift event(s); ${report.skippedLines} other line(s) skipped.`,
  ];
  if (report.invalidLines.length > 0) {
    lines.push(
      '',
      `Malformed spec-drift events ignored, at line(s) ${report.invalidLines.join(', ')}: they did not come from specCheck.`,
    );
  }
  for (const operation of report.operations) {
    lines.push(
      '',
      `## ${operation.operationId} — ${operation.file ?? 'not in this client’s spec (update @wecom-kit/client)'}`,
      '',
      '| kind | pointer | events | file to edit | edit |',
      '|---|---|---|---|---|',
      ...operation.drift.map(
        (drift) =>
          `| ${drift.kind} | \`${drift.pointer || '/'}\` | ${drift.events} | ${drift.file} | ${drift.action} |`,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
