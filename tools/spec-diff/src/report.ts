import type { ChangeKind, SpecChange } from './compare';

const HEADINGS: Record<ChangeKind, string> = {
  breaking: 'Breaking',
  'non-breaking': 'Non-breaking',
  documentation: 'Documentation',
};

export function countByKind(changes: SpecChange[]): Record<ChangeKind, number> {
  const counts: Record<ChangeKind, number> = { breaking: 0, 'non-breaking': 0, documentation: 0 };
  for (const change of changes) counts[change.kind] += 1;
  return counts;
}

/**
 * The changelog a reviewer reads: one section per kind, and inside it the changes grouped under
 * the operation they touch (document-wide changes first).
 */
export function formatChangelog(changes: SpecChange[], labels: { base: string; head: string }): string {
  const counts = countByKind(changes);
  if (changes.length === 0) return `No spec changes between ${labels.base} and ${labels.head}.\n`;
  const lines = [
    `Spec changes from ${labels.base} to ${labels.head}: ${counts.breaking} breaking, ${counts['non-breaking']} non-breaking, ${counts.documentation} documentation`,
  ];
  for (const kind of Object.keys(HEADINGS) as ChangeKind[]) {
    const section = changes.filter((change) => change.kind === kind);
    if (section.length === 0) continue;
    lines.push('', `${HEADINGS[kind]} (${section.length})`);
    let group: string | undefined;
    for (const change of section) {
      const heading = change.operation
        ? `${change.operation.operationId}  ${change.operation.method} ${change.operation.path}`
        : 'Whole spec';
      if (heading !== group) {
        lines.push(`  ${heading}`);
        group = heading;
      }
      lines.push(`    - ${change.message}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
