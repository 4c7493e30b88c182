import { round } from './stats';

/** How a measured value is compared with its target. */
export type Comparison = '<=' | '>=' | '<' | '==';

export interface Target {
  readonly op: Comparison;
  readonly value: number;
}

/** One row of the results table and of results.json. */
export interface Figure {
  readonly group: string;
  readonly name: string;
  /** null when the benchmark could not measure it; `detail` says why. */
  readonly value: number | null;
  readonly unit: string;
  /** "<= 1.1"; null for figures that are context, not claims (e.g. the bare-fetch baseline). */
  readonly target: string | null;
  /** Computed from value and target; null when there is no target. */
  readonly pass: boolean | null;
  readonly detail?: string;
}

export interface FigureInit {
  name: string;
  /** As measured: `pass` is computed from it before it is rounded for the table. */
  value: number | null;
  unit: string;
  /** Decimals kept in the table and results.json. Default 3. */
  digits?: number;
  target?: Target;
  detail?: string;
}

export function compare(value: number, target: Target): boolean {
  switch (target.op) {
    case '<=':
      return value <= target.value;
    case '>=':
      return value >= target.value;
    case '<':
      return value < target.value;
    case '==':
      return value === target.value;
  }
}

/** Collects the figures of one benchmark group. */
export class FigureSet {
  readonly figures: Figure[] = [];

  constructor(readonly group: string) {}

  add({ name, value, unit, digits = 3, target, detail }: FigureInit): void {
    const measured = value !== null && Number.isFinite(value);
    this.figures.push({
      group: this.group,
      name,
      value: measured ? round(value, digits) : null,
      unit,
      target: target ? `${target.op} ${target.value}` : null,
      pass: target ? measured && compare(value, target) : null,
      ...(detail !== undefined && { detail }),
    });
  }

  /** A benchmark that could not run still reports its figures, unmeasured and failing. */
  unmeasured(names: readonly { name: string; unit: string; target?: Target }[], reason: string): void {
    for (const { name, unit, target } of names) {
      this.add({ name, value: null, unit, ...(target && { target }), detail: reason });
    }
  }
}

const PASS_MARK: Record<string, string> = { true: 'pass', false: '**FAIL**', null: '' };

function formatValue(value: number | null): string {
  if (value === null) return 'n/a';
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 3;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function markdownTable(figures: readonly Figure[]): string {
  const rows = figures.map((figure) =>
    [
      figure.group,
      figure.name,
      `${formatValue(figure.value)} ${figure.unit}`.trim(),
      figure.target ?? '',
      PASS_MARK[String(figure.pass)] ?? '',
    ].map((cell) => cell.replaceAll('|', '\\|')),
  );
  return [
    '| group | figure | value | target | result |',
    '|---|---|---:|---|---|',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');
}
