import type { SpecDriftKind } from '@wecom-kit/core';
import { responseShapes } from '../generated/response-shapes';
import type { ResponseShape } from '../table';

/** Receives each place where a body departs from its schema: a JSON pointer and how. */
export type DriftFinding = (pointer: string, kind: SpecDriftKind) => void;

type Check = (value: unknown, pointer: string, found: DriftFinding) => void;

// Compiled on first use, per operation and per component: operations never called cost nothing.
const operationChecks = new Map<string, Check>();
const componentChecks = new Map<string, Check>();

/**
 * Walks a success body against its operation's response schema and reports every departure.
 * Reports pointers built from the spec's field names and the names of unknown fields; never a value.
 * Operations the table does not know are left alone.
 */
export function findDrift(operationId: string, body: unknown, found: DriftFinding): void {
  let check = operationChecks.get(operationId);
  if (!check) {
    const described = responseShapes.operations[operationId];
    if (!described) return;
    check = compile(described.shape);
    operationChecks.set(operationId, check);
  }
  check(body, '', found);
}

function component(name: string): Check {
  let check = componentChecks.get(name);
  if (!check) {
    const described = responseShapes.components[name];
    if (!described) return () => {};
    // Registered before compiling its children, so that a schema reaching itself ends the recursion.
    let compiled: Check | undefined;
    componentChecks.set(name, (value, pointer, found) => compiled?.(value, pointer, found));
    compiled = compile(described.shape);
    check = compiled;
    componentChecks.set(name, compiled);
  }
  return check;
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * The pointer segment of an unknown key: a field name as it is, anything else as `*`, since a key
 * that does not look like a field name is data (and would need RFC 6901 escaping besides).
 */
export function pointerSegment(key: string): string {
  return FIELD_NAME.test(key) ? key : '*';
}

function compile(shape: ResponseShape): Check {
  if (shape.ref) {
    const name = shape.ref;
    return (value, pointer, found) => component(name)(value, pointer, found);
  }
  const hasType = shape.type ? typeTest(shape.type) : undefined;
  const parts: Check[] = [];
  if (shape.enum) {
    const allowed = new Set(shape.enum);
    parts.push((value, pointer, found) => {
      if (!allowed.has(value)) found(pointer, 'unknown-enum-value');
    });
  }
  if (shape.required || shape.properties || shape.values) parts.push(objectCheck(shape));
  if (shape.items) {
    const item = compile(shape.items);
    parts.push((value, pointer, found) => {
      if (!Array.isArray(value)) return;
      const itemPointer = `${pointer}/*`;
      for (const element of value) item(element, itemPointer, found);
    });
  }
  if (shape.oneOf) parts.push(alternativesCheck(shape.oneOf.map(compile)));
  return (value, pointer, found) => {
    if (hasType && !hasType(value)) {
      // A wrong type says everything about this place: what lies below it is not compared.
      found(pointer, 'wrong-type');
      return;
    }
    for (const part of parts) part(value, pointer, found);
  };
}

function typeTest(type: string | readonly string[]): (value: unknown) => boolean {
  const types = new Set(typeof type === 'string' ? [type] : type);
  // An integer is a number too.
  if (types.has('number')) types.add('integer');
  return (value) => types.has(typeOf(value));
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectCheck(shape: ResponseShape): Check {
  const required = shape.required ?? [];
  const properties = new Map(
    Object.entries(shape.properties ?? {}).map(([name, child]) => [name, compile(child)]),
  );
  // Only an object that lists its properties can have unknown ones; a map's keys are data.
  const closed = shape.properties !== undefined && shape.values === undefined;
  const values = shape.values ? compile(shape.values) : undefined;
  return (value, pointer, found) => {
    if (!isObject(value)) return;
    for (const name of required) {
      if (value[name] === undefined) found(`${pointer}/${name}`, 'missing-required');
    }
    for (const key of Object.keys(value)) {
      const check = properties.get(key);
      if (check) check(value[key], `${pointer}/${key}`, found);
      else if (values) values(value[key], `${pointer}/*`, found);
      else if (closed) found(`${pointer}/${pointerSegment(key)}`, 'unknown-field');
    }
  };
}

/** Matches when one alternative has no drift; otherwise reports what the closest alternatives miss. */
function alternativesCheck(alternatives: Check[]): Check {
  return (value, pointer, found) => {
    let best: [string, SpecDriftKind][][] = [];
    let fewest = Number.POSITIVE_INFINITY;
    for (const alternative of alternatives) {
      const findings: [string, SpecDriftKind][] = [];
      alternative(value, pointer, (at, kind) => findings.push([at, kind]));
      if (findings.length === 0) return;
      if (findings.length < fewest) {
        fewest = findings.length;
        best = [findings];
      } else if (findings.length === fewest) best.push(findings);
    }
    for (const findings of best) for (const [at, kind] of findings) found(at, kind);
  };
}
