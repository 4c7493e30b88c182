import type { SpecChange } from './compare';
import { PACKAGES } from './packages';

interface ErrcodeRow {
  code: number;
  name?: string;
  meaning?: string;
  class?: string;
  zh?: string;
}

/** The classes the runtime acts on: `token` refreshes and retries once, `transient` retries with backoff. */
const ACTED_ON: Record<string, string> = {
  token: 'refresh the token and retry',
  transient: 'retry with backoff',
};

/**
 * The root `x-wecom-errcodes` catalog, compared by code. The class is what the runtime decides on,
 * so a code that loses `token` or `transient` (or leaves the catalog) is a breaking runtime change:
 * a failure the runtime used to recover from now reaches the caller. The wording is documentation.
 */
export function diffErrcodeCatalogs(before: unknown, after: unknown): SpecChange[] {
  const beforeRows = rowsByCode(before);
  const afterRows = rowsByCode(after);
  const changes: SpecChange[] = [];
  const pointer = '/x-wecom-errcodes';
  const runtime = (kind: SpecChange['kind'], message: string, impact?: string): SpecChange => ({
    kind,
    area: 'runtime',
    message,
    pointer,
    ...(impact && { impact }),
    packages: kind === 'breaking' ? [PACKAGES.core] : [],
  });
  for (const [code, row] of afterRows) {
    const previous = beforeRows.get(code);
    if (!previous) {
      changes.push(runtime('non-breaking', `errcode ${code} (${row.name}) added, class ${row.class}`));
      continue;
    }
    if (previous.class !== row.class) {
      const lost = ACTED_ON[previous.class ?? ''];
      changes.push(
        runtime(
          lost ? 'breaking' : 'non-breaking',
          `errcode ${code} (${row.name}) reclassified from ${previous.class} to ${row.class}: the runtime now handles it as ${row.class}`,
          lost && `the runtime no longer does what it did for ${code} (${lost}): the error reaches callers`,
        ),
      );
    }
    const reworded = (['name', 'meaning', 'zh'] as const).filter((field) => previous[field] !== row[field]);
    if (reworded.length > 0) {
      changes.push({
        kind: 'documentation',
        area: 'api',
        message: `errcode ${code}: ${reworded.join(', ')} reworded`,
        pointer,
      });
    }
  }
  for (const [code, row] of beforeRows) {
    if (!afterRows.has(code)) {
      const lost = ACTED_ON[row.class ?? ''];
      changes.push(
        runtime(
          'breaking',
          `errcode ${code} (${row.name}) removed from the catalog: the runtime no longer knows its class`,
          `the runtime treats ${code} as permanent${lost ? ` instead of doing what it did (${lost})` : ''}, and errors lose its name and meaning`,
        ),
      );
    }
  }
  return changes;
}

function rowsByCode(catalog: unknown): Map<number, ErrcodeRow> {
  const rows = Array.isArray(catalog) ? (catalog as ErrcodeRow[]) : [];
  return new Map(rows.filter((row) => typeof row?.code === 'number').map((row) => [row.code, row]));
}
