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
 * The changelog a reviewer reads: "Runtime behaviour" first (what the runtime will do
 * differently, each line marked breaking or not), then one section per kind; inside each, the
 * changes grouped under the operation they touch (document-wide changes first). A breaking
 * change carries one more line: what goes wrong at runtime.
 */
export function formatChangelog(changes: SpecChange[], labels: { base: string; head: string }): string {
  const counts = countByKind(changes);
  if (changes.length === 0) return `No spec changes between ${labels.base} and ${labels.head}.\n`;
  const lines = [
    `Spec changes from ${labels.base} to ${labels.head}: ${counts.breaking} breaking, ${counts['non-breaking']} non-breaking, ${counts.documentation} documentation`,
  ];
  const runtime = changes.filter((change) => change.area === 'runtime');
  pushSection(lines, 'Runtime behaviour', runtime, (change) => `[${change.kind}] `);
  for (const kind of Object.keys(HEADINGS) as ChangeKind[]) {
    const section = changes.filter((change) => change.kind === kind && change.area !== 'runtime');
    pushSection(lines, HEADINGS[kind], section, () => '');
  }
  return `${lines.join('\n')}\n`;
}

function pushSection(
  lines: string[],
  heading: string,
  section: SpecChange[],
  mark: (change: SpecChange) => string,
): void {
  if (section.length === 0) return;
  lines.push('', `${heading} (${section.length})`);
  let group: string | undefined;
  for (const change of section) {
    const title = operationTitle(change);
    if (title !== group) {
      lines.push(`  ${title}`);
      group = title;
    }
    lines.push(`    - ${mark(change)}${change.message}`);
    if (change.impact) lines.push(`      at runtime: ${change.impact}`);
  }
}

export function operationTitle(change: SpecChange): string {
  return change.operation
    ? `${change.operation.operationId}  ${change.operation.method} ${change.operation.path}`
    : 'Whole spec';
}
