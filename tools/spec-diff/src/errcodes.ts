import type { SpecChange } from './compare';

interface ErrcodeRow {
  code: number;
  name?: string;
  meaning?: string;
  class?: string;
  zh?: string;
}

/**
 * The root `x-wecom-errcodes` catalog, compared by code. A new or reclassified code changes what
 * the runtime does (retry or not), so it is a non-breaking change; the wording is documentation.
 */
export function diffErrcodeCatalogs(before: unknown, after: unknown): SpecChange[] {
  const beforeRows = rowsByCode(before);
  const afterRows = rowsByCode(after);
  const changes: SpecChange[] = [];
  const pointer = '/x-wecom-errcodes';
  for (const [code, row] of afterRows) {
    const previous = beforeRows.get(code);
    if (!previous) {
      changes.push({
        kind: 'non-breaking',
        message: `errcode ${code} (${row.name}) added, class ${row.class}`,
        pointer,
      });
      continue;
    }
    if (previous.class !== row.class) {
      changes.push({
        kind: 'non-breaking',
        message: `errcode ${code} (${row.name}) reclassified from ${previous.class} to ${row.class}: the runtime now handles it as ${row.class}`,
        pointer,
      });
    }
    const reworded = (['name', 'meaning', 'zh'] as const).filter((field) => previous[field] !== row[field]);
    if (reworded.length > 0) {
      changes.push({
        kind: 'documentation',
        message: `errcode ${code}: ${reworded.join(', ')} reworded`,
        pointer,
      });
    }
  }
  for (const [code, row] of beforeRows) {
    if (!afterRows.has(code)) {
      changes.push({
        kind: 'non-breaking',
        message: `errcode ${code} (${row.name}) removed from the catalog: the runtime no longer knows its class`,
        pointer,
      });
    }
  }
  return changes;
}

function rowsByCode(catalog: unknown): Map<number, ErrcodeRow> {
  const rows = Array.isArray(catalog) ? (catalog as ErrcodeRow[]) : [];
  return new Map(rows.filter((row) => typeof row?.code === 'number').map((row) => [row.code, row]));
}
